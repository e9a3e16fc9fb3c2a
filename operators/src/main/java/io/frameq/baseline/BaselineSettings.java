package io.frameq.baseline;

/**
 * How a stream learns its normal and how far a frame must stray from it to be flagged.
 *
 * @param sampleIntervalMs   capture-time spacing of the samples the baseline learns from, so a window spans
 *                           minutes of the camera's life whatever its frame rate
 * @param capacity           samples kept per reading and mode (the window)
 * @param warmupSamples      samples a mode needs before scene-dependent flags may fire; until then only black
 *                           and frozen (scene-independent) fire
 * @param warmupIntervalMs   capture-time spacing of the samples while a mode warms up (at most
 *                           {@code sampleIntervalMs}): a camera is covered or turned seconds after it comes on as
 *                           often as hours after, and its first clean seconds are its normal until more is known
 * @param deviationMads      how many scaled MADs (1.4826 x MAD, the standard deviation of normal data) a reading
 *                           must stray, in the bad direction, for its flag to count
 * @param normalFlagShare    a flag present in at least this share of a mode's samples is this camera's normal
 *                           (a bright sky read as over-exposure): it then fires only on a deviation
 * @param frozenMinMs        capture time a picture must stay unchanged before FROZEN is reported: recorders
 *                           repeat frames to fill a frame rate, a dead encoder repeats them for good
 * @param movedMinFrames     consecutive frames whose scene no longer matches the reference before MOVED
 * @param movedBelowMatch    a scene match ({@link SceneMatch}: the share of the reference view's textured cells the
 *                           frame still shows) at or above this never counts as moved, whatever the camera's normal
 * @param relearnAfterMs     a camera that stays moved this long is taken to have been re-aimed on purpose: its
 *                           baseline starts over at the new view (0: never; then only a reset does it)
 * @param steerableStreams   stream ids, or patterns with {@code *}, of cameras whose view changes on purpose (PTZ
 *                           tours and presets, zooming in on a plate and back): never reported MOVED, and their
 *                           reference follows the view; every other check still applies
 * @param enabled            false judges every frame by the single-frame detectors alone (no learning, no MOVED,
 *                           FROZEN on the first repeat): for tests of what comes after the detectors, and for
 *                           users who want the fixed thresholds back
 */
public record BaselineSettings(boolean enabled, long sampleIntervalMs, int capacity, int warmupSamples, double deviationMads,
                               double normalFlagShare, long frozenMinMs, int movedMinFrames, double movedBelowMatch,
                               long relearnAfterMs, java.util.List<String> steerableStreams, long warmupIntervalMs) {

    /** Warm-up sample spacing of {@link #DEFAULTS}: 8 samples in 1.6 s. */
    public static final long DEFAULT_WARMUP_INTERVAL_MS = 200;

    public static final BaselineSettings DEFAULTS = new BaselineSettings(
            true, 1_000, 300, 8, 5.0, 0.3, 2_000, 3, 0.5, 3_600_000);

    /** The single-frame detectors' flags as they are. */
    public static final BaselineSettings OFF = new BaselineSettings(
            false, 1_000, 300, 8, 5.0, 0.3, 2_000, 3, 0.5, 3_600_000);

    public BaselineSettings(boolean enabled, long sampleIntervalMs, int capacity, int warmupSamples, double deviationMads,
                            double normalFlagShare, long frozenMinMs, int movedMinFrames, double movedBelowMatch,
                            long relearnAfterMs) {
        this(enabled, sampleIntervalMs, capacity, warmupSamples, deviationMads, normalFlagShare, frozenMinMs, movedMinFrames,
                movedBelowMatch, relearnAfterMs, java.util.List.of());
    }

    public BaselineSettings(boolean enabled, long sampleIntervalMs, int capacity, int warmupSamples, double deviationMads,
                            double normalFlagShare, long frozenMinMs, int movedMinFrames, double movedBelowMatch,
                            long relearnAfterMs, java.util.List<String> steerableStreams) {
        this(enabled, sampleIntervalMs, capacity, warmupSamples, deviationMads, normalFlagShare, frozenMinMs, movedMinFrames,
                movedBelowMatch, relearnAfterMs, steerableStreams, Math.min(DEFAULT_WARMUP_INTERVAL_MS, sampleIntervalMs));
    }

    public BaselineSettings {
        steerableStreams = java.util.List.copyOf(steerableStreams);
        for (String p : steerableStreams) {
            require("steerableStreams", !p.isBlank(), "stream ids or patterns with *", "'" + p + "'");
        }
        require("sampleIntervalMs", sampleIntervalMs >= 0, ">= 0", sampleIntervalMs);
        require("capacity", capacity >= 4 && capacity <= 10_000, "4..10000", capacity);
        require("warmupSamples", warmupSamples >= 1 && warmupSamples <= capacity, "1..capacity", warmupSamples);
        require("deviationMads", deviationMads > 0, "> 0", deviationMads);
        require("normalFlagShare", normalFlagShare > 0 && normalFlagShare <= 1, "in (0, 1]", normalFlagShare);
        require("frozenMinMs", frozenMinMs >= 0, ">= 0", frozenMinMs);
        require("movedMinFrames", movedMinFrames >= 1, ">= 1", movedMinFrames);
        require("movedBelowMatch", movedBelowMatch > -1 && movedBelowMatch < 1, "in (-1, 1)", movedBelowMatch);
        require("relearnAfterMs", relearnAfterMs >= 0, ">= 0", relearnAfterMs);
        require("warmupIntervalMs", warmupIntervalMs >= 0 && warmupIntervalMs <= sampleIntervalMs, "0..sampleIntervalMs",
                warmupIntervalMs);
    }

    /** The spacing of the next sample of a mode that has learnt {@code samples} so far. */
    public long intervalAfter(int samples) {
        return samples < warmupSamples ? warmupIntervalMs : sampleIntervalMs;
    }

    /** Whether {@code stream}'s view changes on purpose (see {@code steerableStreams}). Asked per frame: no regex. */
    public boolean steerable(String stream) {
        for (String p : steerableStreams) {
            if (matches(p, stream)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code s} matches {@code pattern}, in which {@code *} stands for any run of characters. */
    static boolean matches(String pattern, String s) {
        int p = 0;
        int i = 0;
        int star = -1;
        int resume = 0;
        while (i < s.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = i;
            } else if (p < pattern.length() && pattern.charAt(p) == s.charAt(i)) {
                p++;
                i++;
            } else if (star >= 0) {
                p = star + 1;
                i = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private static void require(String field, boolean ok, String expected, Object actual) {
        if (!ok) {
            throw new IllegalArgumentException("BaselineSettings." + field + ": expected " + expected + ", got " + actual);
        }
    }
}
