package io.frameq.app.analyze;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The most degraded frames of a stream, for the report's thumbnails: at most {@code capacity}, and
 * at most one per {@code spacingMs} of capture time, so that six seconds of black do not fill every
 * slot with the same picture.
 */
final class WorstFrames {

    /**
     * One kept frame.
     *
     * @param severity higher is worse (see {@link #severity})
     * @param event the frame's score event (its {@code faults}, when present, name the regions to mark)
     * @param jpeg the thumbnail
     */
    record Entry(double severity, long seq, long captureTs, Double quality, List<String> degradations, JsonNode event,
                 byte[] jpeg, int width, int height) {}

    private static final Comparator<Entry> WORST_FIRST = Comparator.comparingDouble(Entry::severity).reversed()
            .thenComparingLong(Entry::seq);

    private final int capacity;
    private final long spacingMs;
    private final List<Entry> entries = new ArrayList<>();

    WorstFrames(int capacity, long spacingMs) {
        this.capacity = capacity;
        this.spacingMs = spacingMs;
    }

    /**
     * How bad a frame is: a degraded verdict outranks any quality, then each degradation type, then
     * low quality (1 - quality; a frame without a model score counts as 0.5).
     */
    static double severity(boolean degraded, int degradations, Double quality) {
        return (degraded ? 100 : 0) + 10 * degradations + (1 - (quality == null ? 0.5 : quality));
    }

    /** Whether a frame of this severity and time would be kept (so that its thumbnail is worth making). */
    boolean wouldKeep(double severity, long captureTs) {
        if (capacity == 0) {
            return false;
        }
        boolean replacesNeighbour = false;
        for (Entry e : entries) {
            if (Math.abs(e.captureTs() - captureTs) < spacingMs) {
                if (severity <= e.severity()) {
                    return false;
                }
                replacesNeighbour = true;
            }
        }
        return replacesNeighbour || entries.size() < capacity || severity > entries.get(entries.size() - 1).severity();
    }

    void offer(Entry entry) {
        if (!wouldKeep(entry.severity(), entry.captureTs())) {
            return;
        }
        entries.removeIf(e -> Math.abs(e.captureTs() - entry.captureTs()) < spacingMs);
        entries.add(entry);
        entries.sort(WORST_FIRST);
        while (entries.size() > capacity) {
            entries.remove(entries.size() - 1);
        }
    }

    List<Entry> worstFirst() {
        return List.copyOf(entries);
    }
}
