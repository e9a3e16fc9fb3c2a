package io.frameq.baseline;

import java.util.EnumMap;
import java.util.Map;

/**
 * Everything one stream has learnt about its own normal, per {@link SceneMode}, plus the run of unchanged
 * pictures behind a frozen-feed verdict. Mutable; owned by the stream thread that processes the stream, and
 * stored between frames as bytes ({@link BaselineCodec}).
 */
public final class StreamBaseline {

    final int capacity;
    final Map<SceneMode, ModeBaseline> modes = new EnumMap<>(SceneMode.class);
    /** Capture time of the first frame of the current run of unchanged pictures; MIN_VALUE when none. */
    long frozenSinceMs = Long.MIN_VALUE;
    /** The mode of the stream's last judged frame; null before the first. */
    SceneMode lastMode;
    /** Something worth storing changed since {@link #takeChanged()} was last called. */
    boolean changed;
    /**
     * The recent frames' thumbnails with their capture times, newest last, kept for {@link #earlierView}; in memory
     * only (not stored): after a restart the first frame has nothing to be steady against, which delays MOVED by
     * one frame at most.
     */
    private final java.util.ArrayDeque<Stamped> recentViews = new java.util.ArrayDeque<>();

    private record Stamped(long captureMs, byte[] thumbnail) {
    }

    /**
     * The view of the newest frame captured at least {@code spanMs} before {@code captureMs} (the oldest kept when
     * none is that old; null before the first frame), then remembers this frame's view. Comparing views a fixed
     * time apart, not frame to frame, makes "the view holds still" mean the same at 5 and at 30 frames per second:
     * a camera turning at 30 frames/s moves too little between two frames to tell.
     */
    byte[] earlierView(long captureMs, byte[] thumbnail, long spanMs) {
        byte[] earlier = null;
        for (Stamped s : recentViews) {
            if (s.captureMs() <= captureMs - spanMs || earlier == null) {
                earlier = s.thumbnail();
            }
        }
        recentViews.addLast(new Stamped(captureMs, thumbnail));
        // Keep the newest view at least spanMs old for the next frame, and nothing older than it.
        while (recentViews.size() > 1) {
            java.util.Iterator<Stamped> it = recentViews.iterator();
            it.next();
            if (it.next().captureMs() <= captureMs - spanMs) {
                recentViews.removeFirst();
            } else {
                break;
            }
        }
        return earlier;
    }
    /** Off-scene frames in a row that also matched the view 200 ms before them (a steady new view); in memory only. */
    int steadyOffRun;
    /**
     * Capture time of the last judged frame that kept a good share of the normal sharpness; MIN_VALUE before the first
     * and after a restart (in memory only).
     */
    long lastSharpMs = Long.MIN_VALUE;
    /** First frame of the current run with the sharpness under half the normal; MIN_VALUE when none. In memory only. */
    long dimSinceMs = Long.MIN_VALUE;
    /**
     * First and last frame of the latest run of frames whose view changed within 200 ms (a camera moving, or a crowd
     * passing); MIN_VALUE before any. In memory only.
     */
    long motionSinceMs = Long.MIN_VALUE;
    long motionLastMs = Long.MIN_VALUE;
    /** When the current covered run began to come on (see {@code Judgement#coveredSinceMs}); in memory only. */
    long coverSinceMs = Long.MIN_VALUE;
    /** A diffusing cover (a film) came on between two frames and still holds; in memory only. */
    boolean diffusedCover;

    public StreamBaseline(int capacity) {
        this.capacity = capacity;
    }

    ModeBaseline mode(SceneMode m) {
        return modes.computeIfAbsent(m, k -> new ModeBaseline(capacity));
    }

    /** Samples learnt in a mode so far (0 for a mode never seen). */
    public int samples(SceneMode m) {
        ModeBaseline b = modes.get(m);
        return b == null ? 0 : b.samples;
    }

    /** The stream's normal (median) of a reading in a mode; NaN when nothing was learnt. */
    public double median(SceneMode m, String reading) {
        ModeBaseline b = modes.get(m);
        RobustWindow w = b == null ? null : ModeBaseline.SCENE_MATCH.equals(reading) ? b.sceneMatch : b.readings.get(reading);
        return w == null ? Double.NaN : w.median();
    }

    /** Forgets one mode's normal, e.g. after the camera was re-aimed. */
    void forget(SceneMode m) {
        modes.remove(m);
        changed = true;
    }

    /**
     * True when the baseline changed since the last call (a sample learnt, a run of frozen or off-scene frames
     * begun or ended), so a caller writes its store only then: most frames of a 15 fps camera learn nothing.
     */
    public boolean takeChanged() {
        boolean c = changed;
        changed = false;
        return c;
    }
}
