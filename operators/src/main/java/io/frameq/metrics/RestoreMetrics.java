package io.frameq.metrics;

/**
 * The restoration branch's port: restorations by model and result, frames over budget, and the
 * quality gain. Separate from {@link FrameqMetrics} because its metrics exist only where
 * restoration is on.
 */
public interface RestoreMetrics {

    /** Reports nothing: the default while no binding is given. */
    static RestoreMetrics none() {
        return NoMetrics.INSTANCE;
    }

    /** A restoration that succeeded; {@code qualityGain} null when the original had no score (shed). */
    void restored(String model, long nanos, Double qualityGain);

    void failed(String model);

    /** A restorable frame left alone because the stream's budget ({@code frames} or {@code compute}) was used up. */
    void overBudget(String stream, String model, String budget);
}
