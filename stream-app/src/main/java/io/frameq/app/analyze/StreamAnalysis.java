package io.frameq.app.analyze;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.errors.DeadLetter;
import io.frameq.event.EventJson;
import io.frameq.frame.FrameDecodeException;
import io.frameq.frame.FrameMetadata;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;
import io.frameq.source.CapturedFrame;
import io.frameq.source.FrameRecord;
import io.frameq.source.MediaSource;
import io.frameq.source.SamplingPolicy;
import io.frameq.source.SourceException;
import io.frameq.frame.FrameHeaders;
import io.frameq.source.SourceSpec;
import io.frameq.source.Sources;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analyses one source: its sampled frames become frame-contract records, piped one by one into a
 * driver of the topology of {@code run}; the scores, alerts and dead letters that come out are
 * written to the output files and gathered into a {@link StreamReport}. The driver's wall clock
 * follows the real one, so the liveness punctuator and the alert timestamps see real time.
 */
final class StreamAnalysis implements Callable<StreamReport> {

    private static final Logger LOG = LoggerFactory.getLogger(StreamAnalysis.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int THUMBNAIL_WIDTH = 320;
    private static final int THUMBNAIL_QUALITY = 80;
    /** How often the wall clock moves on while no frame comes (the liveness punctuator checks at most every 100 ms). */
    private static final long IDLE_TICK_MS = 250;

    /** When a source's reading stops early. */
    record Limits(long maxFrames, long maxDurationMs) {}

    private final SourceSpec spec;
    private final SamplingPolicy sampling;
    private final Sources.Options sourceOptions;
    private final InProcessPipeline pipeline;
    private final AnalysisOutput output;
    private final Limits limits;
    private final FrameRecord.Encoding encoding;
    private final Path stateRoot;
    private final Progress progress;
    private final LongSupplier clock;
    private final StreamReport report;
    /** The source's stop flag: also ends an open or a network read that blocks (FFmpeg's interrupt callback). */
    private final AtomicBoolean stopRequested = new AtomicBoolean();
    private final boolean judgeAlone;

    StreamAnalysis(SourceSpec spec, SamplingPolicy sampling, Sources.Options sourceOptions, InProcessPipeline pipeline,
            AnalysisOutput output, Limits limits, FrameRecord.Encoding encoding, Path stateRoot, int thumbnails, Progress progress,
            boolean stillsAsCamera) {
        this.spec = spec;
        // a photo or a folder of photos is not a camera: each image is judged on its own, as `score` does, unless
        // the folder is said to hold one camera's snapshots
        this.judgeAlone = !stillsAsCamera && (spec.kind() == SourceSpec.Kind.IMAGE || spec.kind() == SourceSpec.Kind.DIRECTORY);
        this.sampling = sampling;
        this.sourceOptions = sourceOptions;
        this.pipeline = pipeline;
        this.output = output;
        this.limits = limits;
        this.encoding = encoding;
        this.stateRoot = stateRoot;
        this.progress = progress;
        this.clock = sourceOptions.clock();
        // at most one thumbnail per quarter alert window, so that the worst frames show different moments
        this.report = new StreamReport(spec.streamId(), spec.location(), new WorstFrames(thumbnails, pipeline.alertWindowMs() / 4));
    }

    StreamReport report() {
        return report;
    }

    /** Ends the analysis early (Ctrl-C): the source stops, what was analysed is kept. Any thread. */
    void stop() {
        stopRequested.set(true);
    }

    @Override
    public StreamReport call() throws InterruptedException {
        long t0 = System.nanoTime();
        progress.started(report);
        if (limits.maxDurationMs() > 0) {
            // a timer rather than a check between frames: a live source may block in an open or a read
            CompletableFuture.delayedExecutor(limits.maxDurationMs(), TimeUnit.MILLISECONDS).execute(this::stop);
        }
        MediaSource source = null;
        try {
            source = Sources.open(spec, sampling, sourceOptions, stopRequested);
            report.live = source.live();
            analyse(source);
        } catch (SourceException e) {
            if (stopRequested.get()) {
                LOG.info("{}: stopped before its first frame ({})", spec.streamId(), e.getMessage());
            } else {
                report.error = e.getMessage();
                LOG.error("{}: {}", spec.streamId(), e.getMessage());
            }
        } finally {
            if (source != null) {
                report.stats = source.stats();
            }
            report.elapsedNanos = System.nanoTime() - t0;
            progress.finished(report);
        }
        return report;
    }

    private void analyse(MediaSource src) throws SourceException, InterruptedException {
        Path state = createStateDir();
        try (FramePump pump = new FramePump(src, limits.maxFrames());
             TopologyTestDriver driver = pipeline.openDriver(state, clock.getAsLong())) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic(InProcessPipeline.INPUT_TOPIC, new StringSerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, byte[]> scores = driver.createOutputTopic(pipeline.scoresTopic(), new StringDeserializer(),
                    new ByteArrayDeserializer());
            TestOutputTopic<String, byte[]> alerts = driver.createOutputTopic(pipeline.alertsTopic(), new StringDeserializer(),
                    new ByteArrayDeserializer());
            TestOutputTopic<String, byte[]> dlq = driver.createOutputTopic(pipeline.dlqTopic(), new StringDeserializer(),
                    new ByteArrayDeserializer());
            long lastWall = clock.getAsLong();
            long piped = 0;
            while (true) {
                FramePump.Next next = pump.next(IDLE_TICK_MS);
                // the driver's wall clock follows the real one also while no frame comes, so that a stalled
                // live stream gets its silent alert when run would give it one, not when its next frame arrives
                long now = clock.getAsLong();
                if (now > lastWall) {
                    driver.advanceWallClockTime(Duration.ofMillis(now - lastWall));
                    lastWall = now;
                }
                if (next.ended()) {
                    break;
                }
                if (next.frame() == null) {
                    drainAlerts(alerts);
                    continue;
                }
                CapturedFrame frame = next.frame();
                FrameRecord r = FrameRecord.of(frame, encoding, pipeline.maxPayloadBytes());
                if (judgeAlone) {
                    r.headers().add(FrameHeaders.BASELINE, FrameHeaders.BASELINE_OFF.getBytes(StandardCharsets.US_ASCII));
                }
                in.pipeInput(new TestRecord<>(r.key(), r.value(), r.headers(), Instant.ofEpochMilli(r.timestampMs())));
                piped++;
                drainAlerts(alerts); // in the topology's order: a silent alert opened while waiting, then the frame's
                for (TestRecord<String, byte[]> e : scores.readRecordsToList()) {
                    onEvent(e.value(), frame);
                }
                for (TestRecord<String, byte[]> d : dlq.readRecordsToList()) {
                    onDeadLetter(d.headers(), frame);
                }
                if (limits.maxFrames() > 0 && piped >= limits.maxFrames()) {
                    break;
                }
            }
            drainAlerts(alerts); // what the last move of the clock produced
        } catch (IOException e) {
            throw new UncheckedIOException(spec.streamId() + ": reading an event from the topology: " + e.getMessage(), e);
        } finally {
            deleteRecursively(state);
        }
    }

    private void drainAlerts(TestOutputTopic<String, byte[]> alerts) throws IOException {
        for (TestRecord<String, byte[]> a : alerts.readRecordsToList()) {
            output.alert(a.value());
            report.addAlert(JSON.readTree(a.value()));
        }
    }

    private void onEvent(byte[] json, CapturedFrame frame) throws IOException {
        output.event(json);
        JsonNode e = JSON.readTree(json);
        report.addEvent(e);
        boolean degraded = "degraded".equals(e.path("verdict").asText());
        double q = StreamReport.quality(e);
        Double quality = Double.isNaN(q) ? null : q;
        List<String> degradations = new ArrayList<>();
        e.path("degradations").forEach(d -> degradations.add(d.asText()));
        double severity = WorstFrames.severity(degraded, degradations.size(), quality);
        long capture = e.path("capture_ts").asLong();
        // only the frame just piped can be this event's; a thumbnail is made only for a frame worth keeping
        if (e.path("seq").asLong(-1) != frame.seq() || !report.worst.wouldKeep(severity, capture)) {
            return;
        }
        Optional<RgbImage> image = imageOf(frame);
        if (image.isEmpty()) {
            return;
        }
        RgbImage img = image.get();
        RgbImage thumb = img.width() <= THUMBNAIL_WIDTH ? img
                : ImageEncoder.resize(img, THUMBNAIL_WIDTH, Math.max(1, Math.round((float) img.height() * THUMBNAIL_WIDTH / img.width())));
        report.worst.offer(new WorstFrames.Entry(severity, frame.seq(), capture, quality, degradations, e,
                ImageEncoder.jpeg(thumb, THUMBNAIL_QUALITY), img.width(), img.height()));
    }

    private Optional<RgbImage> imageOf(CapturedFrame frame) {
        if (frame.image() != null) {
            return Optional.of(frame.image());
        }
        try {
            return Optional.of(pipeline.decoders().decode(frame.encoded(), FrameMetadata.of(frame.encodedType())).get(0).image());
        } catch (RuntimeException e) {
            return Optional.empty(); // the topology dead-lettered it already
        }
    }

    private void onDeadLetter(Headers headers, CapturedFrame frame) {
        String reason = header(headers, DeadLetter.H_REASON);
        report.addDeadLetter(reason);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("stream", spec.streamId());
        line.put("seq", frame.seq());
        line.put("capture_ts", frame.captureTsMs());
        line.put("stage", header(headers, DeadLetter.H_STAGE));
        line.put("reason", reason);
        line.put("error", header(headers, DeadLetter.H_MESSAGE));
        output.deadLetter(EventJson.toJson(line).getBytes(StandardCharsets.UTF_8));
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private Path createStateDir() {
        try {
            return Files.createTempDirectory(stateRoot, "state-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a state folder under " + stateRoot + ": " + e.getMessage(), e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.debug("could not delete {}: {}", dir, e.toString());
        }
    }
}
