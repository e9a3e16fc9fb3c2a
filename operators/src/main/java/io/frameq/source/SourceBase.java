package io.frameq.source;

import java.util.concurrent.atomic.AtomicBoolean;

import io.frameq.frame.FrameDecodeException;

import org.slf4j.Logger;

/** What every source holds alike: its stream id and location as given, its counters and its stop flag. */
abstract class SourceBase implements MediaSource {

    protected final String streamId;
    protected final String location;
    protected final SourceCounters counters = new SourceCounters();
    /** Set by {@link #stop()}; readers with an interrupt callback watch it too. */
    protected final AtomicBoolean stopped;

    SourceBase(String streamId, String location, AtomicBoolean stopped) {
        this.streamId = streamId;
        this.location = location;
        this.stopped = stopped;
    }

    /** Opens a live input again: a reader, a remuxer. */
    interface Opener<R> {
        R open() throws FrameDecodeException;
    }

    /**
     * Reconnects a live input with {@code reconnect}'s backoff, counting the attempts since the last data the caller
     * passes in; gives up after {@link ReconnectPolicy#maxAttempts()} attempts without data, or returns null once
     * {@link #stop()} was called (the waits are cut into 100 ms steps so that it takes effect promptly).
     *
     * @param attemptsWithoutData attempts already made since the input last delivered; see {@link Attempts}
     * @param unit what the input delivers, for the error ({@code frame}, {@code segment})
     */
    protected final <R> R reopenWithBackoff(ReconnectPolicy reconnect, Attempts attemptsWithoutData, String unit, Opener<R> opener,
                                            Logger log) throws SourceException, InterruptedException {
        String last = "no " + unit + " since the last reconnect";
        while (reconnect.maxAttempts() == 0 || attemptsWithoutData.count < reconnect.maxAttempts()) {
            int attempt = ++attemptsWithoutData.count;
            long until = System.nanoTime() + reconnect.delayMs(attempt) * 1_000_000;
            while (!stopped.get() && System.nanoTime() < until) {
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
            if (stopped.get()) {
                return null;
            }
            try {
                R r = opener.open();
                counters.reconnected();
                log.info("{}: reconnected to {} (attempt {})", streamId, location, attempt);
                return r;
            } catch (FrameDecodeException e) {
                last = e.getMessage();
                log.warn("{}: reconnect attempt {} to {} failed: {}", streamId, attempt, location, last);
            }
        }
        throw new SourceException("source " + location + ": no " + unit + " after " + reconnect.maxAttempts()
                + " reconnect attempts in a row; last error: " + last);
    }

    /** Reconnect attempts since a live input last delivered; reset to 0 on each delivery. */
    static final class Attempts {
        int count;
    }

    @Override
    public String streamId() {
        return streamId;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public void stop() {
        stopped.set(true);
    }

    @Override
    public SourceStats stats() {
        return counters.snapshot();
    }
}
