package io.frameq.processor;

import io.frameq.deadline.Deadline;
import io.frameq.deadline.DeadlineExceededException;
import io.frameq.deadline.Watchdog;
import io.frameq.event.ScoreEvent;
import io.frameq.frame.Frame;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.model.ModelDescriptor;
import io.frameq.quality.FrameScorer;
import io.frameq.quality.NrScore;
import io.frameq.scoring.FrameJudge;
import io.frameq.scoring.FrameVerdict;
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
     *     published without a model run ({@code shed: true}, score and quality null), unless a
     *     detector flagged it; 0 never sheds
     * @param verdictStore key-value store (stream id to {@link StreamVerdict}) of the hysteresis
     *     state; required when the judge keeps stream state
     * @param modelDeadlineMs how long the model may take for one frame before the frame is scored without it; 0 = no deadline
     */
    public record Settings(FrameScorer scorer, FrameJudge judge, long shedMaxLagMs, String verdictStore, long modelDeadlineMs) {

        /** Without a model deadline. */
        public Settings(FrameScorer scorer, FrameJudge judge, long shedMaxLagMs, String verdictStore) {
            this(scorer, judge, shedMaxLagMs, verdictStore, 0);
        }

        public Settings {
            if (modelDeadlineMs < 0) {
                throw new IllegalArgumentException("modelDeadlineMs: expected >= 0 (0 = none), actual " + modelDeadlineMs);
            }
            java.util.Objects.requireNonNull(scorer, "scorer");
            java.util.Objects.requireNonNull(judge, "judge");
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
    private KeyValueStore<String, byte[]> verdictStore;
    private ProcessorContext<String, Object> context;

    public ScoreProcessor(Settings settings, FrameqMetrics metrics, Outlet<ScoredFrame> scored, Outlet<DeadLettered> deadLetters) {
        this.settings = settings;
        this.metrics = metrics;
        this.scored = scored;
        this.deadLetters = new DeadLetters(deadLetters, metrics);
        this.model = settings.scorer().descriptor();
        this.events = new ScoreEventFactory(model);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        if (settings.judge().keepsStreamState()) {
            this.verdictStore = context.getStateStore(settings.verdictStore());
        }
    }

    @Override
    public void process(Record<String, AnalyzedFrame> record) {
        AnalyzedFrame in = record.value();
        Frame frame = in.frame();
        NrScore score = null;
        long scoreNanos = 0;
        String modelError = null;
        if (shed(in)) {
            metrics.frameShed(frame.streamId());
        } else {
            try (Deadline deadline = Watchdog.shared().open(STAGE, settings.modelDeadlineMs())) {
                NrScore scored = settings.scorer().score(frame.image());
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
            scoreNanos = score.preprocessNanos() + score.inferenceNanos() + score.postprocessNanos();
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
        ScoreEvent event = events.event(frame, in.report(), score, verdict, new ScoreEventFactory.Latency(in.decodeNanos(),
                in.detectNanos(), scoreNanos, System.nanoTime() - frame.receivedNanos()), now, modelError);
        scored.send(context, new Record<>(frame.streamId(), new ScoredFrame(frame, event), record.timestamp(),
                ScoreEventFactory.headers(event)));

        metrics.frameScored(frame.streamId(), event.eventId(), model.name(), quality == null ? Double.NaN : quality,
                verdict.degraded(), (now - frame.captureTimeMs()) / 1000.0);
        metrics.lastFrame(frame.streamId(), frame.captureTimeMs());
        verdict.reasons().forEach(r -> metrics.degradation(frame.streamId(), r));
    }

    /** Suspects are always scored: shedding only skips the model for late frames no detector flagged. */
    private boolean shed(AnalyzedFrame in) {
        return settings.shedMaxLagMs() > 0 && System.currentTimeMillis() - in.frame().captureTimeMs() > settings.shedMaxLagMs()
                && in.report().flags().isEmpty();
    }

    private StreamVerdict previousState(Frame frame) {
        return verdictStore == null ? null : StreamVerdict.fromBytes(verdictStore.get(frame.streamId()));
    }
}
