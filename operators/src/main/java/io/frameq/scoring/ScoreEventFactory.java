package io.frameq.scoring;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.frameq.detect.DetectorReport;
import io.frameq.event.ScoreEvent;
import io.frameq.frame.Frame;
import io.frameq.frame.FrameHeaders;
import io.frameq.frame.Reduction;
import io.frameq.model.ModelDescriptor;
import io.frameq.quality.NrScore;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the published {@link ScoreEvent} of one frame (the scores topic's JSON schema) and the
 * headers of its record, from values only.
 */
public final class ScoreEventFactory {

    private final ScoreEvent.ModelInfo model;

    public ScoreEventFactory(ModelDescriptor model) {
        Objects.requireNonNull(model, "model");
        this.model = new ScoreEvent.ModelInfo(model.name(), model.version(), model.family().wire(), model.trained());
    }

    /**
     * How long each stage took for this frame, in nanoseconds.
     *
     * @param pipelineNanos from the record's arrival at decode to the event
     */
    public record Latency(long decodeNanos, long detectNanos, long scoreNanos, long pipelineNanos) {
        Map<String, Double> asMillis() {
            Map<String, Double> ms = new LinkedHashMap<>();
            ms.put("decode", decodeNanos / 1e6);
            ms.put("detect", detectNanos / 1e6);
            ms.put("score", scoreNanos / 1e6);
            ms.put("pipeline", pipelineNanos / 1e6);
            return ms;
        }
    }

    /**
     * @param score the model's result, null when the frame was shed (not scored)
     * @param scoredTs wall-clock time of the event, epoch ms
     */
    public ScoreEvent event(Frame frame, DetectorReport report, NrScore score, FrameVerdict verdict, Latency latency,
                            long scoredTs) {
        return event(frame, report, score, verdict, latency, scoredTs, null);
    }

    /**
     * @param modelError why the model gave no score ({@code timeout}, {@code inference_error}), null when it ran or
     *     the frame was shed
     */
    public ScoreEvent event(Frame frame, DetectorReport report, NrScore score, FrameVerdict verdict, Latency latency,
                            long scoredTs, String modelError) {
        return event(frame, report, score, score == null && modelError == null ? ModelDecision.SHED : null, modelError, verdict,
                latency, scoredTs, Reduction.none(frame.width(), frame.height()));
    }

    /**
     * @param score the model's result, null when the model did not run or failed
     * @param modelSkipped why the model did not run ({@link ModelDecision#skipped()}), null when it ran
     * @param modelError why the model that ran gave no score ({@code timeout}, {@code inference_error}), else null
     * @param scoredTs wall-clock time of the event, epoch ms
     * @param size the picture's full size (the frame's image may have been shrunk for the detectors)
     */
    public ScoreEvent event(Frame frame, DetectorReport report, NrScore score, String modelSkipped, String modelError,
                            FrameVerdict verdict, Latency latency, long scoredTs, Reduction size) {
        if ((score == null) != (modelSkipped != null || modelError != null) || modelSkipped != null && modelError != null) {
            throw new IllegalArgumentException("modelSkipped, modelError: expected one reason exactly when there is no score, "
                    + "actual '" + modelSkipped + "', '" + modelError + "' with score " + score);
        }
        var src = frame.source();
        return new ScoreEvent(src.eventId(), frame.streamId(), frame.seq(), frame.ptsMillis(), frame.captureTimeMs(), scoredTs,
                new ScoreEvent.Source(src.topic(), src.partition(), src.offset(), src.index()),
                size.fullWidth(), size.fullHeight(), model, score == null ? null : score.score(),
                verdict.quality(), verdict.verdict(), verdict.reasons(),
                ScoreEvent.jsonSafe(report.readings().asMap()), latency.asMillis(), ModelDecision.SHED.equals(modelSkipped),
                verdict.streamVerdict(), verdict.degradationType(), verdict.route().wire(),
                report.faults().stream().map(ScoreEvent.FaultInfo::of).toList(),
                score == null || score.map() == null ? null : ScoreEvent.ModelMap.of(score.map(), score.score()), modelError,
                modelSkipped);
    }

    /** The scores record's headers: the content type and the event id (consumers dedupe on it). */
    public static Headers headers(ScoreEvent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(FrameHeaders.CONTENT_TYPE, "application/json".getBytes(StandardCharsets.UTF_8));
        headers.add(FrameHeaders.EVENT_ID, event.eventId().getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
