package io.frameq.source;

import java.util.ArrayList;
import java.util.List;

/**
 * Which of a source's frames go on to analysis: every {@code everyN}-th frame, at most
 * {@code maxFps} frames per second of the source's own timeline, and optionally keyframes only.
 * The filters apply in that order of cheapness: keyframes first, then the Nth, then the rate.
 *
 * @param everyN keep every N-th candidate frame (1 keeps all)
 * @param maxFps most frames per second kept; 0 means no limit
 * @param keyframesOnly keep keyframes only (the decoder then skips the others entirely)
 */
public record SamplingPolicy(int everyN, double maxFps, boolean keyframesOnly) {

    public static final SamplingPolicy ALL = new SamplingPolicy(1, 0, false);

    public SamplingPolicy {
        List<String> problems = new ArrayList<>();
        if (everyN < 1) {
            problems.add("everyN: expected >= 1, actual " + everyN);
        }
        if (!(maxFps >= 0) || Double.isInfinite(maxFps)) {
            problems.add("maxFps: expected a finite number >= 0 (0 = no limit), actual " + maxFps);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("SamplingPolicy: " + String.join("; ", problems));
        }
    }

    /** A fresh per-source sampler (it keeps state between frames). */
    public Sampler sampler() {
        return new Sampler(this);
    }

    /** Applies the policy frame by frame. Not thread-safe: one per source. */
    public static final class Sampler {
        private final SamplingPolicy policy;
        private final double intervalMs;
        private long candidates;
        private double nextDueMs = Double.NEGATIVE_INFINITY;

        Sampler(SamplingPolicy policy) {
            this.policy = policy;
            this.intervalMs = policy.maxFps() > 0 ? 1000.0 / policy.maxFps() : 0;
        }

        /**
         * @param timeMs the frame's time on the source's timeline (ms); negative when unknown, which
         *     the rate limit then lets through
         * @param keyframe whether the frame is a keyframe
         * @return whether to keep the frame
         */
        public boolean accept(long timeMs, boolean keyframe) {
            if (policy.keyframesOnly() && !keyframe) {
                return false;
            }
            if (candidates++ % policy.everyN() != 0) {
                return false;
            }
            if (intervalMs <= 0 || timeMs < 0) {
                return true;
            }
            // A schedule rather than "at least interval since the last one": with 25 fps in and
            // 10 fps out the kept frames then average 10 per second instead of 8.3.
            if (timeMs + 0.5 < nextDueMs) {
                return false;
            }
            nextDueMs = nextDueMs == Double.NEGATIVE_INFINITY || timeMs - nextDueMs > intervalMs
                    ? timeMs + intervalMs : nextDueMs + intervalMs;
            return true;
        }
    }
}
