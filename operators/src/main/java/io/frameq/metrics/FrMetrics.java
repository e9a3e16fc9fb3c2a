package io.frameq.metrics;

/** The full-reference path's part of the {@link FrameqMetrics} port. */
public interface FrMetrics {

    /**
     * A rendition frame paired with its origin frame and scored. {@code psnrDb} may be infinite
     * (identical pictures), the others NaN (not computed); such values are not observed.
     */
    void pairScored(String renditionId, String model, double qualityValue, double psnrDb, double ssim, double msSsim,
                    double waitSeconds);

    /** A frame that found no partner within the join window and grace, by side (origin, rendition) and reason. */
    void unmatched(String side, String reason);
}
