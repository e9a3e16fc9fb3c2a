package io.frameq.source;

import java.util.concurrent.atomic.AtomicBoolean;

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
