package io.frameq.metrics;

import java.util.Map;

/**
 * What the operators report about their work: the port between the stream processing and a metrics
 * system. The processors and scorers call it and never see how (or whether) the numbers are
 * exported; {@link PrometheusMetrics} binds it to Prometheus, {@link #none()} drops everything.
 *
 * <p>Calls come from every stream thread (and the batcher's dispatcher) at once, per frame, so an
 * implementation must be thread-safe and cheap.
 */
public interface FrameqMetrics {

    /** Reports nothing: the default of an embedding that does not export metrics. */
    static FrameqMetrics none() {
        return NoMetrics.INSTANCE;
    }

    /** The full-reference (rendition vs origin) metrics. */
    FrMetrics fr();

    /**
     * A frame was scored (or published without a score, {@code qualityValue} NaN).
     *
     * @param frameId the frame's event id, or null
     * @param captureToNowSeconds capture time to now; negative when unknown
     */
    void frameScored(String streamId, String frameId, String model, double qualityValue, boolean degraded,
                     double captureToNowSeconds);

    /** A frame whose model run was skipped by load shedding. */
    void frameShed(String streamId);

    /**
     * A frame published without a model run, by reason ({@code sampled_out}, {@code shed}, {@code budget}); a shed
     * frame is also reported to {@link #frameShed}. No-op by default (ports written before sampling).
     */
    default void modelSkipped(String streamId, String reason) {
    }

    /** Capture time of the last frame scored of a stream. */
    void lastFrame(String streamId, long captureTimeMs);

    /**
     * A stream was retired (silent past its TTL): forget its per-stream series and label slot, so a
     * fleet whose cameras come and go does not grow the exported series without bound. A frame of
     * the stream later starts new series.
     */
    void streamRetired(String streamId);

    /** A frame flagged by a detector or the model, by degradation type. */
    void degradation(String streamId, String type);

    /** The latest cheap-detector readings of a stream; NaN and null readings are skipped. */
    void detectorReadings(String streamId, Map<String, Double> readings);

    /** A record sent to the DLQ before it was scored; {@code streamIdOrNull} null for unkeyed records. */
    void deadLetter(String streamIdOrNull, String reason, String stage);

    /**
     * A dead letter of a stage after scoring (e.g. restoration): the frame itself was already
     * counted as scored, so it is not counted again as a frame.
     */
    void deadLetterAfterScoring(String reason, String stage);

    /** An alert transition published, by kind (quality, silent) and state (open, resolved). */
    void alert(String kind, String state);

    /** Time one frame spent in a pipeline stage; {@code model} is {@code "-"} for stages without one. */
    void stage(String stage, String model, long nanos);

    /** Work units (crops, patches) of one model invocation. */
    void batch(String model, int units);

    /** A model this instance loaded, for the info metric. */
    void modelLoaded(String model, int version, String family, boolean trained, String provider, String precision);
}
