package io.frameq.scoring;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How many model runs one instance allows itself per second, shared by all its streams and stream threads,
 * and who gets the next one. The sampling ({@link ModelSampler}) says which frames <em>want</em> the model;
 * this budget says which of them get it now. Without it a fleet that starts (or restarts) together asks for
 * one model run per camera at once: 100 cameras queue 100 runs of ~120 ms on a 2-core CPU box, 12 s of work,
 * and every frame behind them is late (BENCHMARKS.md, "Fleet scale on CPU").
 *
 * <p>A token bucket: {@code runsPerSecond} tokens a second, at most two seconds' worth banked (a quiet spell
 * does not turn into a storm later; two, not one, so that tokens do not overflow while the head of the line is
 * between two of its frames). A request over budget is <em>deferred, not lost</em>: its stream is
 * <em>owed</em> a run, and its next frames ask again until one is granted. While tokens are scarce they go to
 * the owed streams in order, the head of the line first: a stream may take a token only when there are more
 * tokens than live owed streams ahead of it (the tokens are reserved for those, oldest first). The line is ordered by how long a stream has been owed, with a
 * head start by {@link Priority}: a genuine suspect (a detector flag, a baseline deviation) counts as owed
 * {@link Priority#SUSPECT}'s 60 s longer, a first frame or the first after a gap 30 s longer than a due
 * sample. So suspects go first, restarts next, samples last, and since the head start is bounded nothing
 * waits forever behind a stream of new suspects (a sample owed more than 60 s goes before a fresh suspect).
 * A stream that stopped asking (its camera went away) is not "live" and does not hold the line for others;
 * it keeps its place should it come back.
 *
 * <p>Thread-safe (one instance is shared by the score processors of all stream threads); the clock is
 * injected (wall-clock ms in production: the budget is about CPU time, not capture time).
 */
public final class ModelBudget {

    /** Who goes first when the budget is short; the head start of each class over a due sample. */
    public enum Priority {
        /** A detector flag or a baseline deviation: what the model is there to confirm. */
        SUSPECT(60_000),
        /** A stream's first frame (a start, a restart, a moved task) or the first after a gap. */
        RESTART(30_000),
        /** A frame the periodic sampling made due. */
        SAMPLE(0);

        private final long headStartMs;

        Priority(long headStartMs) {
            this.headStartMs = headStartMs;
        }

        /** The more urgent of two. */
        static Priority max(Priority a, Priority b) {
            return a == null ? b : b == null ? a : a.ordinal() <= b.ordinal() ? a : b;
        }
    }

    /** An owed stream is live (holds its place ahead of others) this long after its last request, at least. */
    static final long LIVE_MIN_MS = 2_000;
    /** An owed stream silent this long is forgotten (the sampler's retirement usually forgets it first). */
    static final long FORGET_AFTER_MS = 300_000;

    private final double runsPerSecond;
    private final double burst;
    private final LongSupplier clockMs;
    private final Map<String, Owed> owed = new HashMap<>();
    private double tokens;
    private long refilledAtMs;
    private long lastPruneMs;
    private long granted;
    private long deferred;

    private static final class Owed {
        final String stream;
        Priority priority;
        final long sinceMs;
        long lastAskMs;
        long intervalMs;

        Owed(String stream, Priority priority, long sinceMs) {
            this.stream = stream;
            this.priority = priority;
            this.sinceMs = sinceMs;
            this.lastAskMs = sinceMs;
        }

        /** Smaller goes first: owed longer, plus the head start of its class. */
        long key() {
            return sinceMs - priority.headStartMs;
        }

        boolean ahead(Owed other) {
            int c = Long.compare(key(), other.key());
            return c < 0 || c == 0 && stream.compareTo(other.stream) < 0;
        }

        /** Still asking: a stream asks on each of its frames, so twice its frame interval without a request is gone. */
        boolean live(long nowMs) {
            return nowMs - lastAskMs <= Math.max(LIVE_MIN_MS, 2 * intervalMs);
        }
    }

    /**
     * @param runsPerSecond model runs this instance allows itself per second, over all streams; 0 = no budget (every
     *                      request granted)
     * @param clockMs       the clock, in ms (wall clock in production)
     */
    public ModelBudget(double runsPerSecond, LongSupplier clockMs) {
        if (!(runsPerSecond >= 0) || Double.isInfinite(runsPerSecond)) {
            throw new IllegalArgumentException("ModelBudget.runsPerSecond: expected 0 (no budget) or a finite number above 0, actual "
                    + runsPerSecond);
        }
        this.runsPerSecond = runsPerSecond;
        this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
        this.burst = Math.max(1, Math.ceil(2 * runsPerSecond));
        this.tokens = burst;
        this.refilledAtMs = clockMs.getAsLong();
        this.lastPruneMs = refilledAtMs;
    }

    /** No budget: every request is granted (the default; one instance may be shared freely). */
    public static ModelBudget unlimited() {
        return new ModelBudget(0, () -> 0L);
    }

    /** False when every request is granted. */
    public boolean limited() {
        return runsPerSecond > 0;
    }

    public double runsPerSecond() {
        return runsPerSecond;
    }

    /**
     * One frame of {@code streamId} wants the model. Granted: a token is spent and the stream is no longer owed.
     * Denied: the stream is owed a run (at the more urgent of {@code priority} and what it was already owed) and
     * should ask again on its next frame.
     */
    public boolean request(String streamId, Priority priority) {
        Objects.requireNonNull(priority, "priority");
        // without a budget (the default) no lock is taken: both stream threads ask on every picked frame
        return !limited() || requestLimited(streamId, priority);
    }

    private synchronized boolean requestLimited(String streamId, Priority priority) {
        long now = clockMs.getAsLong();
        refill(now);
        Owed mine = owed.get(streamId);
        if (mine == null) {
            mine = new Owed(streamId, priority, now);
        } else {
            mine.priority = Priority.max(mine.priority, priority);
            mine.intervalMs = Math.max(0, now - mine.lastAskMs);
            mine.lastAskMs = now;
        }
        if (tokens >= 1 && tokens >= 1 + liveAhead(mine, now)) {
            tokens -= 1;
            owed.remove(streamId);
            granted++;
            return true;
        }
        owed.put(streamId, mine);
        deferred++;
        prune(now);
        return false;
    }

    private int liveAhead(Owed mine, long now) {
        int n = 0;
        for (Owed o : owed.values()) {
            if (o != mine && o.live(now) && o.ahead(mine)) {
                n++;
            }
        }
        return n;
    }

    private void refill(long now) {
        if (now > refilledAtMs) {
            tokens = Math.min(burst, tokens + (now - refilledAtMs) * runsPerSecond / 1000.0);
            refilledAtMs = now;
        }
    }

    private void prune(long now) {
        if (now - lastPruneMs < 10_000) {
            return;
        }
        lastPruneMs = now;
        for (Iterator<Owed> it = owed.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastAskMs > FORGET_AFTER_MS) {
                it.remove();
            }
        }
    }

    /** Drops what a stream is owed (the sampler forgot the stream: its next frame is a first frame again). */
    public synchronized void forget(String streamId) {
        owed.remove(streamId);
    }

    /** Streams owed a model run now. */
    public synchronized int owedStreams() {
        return owed.size();
    }

    /** Requests granted since start (under a budget; without one nothing is counted). */
    public synchronized long granted() {
        return granted;
    }

    /** Requests denied (deferred) since start; a stream owed for several frames counts once per frame. */
    public synchronized long deferred() {
        return deferred;
    }
}
