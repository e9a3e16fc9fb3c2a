package io.frameq.processor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.frameq.event.EventJson;
import io.frameq.event.ScoreEvent;
import io.frameq.frame.Frame;
import io.frameq.frame.FrameHeaders;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.model.ModelDescriptor;
import io.frameq.quality.NrScore;
import io.frameq.quality.FrameScorer;
import io.frameq.route.Route;
import io.frameq.route.RoutePolicy;
import io.frameq.verdict.HysteresisPolicy;
import io.frameq.verdict.StreamVerdict;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Scores each frame with the no-reference model, judges it, and publishes one JSON event per
 * frame. The record is processed synchronously: its offset is committed only after its event was
 * handed to the producer, so a crash repeats events (same event id) but never loses one.
 */
public final class ScoreProcessor implements Processor<String, AnalyzedFrame, String, Object> {

    public static final String STAGE = "score";

    private final FrameScorer scorer;
    private final VerdictPolicy verdicts;
    private final FrameqMetrics metrics;
    private final String scoresChild;
    private final String alertsChild;
    private final DeadLetters deadLetters;
    private final ModelDescriptor model;
    private final ScoreEvent.ModelInfo modelInfo;
    private final long shedMaxLagMs;
    private final HysteresisPolicy hysteresis;
    private final String verdictStoreName;
    private final RoutePolicy routes;
    private final String restoreChild;
    private KeyValueStore<String, byte[]> verdictStore;
    private ProcessorContext<String, Object> context;

    public ScoreProcessor(FrameScorer scorer, VerdictPolicy verdicts, FrameqMetrics metrics, String scoresChild, String dlqChild) {
        this(scorer, verdicts, metrics, scoresChild, dlqChild, 0, null);
    }

    /**
     * @param shedMaxLagMs load shedding: a frame whose capture time is more than this many ms old is
     *     published without a model run ({@code shed: true}, score and quality null), unless a
     *     detector flagged it; 0 never sheds
     * @param alertsChild when not null, each {@link ScoreEvent} is also forwarded (as the object) to that child
     */
    public ScoreProcessor(FrameScorer scorer, VerdictPolicy verdicts, FrameqMetrics metrics, String scoresChild, String dlqChild,
                          long shedMaxLagMs, String alertsChild) {
        this(scorer, verdicts, metrics, scoresChild, dlqChild, shedMaxLagMs, alertsChild, null, null, RoutePolicy.DEFAULTS, null);
    }

    /**
     * @param hysteresis per-stream verdict policy; null: the stream verdict is the frame's verdict
     * @param verdictStoreName key-value store (stream id to {@link StreamVerdict}) of the hysteresis state; required with hysteresis
     * @param routes routing of degraded frames, written to the event's {@code route}
     * @param restoreChild when not null, each scored frame is also forwarded as a {@link ScoredFrame} to that child
     */
    public ScoreProcessor(FrameScorer scorer, VerdictPolicy verdicts, FrameqMetrics metrics, String scoresChild, String dlqChild,
                          long shedMaxLagMs, String alertsChild, HysteresisPolicy hysteresis, String verdictStoreName,
                          RoutePolicy routes, String restoreChild) {
        this.hysteresis = hysteresis;
        this.verdictStoreName = verdictStoreName;
        this.routes = routes;
        this.restoreChild = restoreChild;
        this.alertsChild = alertsChild;
        this.scorer = scorer;
        this.verdicts = verdicts;
        this.metrics = metrics;
        this.scoresChild = scoresChild;
        this.deadLetters = new DeadLetters(dlqChild, metrics);
        this.model = scorer.descriptor();
        this.modelInfo = new ScoreEvent.ModelInfo(model.name(), model.version(), model.family().wire(), model.trained());
        this.shedMaxLagMs = shedMaxLagMs;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        if (hysteresis != null) {
            this.verdictStore = context.getStateStore(verdictStoreName);
        }
    }

