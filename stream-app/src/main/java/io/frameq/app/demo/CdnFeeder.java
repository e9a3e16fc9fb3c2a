package io.frameq.app.demo;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.frameq.frame.ContentType;
import io.frameq.frame.FrameHeaders;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the CDN scenario into Kafka in real time: per tick one origin frame and one frame of each
 * rendition, all with the same {@code frameq-seq} and record timestamp (the capture time), except
 * where the scenario loses one side. Frames travel as JPEG quality 95 (origin and renditions alike,
 * far below the H.264 artefacts of the ladder) to keep the demo's memory small.
 */
final class CdnFeeder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CdnFeeder.class);
    private static final int JPEG_QUALITY = 95;

    private final CdnScenario scenario;
    private final List<byte[]> origin;
    private final List<List<byte[]>> renditions;
    private final List<RenditionEncoder.Rendition> encoded;
    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cdn-feeder");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong ticks = new AtomicLong();
    private final int fps;
    private long startMillis;
    private volatile long lastTimestamp;

    private CdnFeeder(String bootstrap, CdnScenario scenario, List<byte[]> origin, List<List<byte[]>> renditions,
                      List<RenditionEncoder.Rendition> encoded, int fps) {
        this.scenario = scenario;
        this.origin = origin;
        this.renditions = renditions;
        this.encoded = encoded;
        this.fps = fps;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Decodes the clip, encodes every rung of the ladder with H.264 and decodes it back (progress on {@code out}). */
    static CdnFeeder prepare(String bootstrap, CdnScenario scenario, int fps, PrintStream out) {
        List<RgbImage> frames = DemoClips.read(scenario.clip(), 2, scenario.framesPerClip());
        RgbImage first = frames.get(0);
        out.printf("  origin %-20s %3d frames %dx%d (clip %s)%n", scenario.origin(), frames.size(), first.width(), first.height(),
                scenario.clip());
        List<byte[]> origin = frames.stream().map(f -> ImageEncoder.jpeg(f, JPEG_QUALITY)).toList();
        List<List<byte[]>> renditions = new ArrayList<>();
        List<RenditionEncoder.Rendition> encoded = new ArrayList<>();
        for (CdnScenario.Rung rung : scenario.ladder()) {
            int w = first.width() / rung.divisor() / 2 * 2;
            int h = first.height() / rung.divisor() / 2 * 2;
            long t0 = System.nanoTime();
            RenditionEncoder.Rendition r = RenditionEncoder.encode(frames, w, h, rung.kbps() * 1000, fps);
            encoded.add(r);
            renditions.add(r.frames().stream().map(f -> ImageEncoder.jpeg(f, JPEG_QUALITY)).toList());
            out.printf("  rendition %-17s %dx%d H.264 (%s) target %d kbps, measured %.0f kbps, encoded in %d ms%n",
                    scenario.renditionId(rung), w, h, RenditionEncoder.ENCODER, rung.kbps(), r.kbps(),
                    (System.nanoTime() - t0) / 1_000_000);
        }
        return new CdnFeeder(bootstrap, scenario, origin, renditions, encoded, fps);
    }

    List<RenditionEncoder.Rendition> encoded() {
        return encoded;
    }

    void start() {
        startMillis = System.currentTimeMillis();
        timer.scheduleAtFixedRate(this::tick, 0, 1000L / fps, TimeUnit.MILLISECONDS);
    }

    long startMillis() {
        return startMillis;
    }

    /** Frames sent so far per side: origin frames, then one count per rendition. */
    long ticks() {
        return ticks.get();
    }

    private void tick() {
        try {
            long seq = ticks.get();
            long ts = startMillis + seq * 1000 / fps;
            int i = (int) (seq % origin.size());
            if (scenario.originSent(seq)) {
                send(CdnScenario.ORIGIN_TOPIC, scenario.origin(), origin.get(i), seq, ts);
            }
            if (scenario.renditionsSent(seq)) {
                for (int r = 0; r < renditions.size(); r++) {
                    send(CdnScenario.RENDITION_TOPIC, scenario.renditionId(scenario.ladder().get(r)), renditions.get(r).get(i), seq, ts);
                }
            }
            lastTimestamp = ts;
            ticks.incrementAndGet();
        } catch (RuntimeException e) {
            LOG.warn("cdn feeder: tick failed: {}", e.toString());
        }
    }

    private void send(String topic, String key, byte[] jpeg, long seq, long ts) {
        RecordHeaders h = new RecordHeaders();
        h.add(FrameHeaders.CONTENT_TYPE, ContentType.JPEG.mime().getBytes(StandardCharsets.US_ASCII));
        h.add(FrameHeaders.TIMESTAMP, Long.toString(ts).getBytes(StandardCharsets.US_ASCII));
        h.add(FrameHeaders.SEQ, Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
        producer.send(new ProducerRecord<>(topic, null, ts, key, jpeg, h));
    }

    /**
     * Stops the clock, then sends one end-of-stream origin marker whose timestamp lies beyond every
     * sent frame's window + grace: stream time moves past them all, so the join evicts and reports
     * every frame still waiting. The marker itself stays buffered (nothing comes after it).
     */
    void stopAndFlush() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long ts = lastTimestamp + scenario.windowMs() + scenario.graceMs() + 1_000;
        send(CdnScenario.ORIGIN_TOPIC, scenario.origin(), origin.get(0), ticks.get() + 1_000_000, ts);
        producer.flush();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        producer.close();
    }
}
