package io.frameq.alert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-stream alert state kept in the changelogged store (JSON): the window being filled and both
 * incidents. Public fields so the JSON mapping stays trivial; package-private logic only.
 */
public final class StreamAlertState {

    static final int BINS = 20;

    /** Start of the current window (epoch ms), -1 before the first frame. */
    public long windowStart = -1;
    public long frames;
    public long degraded;
    public long qualityCount;
    public double qualitySum;
    /** Meaningful only when {@code qualityCount > 0}. */
    public double qualityMin = 1.0;
    public int[] histogram = new int[BINS];
    public Map<String, Integer> reasons = new LinkedHashMap<>();
    public FaultTally faults = new FaultTally();

    public int badWindows;
    public int goodWindows;
    public String qualityAlertId;

    public long lastCaptureTs = -1;
    public long lastSeenWallMs = -1;
    public String silentAlertId;
    public long silentSinceMs = -1;

    /** Capture time of the first frame of the current run of tamper frames; -1 when none. */
    public long tamperSinceTs = -1;
    public long tamperFrames;
    /** Frames of the current unbroken streak of hidden-lens frames (covered or black) in the tamper run. */
    public long tamperHiddenFrames;
    /**
     * Capture time the current streak of hidden-lens frames began; -1 when the run's last frame was not hidden (and in
     * state written before streaks were kept: the next hidden frame starts one).
     */
    public long tamperHiddenSinceTs = -1;
    public Map<String, Integer> tamperTypes = new LinkedHashMap<>();
    public FaultTally tamperFaults = new FaultTally();
    public String tamperAlertId;
    /** Capture time of the first tamper-free frame since the incident opened; -1 when none. */
    public long tamperClearSinceTs = -1;

    void add(Double quality, boolean isDegraded, List<String> degradations, List<io.frameq.event.ScoreEvent.FaultInfo> frameFaults) {
        faults.add(frameFaults, degradations);
        frames++;
        if (isDegraded) {
            degraded++;
        }
        if (quality != null && !quality.isNaN() && !quality.isInfinite()) {
            double q = Math.max(0.0, Math.min(1.0, quality));
            qualityCount++;
            qualitySum += q;
            qualityMin = qualityCount == 1 ? q : Math.min(qualityMin, q);
            histogram[Math.min(BINS - 1, (int) (q * BINS))]++;
        }
        if (degradations != null) {
            degradations.forEach(d -> reasons.merge(d, 1, Integer::sum));
        }
    }

    void resetWindow(long start) {
        windowStart = start;
        frames = 0;
        degraded = 0;
        qualityCount = 0;
        qualitySum = 0;
        qualityMin = 1.0;
        histogram = new int[BINS];
        reasons = new LinkedHashMap<>();
        faults.clear();
    }

    double degradedShare() {
        return frames == 0 ? 0.0 : (double) degraded / frames;
    }

    Double mean() {
        return qualityCount == 0 ? null : qualitySum / qualityCount;
    }

    Double min() {
        return qualityCount == 0 ? null : qualityMin;
    }

    /** The 10th percentile, interpolated inside the histogram bin that holds it, never below the minimum. */
    Double p10() {
        if (qualityCount == 0) {
            return null;
        }
        double rank = 0.1 * qualityCount;
        long cumulative = 0;
        for (int i = 0; i < BINS; i++) {
            if (histogram[i] == 0) {
                continue;
            }
            if (cumulative + histogram[i] >= rank) {
                double fraction = (rank - cumulative) / histogram[i];
                double value = (i + fraction) / BINS;
                return Math.max(qualityMin, Math.min(1.0, value));
            }
            cumulative += histogram[i];
        }
        return qualityMin;
    }

    List<String> topDegradations(int n) {
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(reasons.entrySet());
        entries.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        return entries.stream().limit(n).map(Map.Entry::getKey).toList();
    }
}
