package io.frameq.app.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

import io.frameq.baseline.BaselineJudge;
import io.frameq.baseline.SceneMode;
import io.frameq.baseline.StreamBaseline;
import io.frameq.detect.DetectorReport;
import io.frameq.detect.DetectorSuite;
import io.frameq.event.EventJson;
import io.frameq.event.ScoreEvent;
import io.frameq.frame.ContentType;
import io.frameq.frame.FfmpegImageDecoder;
import io.frameq.frame.Frame;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameMetadata;
import io.frameq.frame.FrameSource;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.Reduction;
import io.frameq.frame.RgbImage;
import io.frameq.frame.VideoSegmentDecoder;
import io.frameq.quality.FrameScorer;
import io.frameq.quality.NrScore;
import io.frameq.scoring.FrameJudge;
import io.frameq.scoring.FrameVerdict;
import io.frameq.scoring.ModelDecision;
import io.frameq.scoring.ScoreEventFactory;
import io.frameq.verdict.StreamVerdict;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the frame path's hot code on a frame of its own before Kafka Streams consumes anything
 * ({@code startup.warmup.ms}), so that an instance that starts, or restarts after a crash, is fast from its first
 * real frame: a cold JVM interprets the decoder's and detectors' loops until the JIT has compiled them, and ONNX
 * Runtime allocates its buffers on a session's first run. Measured from a cold start (BENCHMARKS.md, "Start-up
 * warm-up"), the first real frames otherwise cost about twice their warm CPU while the JIT competes for the cores.
 *
 * <p>Each round does what the topology does with one JPEG: the full decode (what the model gets), the reduced
 * decode when the detectors get shrunk frames, the detectors and spatial grid on that picture with the previous
 * round's thumbnail, the baseline judge on a baseline of its own, in the first rounds the NR model, and with
 * {@code optEvents} the verdict (with hysteresis) and the score event's JSON and headers, which are dropped. The
 * same decoder, detector, judge, scorer and event classes as the topology's, called directly: no processor, store,
 * topic, metric, model budget or sampler sees the warm-up, so it produces no event and changes no stream's state.
 * Rounds repeat until the time is spent (a round that started finishes) or {@code optMaxRounds}.
 *
 * <p>A failure here never stops start-up: it is logged and the instance starts cold (the real frame that meets
 * the same fault goes to the DLQ with its reason, as always).
 */
public final class StartupWarmUp {

    private static final Logger LOG = LoggerFactory.getLogger(StartupWarmUp.class);

    /** The bundled clip the warm-up frame is taken from (a 16:9 street scene, licence beside it). */
    static final String CLIP = "/demo/clips/people.mp4";
    /** The most common camera size: a frame of this size takes the same code paths (reduced decode by 2) as 1080p input. */
    static final int FRAME_WIDTH = 1920;
    static final int FRAME_HEIGHT = 1080;
    static final int FRAME_JPEG_QUALITY = 75;
    /** The stream id of the warm-up's frames and events, which never leave it. */
    static final String STREAM = "frameq-warmup";
    /** ONNX Runtime allocates on a session's first run; the second shows the steady cost. */
    public static final int DEFAULT_MODEL_RUNS = 2;

