package io.frameq.baseline;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.frameq.detect.Degradation;

/**
 * A frame judged against its stream's normal.
 *
 * @param flags       the flags that stand: scene-independent ones, and scene-dependent ones that stray from the
 *                    stream's normal (unmodifiable, enum order)
 * @param suppressed  raw detector flags dropped because they are this stream's normal or the mode is still
 *                    warming up (unmodifiable)
 * @param mode        the scene mode the frame was judged in
 * @param warmingUp   true while the mode has fewer samples than the warm-up needs
 * @param sceneMatch  share of the mode's reference view (its textured cells) that the frame still shows
 *                    ({@link SceneMatch}); NaN without a reference or in a scene without texture
 * @param deviations  the readings that strayed, with the stream's normal they strayed from
 * @param movedSinceMs when {@code flags} holds MOVED and the camera was seen moving (some frame of the run did not
 *                    match the view 200 ms before it): the capture time of the first frame off the reference view in this
 *                    run, when it began to turn (MOVED is confirmed only once the new view is steady); otherwise
 *                    {@link Long#MIN_VALUE}
 * @param coveredSinceMs when {@code flags} holds COVERED: when the cover began to come on, the first frame of the
 *                    sharpness falling under half the normal just before it (at most
 *                    {@link BaselineJudge#COVER_ONSET_MAX_MS} before the first covered frame); otherwise
 *                    {@link Long#MIN_VALUE}
 */
public record Judgement(Set<Degradation> flags, Set<Degradation> suppressed, SceneMode mode, boolean warmingUp,
                        double sceneMatch, List<Deviation> deviations, long movedSinceMs, long coveredSinceMs) {

    /** A judgement without MOVED or COVERED. */
    public Judgement(Set<Degradation> flags, Set<Degradation> suppressed, SceneMode mode, boolean warmingUp,
                     double sceneMatch, List<Deviation> deviations) {
        this(flags, suppressed, mode, warmingUp, sceneMatch, deviations, Long.MIN_VALUE, Long.MIN_VALUE);
    }

    public Judgement {
        flags = Collections.unmodifiableSet(copy(flags));
        suppressed = Collections.unmodifiableSet(copy(suppressed));
        deviations = List.copyOf(deviations);
    }

    private static EnumSet<Degradation> copy(Set<Degradation> s) {
        EnumSet<Degradation> c = EnumSet.noneOf(Degradation.class);
        c.addAll(s);
        return c;
    }

    /**
     * One reading that strayed from the stream's normal.
     *
     * @param reading the reading's key ({@code sharpness}, {@code scene_match}, ...)
     * @param value   this frame's value
     * @param normal  the stream's median in this mode
     * @param spread  the scaled MAD (about one standard deviation of the normal), of {@code ln(1 + value)} for
     *                readings that vary by factors (sharpness, noise)
     */
    public record Deviation(String reading, double value, double normal, double spread) {
    }
}
