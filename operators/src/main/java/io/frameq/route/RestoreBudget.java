package io.frameq.route;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-stream restoration budget ({@link BudgetPolicy}): a sliding window over the stream's last
 * frames (restored or not) and a sliding window of restoration time over capture time. Every
 * frame of the stream must pass through {@link #admit}, restorable or not, so the frame share is a
 * share of all frames.
 *
 * <p>State lives in memory per stream thread task: a restart or rebalance starts the windows empty,
 * so at most one extra window's worth of restorations can follow a restart. Thread-safe.
 */
public final class RestoreBudget {

    /** What {@link #admit} decided. */
    public enum Decision {
        /** Not restorable: counted as a seen frame only. */
        NOT_WANTED,
        /** Restore it, then report the time spent with {@link #spent}. */
        ADMITTED,
        /** The frame share of the window is used up. */
        OVER_FRAME_BUDGET,
        /** The compute share of the window is used up. */
        OVER_COMPUTE_BUDGET;

        public boolean overBudget() {
            return this == OVER_FRAME_BUDGET || this == OVER_COMPUTE_BUDGET;
        }
    }

    private final BudgetPolicy policy;
    private final Map<String, StreamWindow> streams = new HashMap<>();

    public RestoreBudget(BudgetPolicy policy) {
        this.policy = policy;
    }

    public BudgetPolicy policy() {
        return policy;
    }

    /**
     * Records one frame of {@code stream} at capture time {@code tsMs} and decides whether it may be restored.
     *
     * @param wanted true when the route wants a restoration
     */
    public synchronized Decision admit(String stream, long tsMs, boolean wanted) {
        StreamWindow s = streams.computeIfAbsent(stream, k -> new StreamWindow(policy.windowFrames()));
        s.evict(tsMs - policy.windowMs());
        // The frame window is the last windowFrames frames including this one.
        boolean leaving = s.recent[s.next];
        int restoredBefore = s.restoredInWindow - (leaving ? 1 : 0);
        Decision d;
        if (!wanted) {
            d = Decision.NOT_WANTED;
        } else if (restoredBefore + 1 > policy.maxFramesPerWindow()) {
            d = Decision.OVER_FRAME_BUDGET;
        } else if (s.spentNanos > 0 && s.spentNanos + s.lastCostNanos > policy.maxComputeShare() * policy.windowMs() * 1e6) {
            d = Decision.OVER_COMPUTE_BUDGET;
        } else {
            d = Decision.ADMITTED;
        }
        boolean restored = d == Decision.ADMITTED;
        s.recent[s.next] = restored;
        s.next = (s.next + 1) % s.recent.length;
        s.restoredInWindow = restoredBefore + (restored ? 1 : 0);
        return d;
    }

    /** Reports the restoration time of an admitted frame of {@code stream} captured at {@code tsMs}. */
    public synchronized void spent(String stream, long tsMs, long nanos) {
        StreamWindow s = streams.computeIfAbsent(stream, k -> new StreamWindow(policy.windowFrames()));
        s.costs.addLast(new long[] {tsMs, nanos});
        s.spentNanos += nanos;
        s.lastCostNanos = nanos;
    }

    /** Restoration nanoseconds of {@code stream} inside the compute window ending at {@code tsMs}. */
    public synchronized long spentInWindow(String stream, long tsMs) {
        StreamWindow s = streams.get(stream);
        if (s == null) {
            return 0;
        }
        s.evict(tsMs - policy.windowMs());
        return s.spentNanos;
    }

    private static final class StreamWindow {
        final boolean[] recent;
        int next;
        int restoredInWindow;
        final ArrayDeque<long[]> costs = new ArrayDeque<>();
        long spentNanos;
        long lastCostNanos;

        StreamWindow(int frames) {
            recent = new boolean[frames];
        }

        void evict(long olderThanOrAtMs) {
            while (!costs.isEmpty() && costs.peekFirst()[0] <= olderThanOrAtMs) {
                spentNanos -= costs.pollFirst()[1];
            }
        }
    }
}