    @Override
    public void process(Record<String, AnalyzedFrame> record) {
        AnalyzedFrame in = record.value();
        Frame frame = in.frame();
        boolean shed = shedMaxLagMs > 0 && System.currentTimeMillis() - frame.captureTimeMs() > shedMaxLagMs
                && in.report().flags().isEmpty(); // suspects are always scored
        NrScore score = null;
        long scoreNanos = 0;
        if (shed) {
            metrics.frameShed(frame.streamId());
        } else {
            try {
                score = scorer.score(frame.image());
            } catch (RuntimeException e) {
                deadLetters.send(context, record, frame.payload(), frame.source(), STAGE, "inference_error", e);
                return;
            }
            scoreNanos = score.preprocessNanos() + score.inferenceNanos() + score.postprocessNanos();
            metrics.stage(STAGE, model.name(), scoreNanos);
            if (!scorer.recordsBatchSizes()) {
                metrics.batch(model.name(), score.cropScores().length);
            }
        }
        Double scoreValue = score == null ? null : score.score();
        VerdictPolicy.Judgement judgement = verdicts.judge(in.report(), score == null ? null : score.quality(),
                model.trained());
        Double qualityValue = judgement.quality(); // calibrated: the model's quality fused with the detectors
        List<String> reasons = judgement.reasons();
        String verdict = reasons.isEmpty() ? ScoreEvent.OK : ScoreEvent.DEGRADED;
        Route route = routes.route(reasons);
        String streamVerdict = verdict;
        if (hysteresis != null) {
            List<String> flags = in.report().flags().stream().map(io.frameq.detect.Degradation::code).toList();
            StreamVerdict state = StreamVerdict.fromBytes(verdictStore.get(frame.streamId()));
            state = hysteresis.next(state, hysteresis.evidence(frame.streamId(), flags, qualityValue, model.trained()));
            verdictStore.put(frame.streamId(), state.toBytes());
            streamVerdict = state.wire();
        }
        long now = System.currentTimeMillis();
        Map<String, Double> latency = new LinkedHashMap<>();
        latency.put("decode", in.decodeNanos() / 1e6);
        latency.put("detect", in.detectNanos() / 1e6);
        latency.put("score", scoreNanos / 1e6);
        latency.put("pipeline", (System.nanoTime() - frame.receivedNanos()) / 1e6);
        ScoreEvent event = new ScoreEvent(frame.source().eventId(), frame.streamId(), frame.seq(), frame.ptsMillis(),
                frame.captureTimeMs(), now,
                new ScoreEvent.Source(frame.source().topic(), frame.source().partition(), frame.source().offset(),
                        frame.source().index()),
                frame.width(), frame.height(), modelInfo, scoreValue, qualityValue, verdict, reasons,
                ScoreEvent.jsonSafe(in.report().readings().asMap()), latency, shed, streamVerdict,
                routes.primaryType(reasons, route), route.wire(),
                in.report().faults().stream().map(ScoreEvent.FaultInfo::of).toList());

        RecordHeaders headers = new RecordHeaders();
        headers.add(FrameHeaders.CONTENT_TYPE, "application/json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        headers.add(FrameHeaders.EVENT_ID, event.eventId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        context.forward(new Record<String, Object>(frame.streamId(), EventJson.toBytes(event), record.timestamp(), headers),
                scoresChild);
        if (alertsChild != null) {
            context.forward(new Record<String, Object>(frame.streamId(), event, record.timestamp()), alertsChild);
        }
        if (restoreChild != null) {
            context.forward(new Record<String, Object>(frame.streamId(), new ScoredFrame(frame, event), record.timestamp()),
                    restoreChild);
        }

        metrics.frameScored(frame.streamId(), event.eventId(), model.name(), qualityValue == null ? Double.NaN : qualityValue, !reasons.isEmpty(), (now - frame.captureTimeMs()) / 1000.0);
        metrics.lastFrame(frame.streamId(), frame.captureTimeMs());
        reasons.forEach(r -> metrics.degradation(frame.streamId(), r));
    }
}
