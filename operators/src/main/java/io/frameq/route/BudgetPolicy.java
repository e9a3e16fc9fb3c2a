package io.frameq.route;

/**
 * How much of a stream restoration may take, so that it never starves scoring.
 *
 * @param maxFrameShare at most this share of any {@code windowFrames} consecutive frames of a stream
 *     is restored (0 restores nothing, 1 no frame limit)
 * @param windowFrames length of the sliding frame window
 * @param maxComputeShare restoration time of a stream within any {@code windowMs} of capture time stays
 *     at or below this share of the window (checked before each restoration against the time already
 *     spent plus the stream's last restoration time; a window with nothing spent always admits one
 *     frame, so the overshoot is at most one frame's cost); 1 = no compute limit
 * @param windowMs length of the sliding compute window, ms of capture time
 */
public record BudgetPolicy(double maxFrameShare, int windowFrames, double maxComputeShare, long windowMs) {

    public static final BudgetPolicy DEFAULTS = new BudgetPolicy(0.25, 40, 0.5, 10_000);

    public BudgetPolicy {
        if (!(maxFrameShare >= 0 && maxFrameShare <= 1)) {
            throw new IllegalArgumentException("BudgetPolicy: maxFrameShare must be in [0, 1], got " + maxFrameShare);
        }
        if (windowFrames < 1) {
            throw new IllegalArgumentException("BudgetPolicy: windowFrames must be >= 1, got " + windowFrames);
        }
        if (!(maxComputeShare > 0 && maxComputeShare <= 1)) {
            throw new IllegalArgumentException("BudgetPolicy: maxComputeShare must be in (0, 1], got " + maxComputeShare);
        }
        if (windowMs < 1) {
            throw new IllegalArgumentException("BudgetPolicy: windowMs must be >= 1, got " + windowMs);
        }
    }

    /** Most frames restored in any window of {@code windowFrames} frames. */
    public int maxFramesPerWindow() {
        return (int) Math.floor(maxFrameShare * windowFrames + 1e-9);
    }
}
