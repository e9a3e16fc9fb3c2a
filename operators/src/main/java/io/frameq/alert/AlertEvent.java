package io.frameq.alert;

import java.util.List;

/**
 * One alert transition on the alerts topic (JSON, snake_case; schema in
 * {@code frameq/schemas/alert-event.schema.json}). Published once when an incident opens and once
 * when it resolves, never per frame.
 *
 * @param alertId the incident id, the same on its open and resolved events
 * @param stream camera or rendition id
 * @param kind {@code quality} (degraded share of a window) or {@code silent} (no frames)
 * @param state {@code open} or {@code resolved}
 * @param windowStart start of the window that caused the transition (epoch ms, event time); for
 *        {@code silent}, the capture time of the last frame seen
 * @param windowEnd end of that window (exclusive); for {@code silent}, the wall-clock time of the check
 * @param frames frames in the window (0 for {@code silent})
 * @param degradedShare degraded frames / frames in the window
 * @param meanQuality mean normalised quality of the window, null when no frame had one
 * @param minQuality lowest quality of the window, null when no frame had one
 * @param p10Quality 10th percentile of quality (from a 20-bin histogram), null when no frame had one
 * @param topDegradations the most frequent degradation types of the window, most frequent first
 * @param ts when the event was produced, epoch ms
 * @param faults the spatial faults diagnosed in the window or incident, most frequent first, each with the grid
 *        cells it persistently covered (empty for {@code silent})
 * @param reason why an incident resolved when that was not the evidence of frames: {@code retired}
 *        (the stream was silent past its TTL and its state was dropped); null otherwise
 */
public record AlertEvent(
        String alertId,
        String stream,
        String kind,
        String state,
        long windowStart,
        long windowEnd,
        long frames,
        double degradedShare,
        Double meanQuality,
        Double minQuality,
        Double p10Quality,
        List<String> topDegradations,
        long ts,
        List<FaultSummary> faults,
        String reason) {

    public AlertEvent {
        topDegradations = List.copyOf(topDegradations);
        faults = faults == null ? List.of() : List.copyOf(faults);
    }

    /**
     * One fault type of an alert.
     *
     * @param type  {@code io.frameq.detect.FaultType} code, e.g. {@code raindrops}
     * @param frames frames of the window or incident that carried it
     * @param cells grid cells (row-major, as in the score events) named by at least half of those frames
     */
    public record FaultSummary(String type, long frames, List<Integer> cells) {
        public FaultSummary {
            cells = List.copyOf(cells);
        }
    }

    public static final String QUALITY = "quality";
    public static final String SILENT = "silent";
    /** A camera covered, moved, out of focus, black or frozen: opened within seconds, not at the end of a window. */
    public static final String TAMPER = "tamper";
    public static final String OPEN = "open";
    public static final String RESOLVED = "resolved";
    /** The {@code reason} of incidents resolved because their stream was retired. */
    public static final String RETIRED = "retired";

    /** A transition judged on the evidence of frames (or their absence): no {@code reason}. */
    public AlertEvent(String alertId, String stream, String kind, String state, long windowStart, long windowEnd, long frames,
                      double degradedShare, Double meanQuality, Double minQuality, Double p10Quality, List<String> topDegradations,
                      long ts, List<FaultSummary> faults) {
        this(alertId, stream, kind, state, windowStart, windowEnd, frames, degradedShare, meanQuality, minQuality, p10Quality,
                topDegradations, ts, faults, null);
    }
}
