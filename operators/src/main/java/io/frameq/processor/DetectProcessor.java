package io.frameq.processor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.frameq.baseline.BaselineCodec;
import io.frameq.baseline.BaselineJudge;
import io.frameq.baseline.Judgement;
import io.frameq.baseline.SceneMode;
import io.frameq.baseline.StreamBaseline;
import io.frameq.detect.DetectorReport;
import io.frameq.detect.DetectorSuite;
import io.frameq.frame.Frame;
import io.frameq.frame.FrameHeaders;
import io.frameq.metrics.FrameqMetrics;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the cheap detectors on every frame and judges their flags against the stream's own normal
 * ({@link BaselineJudge}). The previous frame's thumbnail and each stream's baseline live in changelogged state
 * stores, so freeze detection and what a camera has learnt survive restarts and rebalances. Baselines are
 * also kept decoded in memory for the streams of this task; the store is written only when one changed.
 * With a retirement TTL, a cached baseline not used for that long is dropped (a punctuator frees the memory,
 * and a frame finding one that old reloads from the store): the alerts stage deletes a retired stream's
 * store entries, and a stale copy here would bring its old normal back.
 */
public final class DetectProcessor implements Processor<String, DecodeProcessor.DecodedInput, String, Object> {

    public static final String STAGE = "detect";
    private static final Logger LOG = LoggerFactory.getLogger(DetectProcessor.class);

    private final DetectorSuite detectors;
    private final FrameqMetrics metrics;
    private final String storeName;
    private final Outlet<AnalyzedFrame> analyzed;
    private final DeadLetters deadLetters;
    private final BaselineJudge judge;
    private final String baselineStoreName;
    private final Map<String, Cached> baselineCache = new HashMap<>();
    /** 0: cached baselines never expire. */
    private final long retireAfterMs;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> thumbnails;
    private KeyValueStore<String, byte[]> baselines;

    /**
     * @param storeName key-value store (stream id to the previous frame's thumbnail)
     * @param baselineStoreName key-value store (stream id to its encoded {@link StreamBaseline})
     */
    public DetectProcessor(DetectorSuite detectors, BaselineJudge judge, FrameqMetrics metrics, String storeName,
                           String baselineStoreName, Outlet<AnalyzedFrame> analyzed, Outlet<DeadLettered> deadLetters) {
        this(detectors, judge, metrics, storeName, baselineStoreName, analyzed, deadLetters, 0);
    }

    /** @param retireAfterMs the streams' retirement TTL (wall clock); 0 when streams are never retired */
    public DetectProcessor(DetectorSuite detectors, BaselineJudge judge, FrameqMetrics metrics, String storeName,
                           String baselineStoreName, Outlet<AnalyzedFrame> analyzed, Outlet<DeadLettered> deadLetters,
                           long retireAfterMs) {
        if (retireAfterMs < 0) {
            throw new IllegalArgumentException("DetectProcessor: retireAfterMs: expected 0 (never) or more ms, actual " + retireAfterMs);
        }
        this.retireAfterMs = retireAfterMs;
        this.detectors = detectors;
        this.judge = judge;
        this.baselineStoreName = baselineStoreName;
        this.metrics = metrics;
        this.storeName = storeName;
        this.analyzed = analyzed;
        this.deadLetters = new DeadLetters(deadLetters, metrics);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        // Kafka Streams re-inits this same instance when it revives a corrupted task (exactly-once: the transaction
        // was aborted, the stores wiped and restored from the changelog). Baselines cached from the aborted
        // records would then be applied a second time to the replayed ones: the store is the only truth here.
        baselineCache.clear();
        this.thumbnails = context.getStateStore(storeName);
        this.baselines = context.getStateStore(baselineStoreName);
        if (retireAfterMs > 0) {
            context.schedule(Duration.ofMillis(Math.max(1_000L, Math.min(60_000L, retireAfterMs / 10))),
                    PunctuationType.WALL_CLOCK_TIME, now -> baselineCache.values().removeIf(c -> expired(c, now)));
        }
    }

    /** A decoded baseline and when this task last used it (wall clock). */
    private static final class Cached {
        final StreamBaseline baseline;
        long lastUsedMs;

        Cached(StreamBaseline baseline) {
            this.baseline = baseline;
        }
    }

    private boolean expired(Cached c, long now) {
        return retireAfterMs > 0 && now - c.lastUsedMs >= retireAfterMs;
    }

    @Override
    public void process(Record<String, DecodeProcessor.DecodedInput> record) {
        Frame frame = record.value().frame();
        long t0 = System.nanoTime();
        DetectorReport report;
        boolean deviation;
        try {
            report = detectors.analyze(frame.image(), thumbnails.get(frame.streamId()), record.value().reduction().factor());
            String control = baselineControl(record);
            deviation = false;
            if (!FrameHeaders.BASELINE_OFF.equals(control)) {
                Judgement judgement = judge(frame, report, FrameHeaders.BASELINE_RESET.equals(control));
                report = judge.withJudgedFaults(judgement, report.withFlags(judgement.flags()));
                deviation = !judgement.deviations().isEmpty();
            }
        } catch (RuntimeException e) {
            deadLetters.send(context, record, frame.payload(), frame.source(), STAGE, "detector_error", e);
            return;
        }
        thumbnails.put(frame.streamId(), report.thumbnail());
        long detectNanos = System.nanoTime() - t0;
        metrics.stage(STAGE, "-", detectNanos);
        metrics.detectorReadings(frame.streamId(), report.readings().asMap());
        analyzed.send(context, new Record<>(record.key(),
                new AnalyzedFrame(frame, report, record.value().decodeNanos(), detectNanos, deviation,
                        record.value().reduction()), record.timestamp(), record.headers()));
    }

    /** The frame's {@link FrameHeaders#BASELINE} value ({@code reset}, {@code off}), or null. */
    private static String baselineControl(Record<String, ?> record) {
        Header h = record.headers().lastHeader(FrameHeaders.BASELINE);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.US_ASCII).strip();
    }

    private Judgement judge(Frame frame, DetectorReport report, boolean reset) {
        String stream = frame.streamId();
        if (reset) {
            baselineCache.remove(stream);
            baselines.delete(stream);
            LOG.info("stream '{}': baseline reset on request (header {}), learning its normal anew", stream, FrameHeaders.BASELINE);
        }
        long now = context.currentSystemTimeMs();
        Cached cached = baselineCache.get(stream);
        if (cached == null || expired(cached, now)) {
            cached = new Cached(BaselineCodec.decode(baselines.get(stream), judge.settings().capacity()));
            baselineCache.put(stream, cached);
        }
        cached.lastUsedMs = now;
        StreamBaseline baseline = cached.baseline;
        Judgement j = judge.judge(baseline, report, SceneMode.monochrome(frame.image()),
                frame.captureTimeMs(), !judge.settings().steerable(stream));
        if (baseline.takeChanged()) {
            baselines.put(stream, BaselineCodec.encode(baseline));
        }
        return j;
    }
}