    /**
     * What one warm-up did.
     *
     * @param rounds     rounds started and finished
     * @param events     score events built and serialised (and dropped)
     * @param elapsedMs  wall time of the rounds
     * @param failure    null, or what stopped the warm-up early (the instance then started cold)
     */
    public record Report(int rounds, int fullDecodes, int reducedDecodes, int detections, int judgements, int modelRuns,
                         int events, long elapsedMs, String failure) {

        /** No warm-up ({@code startup.warmup.ms=0}). */
        public static final Report SKIPPED = new Report(0, 0, 0, 0, 0, 0, 0, 0, null);

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d rounds in %d ms: %d full decodes, %d reduced decodes, %d detector runs, "
                            + "%d baseline judgements, %d model runs, %d events built and dropped%s", rounds, elapsedMs, fullDecodes,
                    reducedDecodes, detections, judgements, modelRuns, events, failure == null ? "" : "; stopped early: " + failure);
        }
    }

    private final byte[] jpeg;
    private final FrameDecoders decoders;
    private final DetectorSuite detectors;
    private final BaselineJudge judge;
    private final FrameScorer scorer;
    private final FrameJudge verdicts;
    private final ScoreEventFactory events;
    private final int modelRuns;
    private final int reducedMinWidth;
    private final long budgetMs;
    private final int maxRounds;
    private final BooleanSupplier stop;

    private StartupWarmUp(Builder b) {
        this.jpeg = b.jpeg;
        this.decoders = b.decoders;
        this.detectors = b.detectors;
        this.judge = b.judge;
        this.scorer = b.scorer;
        this.verdicts = b.verdicts;
        this.events = b.events;
        this.modelRuns = b.modelRuns;
        this.reducedMinWidth = b.reducedMinWidth;
        this.budgetMs = b.budgetMs;
        this.maxRounds = b.maxRounds;
        this.stop = b.stop;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Runs the rounds on the calling thread and logs what they did. */
    public Report run() {
        long t0 = System.nanoTime();
        long deadline = t0 + budgetMs * 1_000_000L;
        FrameMetadata meta = FrameMetadata.of(ContentType.JPEG);
        // Its own baseline, never stored: the judge is stateless, the state it learns here is thrown away.
        StreamBaseline baseline = new StreamBaseline(judge.settings().capacity());
        long captureMs = 0;
        byte[] thumbnail = null;
        int rounds = 0;
        int full = 0;
        int reduced = 0;
        int detected = 0;
        int judged = 0;
        int modelled = 0;
        int built = 0;
        StreamVerdict verdictState = null;
        String failure = null;
        try {
            while (rounds < maxRounds && (rounds == 0 || System.nanoTime() < deadline) && !stop.getAsBoolean()) {
                RgbImage fullImage = decoders.decode(jpeg, meta).get(0).image();
                full++;
                long roundStart = System.nanoTime();
                RgbImage detectOn = fullImage;
                Reduction reduction = Reduction.none(fullImage.width(), fullImage.height());
                if (reducedMinWidth > 0) {
                    FfmpegImageDecoder.Reduced r = decoders.decodeReduced(jpeg, meta, reducedMinWidth);
                    detectOn = r.frames().get(0).image();
                    reduction = r.reduction();
                    reduced++;
                }
                DetectorReport report = detectors.analyze(detectOn, thumbnail, reduction.factor());
                thumbnail = report.thumbnail();
                detected++;
                judge.judge(baseline, report, SceneMode.monochrome(detectOn), captureMs, true);
                captureMs += Math.max(1, judge.settings().sampleIntervalMs()); // every round a sample: the learning path too
                judged++;
                NrScore score = null;
                if (scorer != null && modelled < modelRuns) {
                    score = scorer.score(fullImage);
                    modelled++;
                }
                if (events != null) {
                    Frame frame = new Frame(STREAM, rounds, rounds * 1000L, captureMs, roundStart, detectOn, FrameSource.UNKNOWN, jpeg);
                    FrameVerdict verdict = verdicts.judge(STREAM, report, score == null ? null : score.quality(),
                            scorer != null && scorer.descriptor().trained(), verdictState);
                    verdictState = verdict.streamState();
                    if (verdictState != null) {
                        verdictState.toBytes(); // what the score stage stores
                    }
                    long dt = System.nanoTime() - roundStart;
                    ScoreEvent event = events.event(frame, report, score, score == null ? ModelDecision.SAMPLED_OUT : null, null,
                            verdict, new ScoreEventFactory.Latency(dt, dt, dt, dt), System.currentTimeMillis(), reduction);
                    EventJson.toBytes(event);
                    ScoreEventFactory.headers(event);
                    built++;
                }
                rounds++;
            }
        } catch (RuntimeException e) {
            failure = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.warn("Start-up warm-up failed after {} rounds; starting cold", rounds, e);
        }
        Report r = new Report(rounds, full, reduced, detected, judged, modelled, built, (System.nanoTime() - t0) / 1_000_000L, failure);
        LOG.info("Start-up warm-up ({} ms budget, {}x{} JPEG of {} KB): {}", budgetMs, FRAME_WIDTH, FRAME_HEIGHT,
                jpeg.length / 1000, r);
        return r;
    }

    /**
     * The warm-up frame: the first picture of the bundled clip {@link #CLIP}, scaled to 1920x1080 and encoded as a
     * JPEG of quality 75. FFmpeg opens files, not resources, so the clip goes through a temporary file.
     */
    public static byte[] bundledFrame() {
        try {
            Path tmp = Files.createTempFile("frameq-warmup-", ".mp4");
            try (InputStream in = StartupWarmUp.class.getResourceAsStream(CLIP)) {
                if (in == null) {
                    throw new IllegalStateException("start-up warm-up: bundled clip missing from the jar: " + CLIP);
                }
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                RgbImage first = VideoSegmentDecoder.readVideoFile(tmp, 1, 1).get(0);
                return ImageEncoder.jpeg(ImageEncoder.resize(first, FRAME_WIDTH, FRAME_HEIGHT), FRAME_JPEG_QUALITY);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("start-up warm-up: clip " + CLIP + ": " + e.getMessage(), e);
        }
    }

    /** Required {@code set*}, optional {@code opt*}; {@link #build()} lists every problem at once. */
    public static final class Builder {
        private byte[] jpeg;
        private FrameDecoders decoders;
        private DetectorSuite detectors;
        private BaselineJudge judge;
        private FrameScorer scorer;
        private FrameJudge verdicts;
        private ScoreEventFactory events;
        private int modelRuns = DEFAULT_MODEL_RUNS;
        private int reducedMinWidth;
        private long budgetMs;
        private int maxRounds = Integer.MAX_VALUE;
        private BooleanSupplier stop = () -> false;

        private Builder() {
        }

        /** The frame every round decodes (a JPEG, the input the topology decodes shrunk). */
        public Builder setFrame(byte[] jpeg) {
            this.jpeg = jpeg;
            return this;
        }

        public Builder setDecoders(FrameDecoders decoders) {
            this.decoders = decoders;
            return this;
        }

        public Builder setDetectors(DetectorSuite detectors) {
            this.detectors = detectors;
            return this;
        }

        public Builder setJudge(BaselineJudge judge) {
            this.judge = judge;
            return this;
        }

        /** How long rounds may start (ms, at least 1): the first round always runs, one that started finishes. */
        public Builder setBudgetMs(long budgetMs) {
            this.budgetMs = budgetMs;
            return this;
        }

        /** The NR scorer, run in the first {@code runs} rounds; without it no model runs. */
        public Builder optScorer(FrameScorer scorer, int runs) {
            this.scorer = scorer;
            this.modelRuns = runs;
            return this;
        }

        /** The score stage's verdict and event classes: each round builds its event and its JSON, then drops them. */
        public Builder optEvents(FrameJudge verdicts, ScoreEventFactory events) {
            this.verdicts = verdicts;
            this.events = events;
            return this;
        }

        /** {@code decode.jpeg.reduced.min.width}: above 0, each round also decodes shrunk and the detectors get that. */
        public Builder optReducedMinWidth(int reducedMinWidth) {
            this.reducedMinWidth = reducedMinWidth;
            return this;
        }

        /** At most this many rounds, even with time left (default: no limit but the time). */
        public Builder optMaxRounds(int maxRounds) {
            this.maxRounds = maxRounds;
            return this;
        }

        /** Asked before each round: true ends the warm-up (the instance is closing). */
        public Builder optStop(BooleanSupplier stop) {
            this.stop = stop;
            return this;
        }

        /** Every problem of the settings, in plain words; empty when they are valid. */
        public List<String> validate() {
            List<String> problems = new ArrayList<>();
            if (jpeg == null || jpeg.length == 0) {
                problems.add("StartupWarmUp: frame: expected a JPEG, actual " + (jpeg == null ? "none" : "0 bytes"));
            }
            if (decoders == null) {
                problems.add("StartupWarmUp: decoders: expected the topology's FrameDecoders, actual none");
            }
            if (detectors == null) {
                problems.add("StartupWarmUp: detectors: expected a DetectorSuite, actual none");
            }
            if (judge == null) {
                problems.add("StartupWarmUp: judge: expected a BaselineJudge, actual none");
            }
            if (budgetMs < 1) {
                problems.add("StartupWarmUp: budgetMs: expected at least 1 ms, actual " + budgetMs);
            }
            if (scorer != null && modelRuns < 0) {
                problems.add("StartupWarmUp: model runs: expected 0 or more, actual " + modelRuns);
            }
            if ((verdicts == null) != (events == null)) {
                problems.add("StartupWarmUp: events: expected both a FrameJudge and a ScoreEventFactory or neither, actual "
                        + (verdicts == null ? "no FrameJudge" : "no ScoreEventFactory"));
            }
            if (reducedMinWidth < 0) {
                problems.add("StartupWarmUp: reducedMinWidth: expected 0 (off) or a width, actual " + reducedMinWidth);
            }
            if (maxRounds < 1) {
                problems.add("StartupWarmUp: maxRounds: expected at least 1, actual " + maxRounds);
            }
            if (stop == null) {
                problems.add("StartupWarmUp: stop: expected a condition, actual null");
            }
            return problems;
        }

        public StartupWarmUp build() {
            List<String> problems = validate();
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            return new StartupWarmUp(this);
        }
    }
}
