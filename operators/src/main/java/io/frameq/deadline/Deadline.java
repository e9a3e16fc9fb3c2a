package io.frameq.deadline;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * The deadline of one stage of one frame, open on the thread that does the work. While open it is
 * that thread's {@link #current()} deadline, so code deep below the processor (a model run, an FFmpeg
 * demuxer) finds it without a parameter on every signature in between — the same way a stage's
 * thread-local context works in tracing libraries.
 *
 * <p>When the limit passes, the {@link Watchdog} marks it expired and runs every registered cancel
 * hook once (on the watchdog's thread): a hook makes the blocked native call return (ONNX Runtime's
 * terminate flag, FFmpeg's interrupt callback), and the worker then throws
 * {@link DeadlineExceededException}. Hooks must be quick and must not throw.
 *
 * <p>Open with {@link Watchdog#open}; close in a try-with-resources on the same thread.
 */
public final class Deadline implements AutoCloseable {

    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    private final String stage;
    private final long limitMillis;
    private final long startNanos = System.nanoTime();
    private final Deadline previous;
    private final List<Runnable> hooks = new ArrayList<>(2); // guarded by this
    private volatile boolean expired; // written under this; read without it, so a hook may take the reader's locks
    private ScheduledFuture<?> timer; // guarded by this
    private boolean closed; // guarded by this

    Deadline(String stage, long limitMillis) {
        this.stage = stage;
        this.limitMillis = limitMillis;
        this.previous = CURRENT.get();
        CURRENT.set(this);
    }

    /** The open deadline of the calling thread, or null when none is open (no limit configured). */
    public static Deadline current() {
        return CURRENT.get();
    }

    public String stage() {
        return stage;
    }

    public long limitMillis() {
        return limitMillis;
    }

    public boolean expired() {
        return expired;
    }

    synchronized void arm(ScheduledFuture<?> timer) {
        this.timer = timer;
    }

    /**
     * Registers a hook the watchdog runs when the deadline expires; runs it at once when it already
     * has. Remove it (close the registration) before freeing what it touches.
     */
    public Registration onExpire(Runnable hook) {
        boolean runNow;
        synchronized (this) {
            runNow = expired;
            if (!runNow) {
                hooks.add(hook);
            }
        }
        if (runNow) {
            hook.run();
        }
        return () -> {
            synchronized (Deadline.this) {
                hooks.remove(hook);
            }
        };
    }

    /** Called by the watchdog's thread. Holding the lock keeps a hook from racing its own removal. */
    synchronized void expire() {
        if (closed || expired) {
            return;
        }
        expired = true;
        for (Runnable hook : hooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                Watchdog.LOG.warn("deadline of stage '{}': a cancel hook failed: {}", stage, e.toString());
            }
        }
        hooks.clear();
    }

    /** @throws DeadlineExceededException when expired */
    public void check() {
        if (expired()) {
            throw exceeded(null);
        }
    }

    /** The exception that abandons this stage's frame, naming stage, limit and time spent. */
    public DeadlineExceededException exceeded(Throwable cause) {
        long spent = (System.nanoTime() - startNanos) / 1_000_000;
        String message = "stage '" + stage + "' deadline: expected at most " + limitMillis + " ms, actual " + spent
                + " ms: frame abandoned";
        return cause == null ? new DeadlineExceededException(message) : new DeadlineExceededException(message, cause);
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            hooks.clear();
            if (timer != null) {
                timer.cancel(false);
            }
        }
        if (CURRENT.get() == this) {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** A registered hook; closing it removes the hook. */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
