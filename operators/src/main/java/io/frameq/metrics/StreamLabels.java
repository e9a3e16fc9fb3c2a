package io.frameq.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the {@code stream} label bounded: the first {@code cap} distinct stream ids keep their
 * name, later ones share {@link #OVERFLOW}. A fleet that grows past the cap degrades to one
 * aggregate series instead of blowing up Prometheus' memory. A retired stream (silent past its
 * TTL) {@link #release releases} its slot, so a fleet whose cameras come and go keeps naming the
 * cameras it has now instead of filling the cap with ids that are gone.
 */
public final class StreamLabels {

    public static final String OVERFLOW = "_other";

    private final int cap;
    private final ConcurrentHashMap<String, String> labels = new ConcurrentHashMap<>();
    private final AtomicInteger admitted = new AtomicInteger();

    public StreamLabels(int cap) {
        if (cap < 1) {
            throw new IllegalArgumentException("StreamLabels: cap must be >= 1, got " + cap);
        }
        this.cap = cap;
    }

    public String label(String streamId) {
        String known = labels.get(streamId);
        if (known != null) {
            return known;
        }
        return labels.computeIfAbsent(streamId, id -> admitted.getAndIncrement() < cap ? id : OVERFLOW);
    }

    /**
     * Forgets a stream id: returns the label it had (null if it had none) and, when that was its own
     * name, frees its slot for the next new stream. Called on the stream thread that owned the stream.
     */
    public String release(String streamId) {
        String had = labels.remove(streamId);
        if (had != null && !OVERFLOW.equals(had)) {
            admitted.decrementAndGet();
        }
        return had;
    }

    public int cap() {
        return cap;
    }
}
