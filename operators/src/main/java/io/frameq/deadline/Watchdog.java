package io.frameq.deadline;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread ({@code frameq-watchdog}) that expires {@link Deadline}s. A stuck stage cannot
 * free itself, so something else must: this thread only flips flags and fires cancel hooks, never
 * waits on the worker, so one stuck frame never delays another's cancellation.
 *
 * <p>One JVM-wide instance ({@link #shared()}), a daemon thread created on first use: timers are
 * cheap, and processors built by an embedding need no lifecycle to close.
 */
public final class Watchdog {

    static final Logger LOG = LoggerFactory.getLogger(Watchdog.class);
    private static final Watchdog SHARED = new Watchdog();

    private final ScheduledThreadPoolExecutor timers;

    private Watchdog() {
        timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "frameq-watchdog");
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true); // closed deadlines leave no timer behind
    }

    public static Watchdog shared() {
        return SHARED;
    }

    /**
     * Opens the calling thread's deadline for {@code stage}; {@code limitMillis} 0 opens none and
     * returns null (try-with-resources accepts null).
     */
    public Deadline open(String stage, long limitMillis) {
        if (limitMillis < 0) {
            throw new IllegalArgumentException("deadline of stage '" + stage + "': expected 0 (none) or more ms, actual " + limitMillis);
        }
        if (limitMillis == 0) {
            return null;
        }
        Deadline d = new Deadline(stage, limitMillis);
        d.arm(timers.schedule(() -> {
            LOG.debug("stage '{}' passed its {} ms deadline: cancelling", stage, limitMillis);
            d.expire();
        }, limitMillis, TimeUnit.MILLISECONDS));
        return d;
    }
}
