package io.frameq.app.analyze;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.frameq.source.CapturedFrame;
import io.frameq.source.MediaSource;
import io.frameq.source.SourceException;

/**
 * Reads a source on its own thread, a few frames ahead, so that FFmpeg decodes the next frame while
 * the topology scores this one. The source is read and closed on the pump's thread only (native
 * FFmpeg state is single-threaded); other threads may only {@link MediaSource#stop()} it.
 */
final class FramePump implements AutoCloseable {

    private static final int AHEAD = 4;

    /** What the pump hands over: a frame, the end, or why the source failed. */
    private record Item(CapturedFrame frame, SourceException error) {}

    private static final Item END = new Item(null, null);

    private final MediaSource source;
    private final long maxFrames;
    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(AHEAD);
    private final Thread thread;
    private volatile boolean ended;

    /**
     * @param maxFrames most frames to read (0: all); the pump stops there rather than read ahead of a
     *     limit, so the source's counters match what was analysed
     */
    FramePump(MediaSource source, long maxFrames) {
        this.source = source;
        this.maxFrames = maxFrames;
        this.thread = new Thread(this::pump, "frameq-source-" + source.streamId());
        thread.setDaemon(true);
        thread.start();
    }

    private void pump() {
        Item last = END;
        try {
            CapturedFrame f;
            long n = 0;
            while ((maxFrames == 0 || n < maxFrames) && (f = source.next()) != null) {
                queue.put(new Item(f, null));
                n++;
            }
        } catch (SourceException e) {
            last = new Item(null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            last = new Item(null, new SourceException("source " + source.location() + ": " + e, e));
        } finally {
            source.close();
            try {
                queue.put(last);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What {@link #next} found: a frame, the end ({@code ended}), or neither within the wait (a live
     * source between frames).
     */
    record Next(CapturedFrame frame, boolean ended) {
        static final Next NOTHING_YET = new Next(null, false);
        static final Next END_OF_SOURCE = new Next(null, true);
    }

    /**
     * The next frame, waiting at most {@code timeoutMs}.
     *
     * @throws SourceException when the source failed
     */
    Next next(long timeoutMs) throws SourceException, InterruptedException {
        if (ended) {
            return Next.END_OF_SOURCE;
        }
        Item item = queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (item == null) {
            return Next.NOTHING_YET;
        }
        if (item.frame() != null) {
            return new Next(item.frame(), false);
        }
        ended = true;
        if (item.error() != null) {
            throw item.error();
        }
        return Next.END_OF_SOURCE;
    }

    /**
     * Stops the source and waits for the pump to finish, dropping frames read ahead. Interrupted, it
     * stops waiting (the pump ends on its own once the source notices the stop) and keeps the interrupt.
     */
    @Override
    public void close() {
        source.stop();
        try {
            while (!ended) {
                if (queue.take().frame() == null) {
                    ended = true;
                }
            }
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
