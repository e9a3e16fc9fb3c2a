package io.frameq.metrics;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the {@code stream} label bounded: the first {@code cap} distinct stream ids keep their
 * name, later ones share {@link #OVERFLOW}. A fleet that grows past the cap degrades to one
 * aggregate series instead of blowing up Prometheus' memory.
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

    public int cap() {
        return cap;
    }
}
