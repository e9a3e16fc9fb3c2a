package io.frameq.app.demo;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.frameq.frame.ContentType;
import io.frameq.frame.FrameDecodeException;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameHeaders;
import io.frameq.frame.FrameMetadata;
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
 * Plays the demo cameras into Kafka at a fixed frame rate: JPEG frames with the contract's
 * headers, faults applied on schedule. It remembers which sequence numbers it sent faulted, so
 * the summary can check that the matching detector caught them.
 */
final class DemoFeeder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DemoFeeder.class);

    private final DemoScenario scenario;
    private final List<List<byte[]>> clips;
    private final KafkaProducer<String, byte[]> producer;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-feeder");
        t.setDaemon(true);
        return t;
    });
    private final FrameDecoders decoders;
    private final Map<String, AtomicLong> sent = new ConcurrentHashMap<>();
    private final Map<String, Set<Long>> faulted = new ConcurrentHashMap<>();
    private final Map<String, byte[]> frozenFrame = new ConcurrentHashMap<>();
    private final AtomicLong corruptSent = new AtomicLong();
    private final int fps;
    private long startMillis;

    DemoFeeder(String bootstrap, DemoScenario scenario, List<List<byte[]>> clips, int fps, FrameDecoders decoders) {
        this.scenario = scenario;
        this.clips = clips;
        this.fps = fps;
        this.decoders = decoders;
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024),
                new StringSerializer(), new ByteArraySerializer());
        scenario.cameras().forEach(c -> {
            sent.put(c.streamId(), new AtomicLong());
            faulted.put(c.streamId(), ConcurrentHashMap.newKeySet());
        });
    }

    void start() {
        startMillis = System.currentTimeMillis();
        timer.scheduleAtFixedRate(this::tick, 0, 1000L / fps, TimeUnit.MILLISECONDS);
    }

    long startMillis() {
        return startMillis;
    }

    private void tick() {
        long elapsed = System.currentTimeMillis() - startMillis;
        for (DemoScenario.Camera cam : scenario.cameras()) {
            try {
                send(cam, elapsed);
            } catch (RuntimeException e) {
                LOG.warn("demo feeder: camera {} frame failed: {}", cam.streamId(), e.toString());
            }
        }
    }

    private void send(DemoScenario.Camera cam, long elapsed) {
        boolean active = scenario.faultActive(cam, elapsed);
        if (active && cam.fault() == Fault.DROPOUT) {
            return;
        }
        long seq = sent.get(cam.streamId()).getAndIncrement();
        List<byte[]> clip = clips.get(cam.clip());
        // Cameras sharing a clip start at different points so their pictures differ.
        byte[] jpeg = clip.get((int) ((seq + cam.streamId().hashCode() & 0x7fffffff) % clip.size()));
        if (!active) {
            frozenFrame.remove(cam.streamId());
        } else {
            faulted.get(cam.streamId()).add(seq);
            jpeg = switch (cam.fault()) {
                case FREEZE -> frozenFrame.computeIfAbsent(cam.streamId(), k -> clip.get(0));
                case CORRUPT -> seq % 10 == 0 ? corrupt(jpeg, seq) : jpeg;
                default -> ImageEncoder.jpeg(FaultInjector.apply(cam.fault(), decode(jpeg), seq), 90);
            };
        }
        RecordHeaders h = new RecordHeaders();
        h.add(FrameHeaders.CONTENT_TYPE, ContentType.JPEG.mime().getBytes(StandardCharsets.US_ASCII));
        h.add(FrameHeaders.TIMESTAMP, Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII));
        h.add(FrameHeaders.SEQ, Long.toString(seq).getBytes(StandardCharsets.US_ASCII));
        producer.send(new ProducerRecord<>(cam.topic(), null, cam.streamId(), jpeg, h));
    }

    private byte[] corrupt(byte[] jpeg, long seq) {
        corruptSent.incrementAndGet();
        return FaultInjector.corrupt(jpeg, seq);
    }

    private RgbImage decode(byte[] jpeg) {
        try {
            return decoders.decode(jpeg, FrameMetadata.of(ContentType.JPEG)).get(0).image();
        } catch (FrameDecodeException e) {
            throw new IllegalStateException("demo clip frame does not decode: " + e.getMessage(), e);
        }
    }

    long sent(String streamId) {
        return sent.get(streamId).get();
    }

    boolean wasFaulted(String streamId, long seq) {
        return faulted.get(streamId).contains(seq);
    }

    long corruptSent() {
        return corruptSent.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}
