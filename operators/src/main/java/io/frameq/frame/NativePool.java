package io.frameq.frame;

import java.util.ArrayDeque;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small pool of native contexts (codec, scaler) so that each decode reuses one instead of
 * allocating and initialising FFmpeg state per frame. A pool rather than a ThreadLocal because a
 * pool can free everything on {@link #close()}, whichever thread created it.
 *
 * <p>Contexts that saw an error are {@link #discard discarded}, not returned: a fresh context is
 * cheaper than reasoning about what state a failed decode left behind.
 */
final class NativePool<T extends AutoCloseable> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NativePool.class);

    private final String name;
    private final Supplier<T> factory;
    private final int maxIdle;
    private final ArrayDeque<T> idle = new ArrayDeque<>();
    private boolean closed;

    NativePool(String name, Supplier<T> factory, int maxIdle) {
        this.name = name;
        this.factory = factory;
        this.maxIdle = maxIdle;
    }

    T borrow() {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("NativePool " + name + " is closed");
            }
            T t = idle.pollFirst();
            if (t != null) {
                return t;
            }
        }
        return factory.get();
    }

    /** Returns a healthy context for reuse; closes it when the pool is full or closed. */
    void giveBack(T t) {
        synchronized (this) {
            if (!closed && idle.size() < maxIdle) {
                idle.addFirst(t);
                return;
            }
        }
        closeQuietly(t);
    }

    /** Closes a context that saw an error instead of reusing it. */
    void discard(T t) {
        closeQuietly(t);
    }

    @Override
    public void close() {
        ArrayDeque<T> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayDeque<>(idle);
            idle.clear();
        }
        toClose.forEach(this::closeQuietly);
    }

    private void closeQuietly(T t) {
        try {
            t.close();
        } catch (Exception e) {
            LOG.warn("NativePool {}: closing a context failed", name, e);
        }
    }
}
