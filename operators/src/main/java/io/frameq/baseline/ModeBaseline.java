package io.frameq.baseline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One mode's normal for one stream: a window per reading, the window of scene matches, which flags each sample
 * showed, and the reference view.
 */
final class ModeBaseline {

    /** Readings the baseline learns (keys of {@code DetectorReadings.asMap()}, plus the scene match). */
    static final List<String> READINGS = List.of(
            "sharpness", "noise_sigma", "mean_luma", "clipped_dark", "clipped_bright", "contrast", "blockiness");
    static final String SCENE_MATCH = "scene_match";
    /** Samples whose median view is the reference: odd, so the median is one of them per pixel. */
    static final int REFERENCE_SAMPLES = 5;

    final Map<String, RobustWindow> readings = new LinkedHashMap<>();
    final RobustWindow sceneMatch;
    /**
     * When the scene match window last learnt: it learns at the normal interval even during a quick warm-up, as
     * frames 200 ms apart all match the reference made of them and say nothing of how a busy scene's match varies.
     * Stored with the baseline, as it decides what the window learns next.
     */
    long lastMatchSampleMs = Long.MIN_VALUE;
    /** When the scene match window first learnt: its age decides how strictly a young match is judged. Stored. */
    long firstMatchSampleMs = Long.MIN_VALUE;
    /** Per sample, the raw detector flags by code (a ring parallel to the windows). */
    final String[][] flags;
    int flagNext;
    int samples;
    long lastSampleMs = Long.MIN_VALUE;
    /** Thumbnails of the last {@value #REFERENCE_SAMPLES} samples, oldest first; their median is the reference view. */
    final java.util.ArrayDeque<byte[]> recentViews = new java.util.ArrayDeque<>();
    byte[] reference;
    /** Consecutive frames whose scene did not match the reference, and when that run began. */
    int offSceneRun;
    long offSceneSinceMs = Long.MIN_VALUE;
    /**
     * Some frame of the current off-reference run did not match the view 200 ms before it: the camera was seen moving, so
     * the run's start is when it began to turn. Not stored: after a restart a run simply counts from its confirmation.
     */
    boolean offSceneSwept;
    /**
     * When the camera began to move, for a run that began while it was moving (see {@code BaselineJudge#motionOnset}):
     * the view starts to leave its reference before it is off enough to say so. MAX_VALUE when none; not stored.
     */
    long offSceneMotionSinceMs = Long.MAX_VALUE;
    /**
     * Every frame of the current off-reference run was off only because its match collapsed, not beyond the match's
     * normal spread: the run must last longer before it counts as moved. Not stored.
     */
    boolean offSceneCollapsedOnly;
    /** The view is reported moved, until {@link #onSceneRun} frames in a row match the reference again. */
    boolean moved;
    int onSceneRun;

    ModeBaseline(int capacity) {
        for (String r : READINGS) {
            readings.put(r, new RobustWindow(capacity));
        }
        sceneMatch = new RobustWindow(capacity);
        flags = new String[capacity][];
    }

    /** Remembers a clean sample's view and recomputes the reference from the recent ones. */
    void addView(byte[] thumbnail) {
        recentViews.addLast(thumbnail.clone());
        while (recentViews.size() > REFERENCE_SAMPLES) {
            recentViews.removeFirst();
        }
        reference = SceneMatch.median(java.util.List.copyOf(recentViews));
    }

    int capacity() {
        return flags.length;
    }

    void addFlags(String[] codes) {
        flags[flagNext] = codes;
        flagNext = (flagNext + 1) % flags.length;
    }

    /** Share of the stored samples that showed this flag. */
    double flagShare(String code) {
        int stored = Math.min(samples, flags.length);
        if (stored == 0) {
            return 0;
        }
        int n = 0;
        for (String[] s : flags) {
            if (s != null && List.of(s).contains(code)) {
                n++;
            }
        }
        return n / (double) stored;
    }
}
