package io.frameq.source;

import java.util.concurrent.atomic.AtomicLong;

/** A source's counters: written by the reading thread, read by anyone (progress line, summary). */
public final class SourceCounters {
    private final AtomicLong framesRead = new AtomicLong();
    private final AtomicLong framesSampled = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong lastFrameTimeMs = new AtomicLong(-1);
    private final AtomicLong decodeErrors = new AtomicLong();

    void read() {
        framesRead.incrementAndGet();
    }

    /** Frames read in bulk (a segment source counts the packets of each segment). */
    void read(long n) {
        if (n > 0) {
            framesRead.addAndGet(n);
        }
    }

    void sampled(long captureTsMs) {
        framesSampled.incrementAndGet();
        lastFrameTimeMs.set(captureTsMs);
    }

    void reconnected() {
        reconnects.incrementAndGet();
    }

    void decodeErrors(long n) {
        if (n > 0) {
            decodeErrors.addAndGet(n);
        }
    }

    public SourceStats snapshot() {
        return new SourceStats(framesRead.get(), framesSampled.get(), reconnects.get(), lastFrameTimeMs.get(), decodeErrors.get());
    }
}
