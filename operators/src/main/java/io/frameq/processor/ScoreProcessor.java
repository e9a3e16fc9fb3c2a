package io.frameq.processor;

import io.frameq.deadline.Deadline;
import io.frameq.deadline.DeadlineExceededException;
import io.frameq.deadline.Watchdog;
import io.frameq.event.ScoreEvent;
import io.frameq.frame.ContentType;
import io.frameq.frame.Frame;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameMetadata;
import io.frameq.frame.RgbImage;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.model.ModelDescriptor;
import io.frameq.quality.FrameScorer;
import io.frameq.quality.NrScore;
import io.frameq.scoring.FrameJudge;
import io.frameq.scoring.FrameVerdict;
import io.frameq.scoring.ModelBudget;
import io.frameq.scoring.ModelDecision;
import io.frameq.scoring.ModelSampler;
import io.frameq.scoring.ModelSamplingPolicy;
import io.frameq.scoring.ScoreEventFactory;
import io.frameq.verdict.StreamVerdict;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Scores each frame with the no-reference model and hands on one {@link ScoredFrame}; the judging
 * ({@link FrameJudge}) and the event ({@link ScoreEventFactory}) are domain code. The record is
 * processed synchronously: its offset is committed only after its event was handed to the
 * producer, so a crash repeats events (same event id) but never loses one.
 *
 * <p>A model run that fails or passes its deadline ({@code Settings#modelDeadlineMs}, enforced by the
 * {@link Watchdog}) does not lose the frame's verdict: the event is still published from the detectors,
 * with score and quality null and {@code model_error} saying why, and the payload goes to the DLQ with
 * that reason ({@code timeout} or {@code inference_error}) for replay.
 */
public final class ScoreProcessor implements Processor<String, AnalyzedFrame, String, Object> {

    public static final String STAGE = "score";

    /**
     * @param shedMaxLagMs load shedding: a frame whose capture time is more than this many ms old is
     *     published without a model run ({@code shed: true}, score and quality null), unless the
     *     sampling keeps it (see {@link ModelSampler}); 0 never sheds
     * @param verdictStore key-value store (stream id to {@link StreamVerdict}) of the hysteresis
     *     state; required when the judge keeps stream state
     * @param modelDeadlineMs how long the model may take for one frame before the frame is scored without it; 0 = no deadline
     * @param sampling which frames the model sees ({@link ModelSamplingPolicy#EVERY_FRAME}: all)
     * @param fullDecoder decodes a frame again at full size when the decode stage shrank it for the detectors and the
     *     model takes it; null when the decode stage never shrinks
     * @param retireAfterMs the streams' retirement TTL: the sampler forgets a stream silent that long; 0 = never
     * @param budget the instance's model runs per second, one object shared by the score processors of all stream
     *     threads ({@link ModelBudget#unlimited()}: none)
     */
    public record Settings(FrameScorer scorer, FrameJudge judge, long shedMaxLagMs, String verdictStore, long modelDeadlineMs,
                           ModelSamplingPolicy sampling, FrameDecoders fullDecoder, long retireAfterMs, ModelBudget budget) {

        /** Without a model budget. */
        public Settings(FrameScorer scorer, FrameJudge judge, long shedMaxLagMs, String verdictStore, long modelDeadlineMs,
                        ModelSamplingPolicy sampling, FrameDecoders fullDecoder, long retireAfterMs) {
            this(scorer, judge, shedMaxLagMs, verdictStore, modelDeadlineMs, sampling, fullDecoder, retireAfterMs,
                    ModelBudget.unlimited());
        }

        /** Without a model deadline; the model on every frame. */
        public Settings(FrameScorer scorer, FrameJudge judge, long shedMaxLagMs, String verdictStore) {
            this(scorer, judge, shedMaxLagMs, verdictStore, 0);
        }

        /** The model on every frame. */
        public Settings(FrameScorer scorer, FrameJudge judge, long shedMaxLagMs, String verdictStore, long modelDeadlineMs) {
            this(scorer, judge, shedMaxLagMs, verdictStore, modelDeadlineMs, ModelSamplingPolicy.EVERY_FRAME, null, 0);
        }

        public Settings {
            if (modelDeadlineMs < 0) {
                throw new IllegalArgumentException("modelDeadlineMs: expected >= 0 (0 = none), actual " + modelDeadlineMs);
            }
            java.util.Objects.requireNonNull(scorer, "scorer");
            java.util.Objects.requireNonNull(judge, "judge");
            java.util.Objects.requireNonNull(sampling, "sampling");
            java.util.Objects.requireNonNull(budget, "budget");
            if (retireAfterMs < 0) {
                throw new IllegalArgumentException("retireAfterMs: expected >= 0, actual " + retireAfterMs);
            }
            if (shedMaxLagMs < 0) {
                throw new IllegalArgumentException("shedMaxLagMs: expected >= 0, actual " + shedMaxLagMs);
            }
            if (judge.keepsStreamState() && verdictStore == null) {
                throw new IllegalArgumentException("verdictStore: expected a store name with hysteresis, actual null");
            }
        }
    }

    private final Settings settings;
    private final FrameqMetrics metrics;
    private final Outlet<ScoredFrame> scored;
    private final DeadLetters deadLetters;
    private final ModelDescriptor model;
    private final ScoreEventFactory events;
    private final ModelSampler sampler;
    private KeyValueStore<String, byte[]> verdictStore;
    private ProcessorContext<String, Object> context;

    public ScoreProcessor(Settings settings, FrameqMetrics metrics, Outlet<ScoredFrame> scored, Outlet<DeadLettered> deadLetters) {
        this.settings = settings;
        this.metrics = metrics;
        this.scored = scored;
        this.deadLetters = new DeadLetters(deadLetters, metrics);
        this.model = settings.scorer().descriptor();
        this.events = new ScoreEventFactory(model);
        this.sampler = new ModelSampler(settings.sampling(), settings.budget());
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        if (settings.judge().keepsStreamState()) {
            this.verdictStore = context.getStateStore(settings.verdictStore());
        }
        long ttl = settings.retireAfterMs();
        if (ttl > 0) {
            // capture time against the wall clock: a stream silent that long is retired downstream, and its
            // sampling state (a few fields) goes with it; its next frame runs the model as a first frame
            context.schedule(java.time.Duration.ofMillis(Math.max(1_000L, Math.min(60_000L, ttl / 10))),
                    org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME,
                    now -> sampler.forgetStreamsSilentSince(now - ttl));
        }
    }

    @Override
    public void process(Record<String, AnalyzedFrame> record) {
        AnalyzedFrame in = record.value();
        Frame frame = in.frame();
        NrScore score = null;
        long scoreNanos = 0;
        String modelError = null;
        Frame published = frame; // the full-size frame when the model had it decoded again
        ModelDecision decision = sampler.decide(frame.streamId(), frame.captureTimeMs(), in.report().flags(),
                in.baselineDeviation(), late(frame));
        if (!decision.run()) {
            metrics.modelSkipped(frame.streamId(), decision.because());
            if (ModelDecision.SHED.equals(decision.because())) {
                metrics.frameShed(frame.streamId());
            }
        } else {
            RgbImage image = frame.image();
            if (in.reduction().reduced()) {
                long t0 = System.nanoTime();
                try {
                    image = fullSize(frame);
                } catch (RuntimeException e) { // FrameDecodeException included
                    deadLetters.send(context, record, frame.payload(), frame.source(), STAGE, "full_decode_error", e);
                    return;
                }
                scoreNanos += System.nanoTime() - t0;
                published = new Frame(frame.streamId(), frame.seq(), frame.ptsMillis(), frame.captureTimeMs(),
                        frame.receivedNanos(), image, frame.source(), frame.payload());
            }
            try (Deadline deadline = Watchdog.shared().open(STAGE, settings.modelDeadlineMs())) {
                NrScore scored = settings.scorer().score(image);
                if (deadline != null) {
                    deadline.check(); // a scorer that ignored the deadline still overran it
                }
                score = scored;
            } catch (DeadlineExceededException e) {
                modelError = DeadlineExceededException.REASON;
                deadLetters.send(context, record, frame.payload(), frame.source(), STAGE, modelError, e, true);
            } catch (RuntimeException e) {
                modelError = "inference_error";
                deadLetters.send(context, record, frame.payload(), frame.source(), STAGE, modelError, e, true);
            }
        }
        if (score != null) {
            scoreNanos += score.preprocessNanos() + score.inferenceNanos() + score.postprocessNanos();
            metrics.stage(STAGE, model.name(), scoreNanos);
            if (!settings.scorer().recordsBatchSizes()) {
                metrics.batch(model.name(), score.cropScores().length);
            }
        }
        Double quality = score == null ? null : score.quality();
        FrameVerdict verdict = settings.judge().judge(frame.streamId(), in.report(), quality, model.trained(), previousState(frame));
        if (verdict.streamState() != null) {
            verdictStore.put(frame.streamId(), verdict.streamState().toBytes());
        }
        long now = System.currentTimeMillis();
        ScoreEvent event = events.event(frame, in.report(), score, decision.skipped(), modelError, verdict,
                new ScoreEventFactory.Latency(in.decodeNanos(), in.detectNanos(), scoreNanos,
                        System.nanoTime() - frame.receivedNanos()), now, in.reduction());
        scored.send(context, new Record<>(frame.streamId(), new ScoredFrame(published, event), record.timestamp(),
                ScoreEventFactory.headers(event)));

        metrics.frameScored(frame.streamId(), event.eventId(), model.name(), quality == null ? Double.NaN : quality,
                verdict.degraded(), (now - frame.captureTimeMs()) / 1000.0);
        metrics.lastFrame(frame.streamId(), frame.captureTimeMs());
        verdict.reasons().forEach(r -> metrics.degradation(frame.streamId(), r));
    }

    /** The frame's payload (a JPEG, the only kind the decode stage shrinks) decoded at full size. */
    private RgbImage fullSize(Frame frame) {
        if (settings.fullDecoder() == null) {
            throw new IllegalStateException("score: a frame shrunk for the detectors reached the model, but no full decoder is set");
        }
        return settings.fullDecoder().decode(frame.payload(), FrameMetadata.of(ContentType.JPEG)).get(0).image();
    }

    /** Older than the shedding lag: the sampler then keeps the model only for new suspects, first frames and gaps. */
    private boolean late(Frame frame) {
        return settings.shedMaxLagMs() > 0 && System.currentTimeMillis() - frame.captureTimeMs() > settings.shedMaxLagMs();
    }

    private StreamVerdict previousState(Frame frame) {
        return verdictStore == null ? null : StreamVerdict.fromBytes(verdictStore.get(frame.streamId()));
    }
}
