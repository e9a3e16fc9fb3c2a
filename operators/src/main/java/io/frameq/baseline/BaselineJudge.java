package io.frameq.baseline;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.frameq.detect.Degradation;
import io.frameq.detect.DetectorReport;
import io.frameq.detect.Fault;
import io.frameq.detect.FaultType;

/**
 * Judges a frame against its stream's own normal and learns from the frames it finds clean.
 *
 * <ul>
 *   <li>BLACK stands on its own (no scene has a normal of black), and FROZEN once the picture has stayed unchanged
 *       for {@link BaselineSettings#frozenMinMs}: a single repeated frame is a recorder filling its frame rate.</li>
 *   <li>Every other detector flag is scene-dependent. While a mode warms up it is suppressed. After that it
 *       stands only when its reading strays from the stream's median, in the bad direction, by more than
 *       {@link BaselineSettings#deviationMads} scaled MADs and by the reading's own floor — so a highway camera
 *       whose sky is always clipped is not over-exposed, but one whose clipped share doubles is. A flag with no
 *       reading behind it (spatial fault types) stands unless it is the stream's normal
 *       ({@link BaselineSettings#normalFlagShare}).</li>
 *   <li>BLUR is added when sharpness falls far below the stream's normal although the fixed threshold was not
 *       crossed (a sharp camera that lost focus), and MOVED when the scene no longer matches the reference view
 *       for {@link BaselineSettings#movedMinFrames} frames while the picture still has texture.</li>
 *   <li>Learning: at most one sample per {@link BaselineSettings#sampleIntervalMs} of capture time, and only from
 *       frames judged clean, so a fault is never learnt as normal.</li>
 * </ul>
 * Stateless; thread-safe. The {@link StreamBaseline} passed in is mutated.
 */
public final class BaselineJudge {

    /** MAD to standard deviation for normal data. */
    private static final double MAD_SCALE = 1.4826;
    /** Sharpness below this share of the stream's normal (and beyond the MAD margin) counts as lost focus. */
    static final double LOST_FOCUS_SHARE = 0.3;
    /**
     * A camera's {@code defocused} must also show on its sharpness: below this share of its normal. The single-frame
     * cues read a smoothly enlarged picture as defocused (a 1280 px traffic camera enlarged to 1920 read so on 59 %
     * of its clean frames, as the scene changed), while focus lost on a camera drops its sharpness far below its
     * normal (rendered defocus: under 1 %).
     */
    static final double DEFOCUS_SHARPNESS_SHARE = 0.8;
    /**
     * A camera whose sharpness fell under {@link #LOST_FOCUS_SHARE} of its normal while its view still matches its
     * reference and keeps at least this share of its normal contrast lost focus, even where the single-frame cue
     * cannot say so: a small or blocky picture can keep a steep step in some cells however far its focus went (two
     * low-resolution CCTV clips with a focus ring turned, `eval-tamper --faults defocus`: sharpness at 6 % of
     * normal, crispness still above the single-frame threshold). Fog and a cover take the contrast with them; a
     * turned camera leaves its reference.
     */
    static final double FOCUS_KEEPS_CONTRAST_SHARE = 0.5;
    /** Confidence of a fault only the baseline found (the single-frame rules gave none): judged against the normal. */
    static final double JUDGED_CONFIDENCE = 0.75;
    /**
     * The scene match below which a view counts as moved while its match has been learnt for fewer than
     * warm-up-samples intervals. A busy scene's match against a reference only seconds old dips to 0.25-0.5 as
     * people and cars move (the real clean clips' first 8 s: 0.25 at the lowest); a real camera turned away 3.3 s
     * after it came on fell to 0.08-0.17.
     */
    static final double YOUNG_MOVED_BELOW_MATCH = 0.2;
    /**
     * A view that keeps under this share of the camera's normal match has lost its scene, however widely that match
     * spreads. A sparse view that passing cars hide (a car park's match spreads from 0.2 to 1) would otherwise need a
     * match under zero to leave it.
     */
    static final double COLLAPSED_MATCH_SHARE = 0.35;
    /** Fewer match values than this are always young: no spread can be read from them. */
    static final int YOUNG_MATCH_MIN_SAMPLES = 3;

    /** Contrast below this share of the stream's normal means no texture: a lost scene, not a moved one. */
    static final double TEXTURE_LOST_SHARE = 0.35;
    /** Sharpness below this share of the stream's normal, with the contrast lost too, is a covered lens. */
    static final double COVERED_SHARPNESS_SHARE = 0.1;
    /**
     * A covered camera's auto-exposure raises its gain, and the amplified sensor noise keeps the sharpness at its
     * normal. The scene's structure at the thumbnail's scale, where noise averages out, is gone all the same: the
     * thumbnail's detail ({@link SceneMatch#detail}) above {@value #THUMBNAIL_DETAIL_FLOOR} below this share of the
     * reference view's, with the contrast below {@value #NOISY_COVER_CONTRAST_SHARE} of the normal, is a covered lens
     * too. Rendered hand covers with the gain tripled (noise sigma 6 on 1280 px frames): detail 0.01-0.09 of the
     * reference's (a sparse car park at night 0.26-0.30) and contrast 0.11-0.41 of the normal; the 24 real clean clips
     * at 5 frames/s never below 0.56 and 0.70.
     */
    static final double COARSE_DETAIL_LOST_SHARE = 0.25;
    static final double NOISY_COVER_CONTRAST_SHARE = 0.5;
    /** The detail a bare surface still shows on a thumbnail: rounding to whole levels and what noise is left. */
    static final double THUMBNAIL_DETAIL_FLOOR = 1.0;
    /** A reference view with less detail than this (a bare wall) cannot show detail lost. */
    static final double MIN_REFERENCE_DETAIL = 3.0;
    /**
     * A film or a translucent cover diffuses and veils rather than hides: contrast below this share of the normal
     * (rendered film: 0.24-0.52) with the sharpness gone, arriving within {@value #DIFFUSING_WITHIN_MS} ms. Lost
     * focus mostly keeps 0.8-0.9 of the contrast: only the fine detail goes, while a veil scales every
     * difference down. Fog can read the same once thick, but it comes over minutes, hence the time limit.
     */
    static final double DIFFUSED_CONTRAST_SHARE = 0.6;
    /** Within {@value #DIFFUSING_WITHIN_MS} ms before a diffusing cover, a frame still had this share of the normal sharpness. */
    static final double SUDDEN_FROM_SHARPNESS_SHARE = 0.3;
    /**
     * How fast a diffusing cover comes on: a sheet of bubble wrap slid over a real camera took 1.5 s from the first
     * edge to the whole view; fog takes minutes.
     */
    static final long DIFFUSING_WITHIN_MS = 2_000;
    /**
     * The veil of a diffusing cover: scattered light moves the mean luma by at least this share of the normal (and
     * at least {@value #VEIL_MIN_LEVELS} levels), unless the contrast fell under {@value #FLAT_CONTRAST_SHARE} of
     * the normal. Lost focus moves neither: a blur as deep as a film's over a fine-textured top-down view keeps the
     * brightness within 4 levels and 0.41 of the contrast; the same blur under a film shifts it by 30 levels.
     */
    static final double VEIL_LUMA_SHARE = 0.05;
    static final double VEIL_MIN_LEVELS = 8;
    static final double FLAT_CONTRAST_SHARE = 0.3;

    /**
     * Which reading stands behind a scene-dependent flag, which way is bad, the least change that counts, and
     * whether the reading varies by factors (then its spread is measured on {@code ln(1 + value)}: a busy scene's
     * sharpness swings tenfold with traffic, and a spread in plain units would hide any fall towards zero).
     */
    private record Evidence(String reading, boolean high, double absoluteFloor, double relativeFloor, boolean byFactors) {
    }

    private static final Map<Degradation, Evidence> EVIDENCE = Map.of(
            Degradation.BLUR, new Evidence("sharpness", false, 0, 0.5, true),
            Degradation.NOISE, new Evidence("noise_sigma", true, 1.0, 0.5, true),
            Degradation.DARK, new Evidence("mean_luma", false, 15, 0.3, false),
            Degradation.OVEREXPOSED, new Evidence("clipped_bright", true, 0.05, 0.5, false),
            Degradation.BLOCKY, new Evidence("blockiness", true, 0.15, 0.1, false));

    private final BaselineSettings settings;

    public BaselineJudge(BaselineSettings settings) {
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
    }

    public BaselineSettings settings() {
        return settings;
    }

    /** Luma contrast below which a monochrome frame is never taken for an IR picture (see {@link #modeOf}). */
    static final double NIGHT_MIN_CONTRAST = 10;

    /**
     * Judges one frame and, when it is clean and a sample is due, learns from it.
     *
     * @param state      the stream's baseline (mutated)
     * @param report     the single-frame detectors' report
     * @param monochrome whether the frame has no colour ({@link SceneMode#monochrome})
     * @param captureMs  the frame's capture time
     */
    public Judgement judge(StreamBaseline state, DetectorReport report, boolean monochrome, long captureMs) {
        return judge(state, report, monochrome, captureMs, true);
    }

    /** As {@link #judge(StreamBaseline, DetectorReport, boolean, long)}; {@code movedChecked} false for a steerable camera. */
    public Judgement judge(StreamBaseline state, DetectorReport report, boolean monochrome, long captureMs, boolean movedChecked) {
        SceneMode mode = modeOf(state, monochrome, report.readings().contrast());
        if (state.lastMode != null && mode != state.lastMode) {
            // Back from frames judged in the other mode: a run off this mode's view counts from here, as one
            // episode can no longer be told from two (a car park whose frames flicker into IR mode and back).
            ModeBaseline back = state.mode(mode);
            if (back.offSceneRun > 0) {
                back.offSceneSinceMs = captureMs;
                back.offSceneSwept = false;
                back.offSceneMotionSinceMs = Long.MAX_VALUE;
            }
        }
        state.changed |= mode != state.lastMode;
        state.lastMode = mode;
        return judge(state, report, mode, captureMs, movedChecked);
    }

    /**
     * The mode a frame is judged in. Colour is day. A monochrome frame is IR night only if it keeps its texture:
     * a covered or fogged lens also loses its colour, and judged in a cold night mode it would be learnt instead
     * of flagged. So a monochrome frame with little contrast, or with under {@value #TEXTURE_LOST_SHARE} of the
     * day's normal contrast, stays in the stream's current mode.
     */
    static SceneMode modeOf(StreamBaseline state, boolean monochrome, double contrast) {
        SceneMode current = state.lastMode == null ? SceneMode.DAY : state.lastMode;
        if (!monochrome) {
            return SceneMode.DAY;
        }
        if (contrast < NIGHT_MIN_CONTRAST) {
            return current;
        }
        if (current == SceneMode.DAY && state.samples(SceneMode.DAY) > 0
                && contrast < TEXTURE_LOST_SHARE * state.median(SceneMode.DAY, "contrast")) {
            return SceneMode.DAY;
        }
        return SceneMode.NIGHT;
    }

    /** Judges one frame in a given mode (see {@link #judge(StreamBaseline, DetectorReport, boolean, long)}). */
    public Judgement judge(StreamBaseline state, DetectorReport report, SceneMode mode, long captureMs) {
        return judge(state, report, mode, captureMs, true);
    }

    /**
     * Judges one frame in a given mode; {@code movedChecked} false for a camera steered on purpose
     * ({@link BaselineSettings#steerable}): its view changing is not a fault, and its reference follows it.
     */
    public Judgement judge(StreamBaseline state, DetectorReport report, SceneMode mode, long captureMs, boolean movedChecked) {
        Set<Degradation> raw = report.flags();
        if (!settings.enabled()) {
            return new Judgement(raw, EnumSet.noneOf(Degradation.class), mode, false, Double.NaN, List.of());
        }
        Map<String, Double> readings = report.readings().asMap();
        byte[] previous = state.earlierView(captureMs, report.thumbnail(), STEADY_SPAN_MS);
        boolean steadyView = steady(report.thumbnail(), previous);
        trackMotion(state, previous != null && !steadyView, captureMs);
        ModeBaseline m = state.mode(mode);
        boolean warm = m.samples >= settings.warmupSamples();
        EnumSet<Degradation> out = EnumSet.noneOf(Degradation.class);
        EnumSet<Degradation> suppressed = EnumSet.noneOf(Degradation.class);
        List<Judgement.Deviation> deviations = new ArrayList<>();

        if (raw.contains(Degradation.BLACK)) {
            state.changed |= state.frozenSinceMs != Long.MIN_VALUE || m.offSceneRun != 0;
            state.frozenSinceMs = Long.MIN_VALUE;
            m.offSceneRun = 0;
            return new Judgement(EnumSet.of(Degradation.BLACK), EnumSet.noneOf(Degradation.class), mode, !warm, Double.NaN, deviations);
        }
        if (frozen(state, raw.contains(Degradation.FROZEN), captureMs)) {
            out.add(Degradation.FROZEN);
        } else if (raw.contains(Degradation.FROZEN)) {
            suppressed.add(Degradation.FROZEN);
        }

        for (Degradation f : raw) {
            if (f == Degradation.FROZEN) {
                continue;
            }
            if (!warm) {
                suppressed.add(f);
                continue;
            }
            Evidence e = EVIDENCE.get(f);
            Judgement.Deviation d = e == null ? null : deviation(m, e, readings.get(e.reading()));
            boolean stands = e == null ? m.flagShare(f.code()) < settings.normalFlagShare() : d != null;
            if (f == Degradation.DEFOCUSED && stands) {
                stands = belowNormal(m, "sharpness", readings.get("sharpness"), DEFOCUS_SHARPNESS_SHARE);
            }
            if (stands) {
                out.add(f);
                if (d != null) {
                    deviations.add(d);
                }
            } else {
                suppressed.add(f);
            }
        }

        if (warm && !out.contains(Degradation.BLUR)) {
            Judgement.Deviation d = deviation(m, EVIDENCE.get(Degradation.BLUR), readings.get("sharpness"));
            if (d != null && d.value() < LOST_FOCUS_SHARE * d.normal()) {
                out.add(Degradation.BLUR);
                deviations.add(d);
            }
        }

        if (warm && textureLost(state, m, raw, readings, report.thumbnail(), captureMs, deviations)) {
            out.add(Degradation.COVERED);
        }
        long coveredSinceMs = coverOnset(state, m, readings.get("sharpness"), out.contains(Degradation.COVERED), captureMs);
        if (out.contains(Degradation.COVERED) && out.remove(Degradation.LOW_VISIBILITY)) {
            suppressed.add(Degradation.LOW_VISIBILITY); // the haze is the cover's (see textureLost)
        }

        double match = SceneMatch.match(report.thumbnail(), m.reference);
        ViewOff viewOff = movedChecked && warm
                ? offScene(m, report.thumbnail(), match, readings.get("contrast"), captureMs, deviations) : ViewOff.ON;
        boolean off = viewOff != ViewOff.ON;
        long movedSinceMs = Long.MIN_VALUE;
        if (movedNow(state, m, viewOff, off && steadyView, captureMs)) {
            out.add(Degradation.MOVED);
            // The view left its reference when the run began, or when the camera began to move just before it, but
            // only a camera seen moving is known to have turned then: a car parking in front of a sparse view's few
            // textured cells holds still from its first frame.
            movedSinceMs = m.offSceneSwept ? Math.min(m.offSceneSinceMs, m.offSceneMotionSinceMs) : Long.MIN_VALUE;
            if (settings.relearnAfterMs() > 0 && captureMs - m.offSceneSinceMs >= settings.relearnAfterMs()) {
                state.forget(mode); // re-aimed for good: learn the new view from the next frame on
            }
        }

        if (warm && !off && lostFocus(m, readings, out)) {
            out.add(Degradation.DEFOCUSED);
        }

        // Nor while the scene is off its reference: the frames before MOVED fires must not become the reference.
        if (out.isEmpty() && m.offSceneRun == 0 && !m.moved
                && (m.lastSampleMs == Long.MIN_VALUE || captureMs - m.lastSampleMs >= settings.intervalAfter(m.samples))) {
            learn(m, readings, raw, match, report.thumbnail(), captureMs, settings.sampleIntervalMs());
            state.changed = true;
        }
        return new Judgement(out, suppressed, mode, !warm, match, deviations, movedSinceMs, coveredSinceMs);
    }

    /**
     * When a cover came on: a hand or a bag takes half a second or more to come over the lens, and the picture loses
     * its sharpness while it does, before the frame is covered enough to say so. The run of frames under
     * {@value #DIMMING_SHARE} of the normal sharpness just before the first covered frame is that onset, counted back
     * at most {@value #COVER_ONSET_MAX_MS} ms (a camera soft for hours that is then covered is not covered for hours).
     * Latched for the covered run; {@link Long#MIN_VALUE} when the frame is not covered.
     */
    private static long coverOnset(StreamBaseline state, ModeBaseline m, Double sharpness, boolean covered, long captureMs) {
        RobustWindow normal = m.readings.get("sharpness");
        boolean dim = sharpness != null && normal.size() > 0 && sharpness < DIMMING_SHARE * normal.median();
        if (!dim) {
            state.dimSinceMs = Long.MIN_VALUE;
        } else if (state.dimSinceMs == Long.MIN_VALUE || state.dimSinceMs > captureMs) {
            state.dimSinceMs = captureMs;
        }
        if (!covered) {
            state.coverSinceMs = Long.MIN_VALUE;
        } else if (state.coverSinceMs == Long.MIN_VALUE) {
            long dimmed = state.dimSinceMs == Long.MIN_VALUE ? captureMs : state.dimSinceMs;
            state.coverSinceMs = Math.max(dimmed, captureMs - COVER_ONSET_MAX_MS);
        }
        return state.coverSinceMs;
    }

    /** A frame under this share of the normal sharpness may be a cover coming on (see {@link #coverOnset}). */
    static final double DIMMING_SHARE = 0.5;
    /** A cover counts back to its onset at most this long before its first covered frame. */
    static final long COVER_ONSET_MAX_MS = 1_000;

    /**
     * MOVED with hysteresis: it begins once the view has been off its reference for {@link #MOVED_MIN_MS} and
     * {@link BaselineSettings#movedMinFrames} frames, the last {@link #STEADY_FRAMES} of them steady (each matching the
     * view 200 ms before it), and ends only after as many frames back on the reference, so a crowd that happens to line
     * up with a few cells of the old view does not switch it off frame by frame. Steadiness tells a camera that was
     * turned — its new view holds still — from a truck or a bus crossing a sparse scene, which hides the
     * reference's few textured cells for a few seconds while it moves through the picture.
     */
    private boolean movedNow(StreamBaseline state, ModeBaseline m, ViewOff viewOff, boolean steady, long captureMs) {
        boolean off = viewOff != ViewOff.ON;
        if (off) {
            if (m.offSceneRun == 0 && !m.moved) {
                m.offSceneSinceMs = captureMs;
                m.offSceneSwept = false;
                m.offSceneMotionSinceMs = motionOnset(state, captureMs);
                m.offSceneCollapsedOnly = true;
            }
            m.offSceneCollapsedOnly &= viewOff == ViewOff.COLLAPSED;
            if (!m.moved) { // decided by the confirmation: a car moving about a hidden view later is no turn
                m.offSceneSwept |= !steady;
            }
            m.offSceneRun++;
            m.onSceneRun = 0;
            state.steadyOffRun = steady ? state.steadyOffRun + 1 : 0;
            state.changed = true;
        } else if (m.offSceneRun != 0 || m.moved) {
            m.offSceneRun = 0;
            m.onSceneRun++;
            state.steadyOffRun = 0;
            state.changed = true;
        }
        long minMs = m.offSceneCollapsedOnly ? COLLAPSED_MIN_MS : MOVED_MIN_MS;
        if (!m.offSceneSwept) {
            minMs = Math.max(minMs, UNSWEPT_MIN_MS);
        }
        if (!m.moved && m.offSceneRun >= settings.movedMinFrames() && state.steadyOffRun >= STEADY_FRAMES
                && captureMs - m.offSceneSinceMs >= minMs) {
            m.moved = true;
        } else if (m.moved && m.onSceneRun >= settings.movedMinFrames()) {
            m.moved = false;
            m.onSceneRun = 0;
        }
        return m.moved;
    }

    /** A view must stay off its reference this long before it counts as moved, whatever the frame rate. */
    static final long MOVED_MIN_MS = 500;
    /**
     * A run off the reference only by a collapsed match ({@link #COLLAPSED_MATCH_SHARE}) must last this long: a car
     * crossing a sparse view hides most of its few textured cells for about a second, a turned camera stays turned.
     */
    static final long COLLAPSED_MIN_MS = 1500;
    /**
     * A run off the reference in which the camera was never seen moving (every frame, the first included, matched the
     * view {@link #STEADY_SPAN_MS} before it) must last this long: the view was hidden by something creeping across
     * it, not left. A car crossing a sparse car park slowly took its match from 1.0 down to 0.14 and back over 2.2 s
     * with every frame steady (`car-detection` at 12.5 frames/s: 21 frames read moved). A turned or knocked camera
     * smears or jumps between two frames, and a mount slipping slowly is still moved 3 s later.
     */
    static final long UNSWEPT_MIN_MS = 3000;
    /** Off-scene frames in a row that must each match the view {@link #STEADY_SPAN_MS} before them. */
    static final int STEADY_FRAMES = 2;
    /** A frame's view is compared with the view this long before it (the frame before, at 5 frames/s or fewer). */
    static final long STEADY_SPAN_MS = 200;
    /** Scene match against the earlier view at or above which a frame counts as steady. */
    static final double STEADY_MATCH = 0.75;

    /** Follows the runs of frames whose view changed within {@value #STEADY_SPAN_MS} ms (see {@link #motionOnset}). */
    private static void trackMotion(StreamBaseline state, boolean moving, long captureMs) {
        if (!moving) {
            return;
        }
        if (!inMotionRun(state, captureMs) || captureMs < state.motionLastMs) {
            state.motionSinceMs = captureMs;
        }
        state.motionLastMs = captureMs;
    }

    /** The latest motion run reaches this frame (its last frame at most {@value #MOTION_GAP_MS} ms before). */
    private static boolean inMotionRun(StreamBaseline state, long captureMs) {
        return state.motionLastMs != Long.MIN_VALUE && captureMs - state.motionLastMs <= MOTION_GAP_MS;
    }

    /**
     * When a run off the reference that begins now began to move: a turning camera's view shifts for the best part of
     * a second before it no longer matches its reference, so a run that begins while the view is moving counts from
     * when the motion began, at most {@value #MOTION_ONSET_MAX_MS} ms back (a crowd moving for minutes before a turn
     * does not date it back minutes). {@link Long#MAX_VALUE} when the view is not moving.
     */
    private static long motionOnset(StreamBaseline state, long captureMs) {
        if (!inMotionRun(state, captureMs) || state.motionSinceMs > captureMs) {
            return Long.MAX_VALUE;
        }
        return Math.max(state.motionSinceMs, captureMs - MOTION_ONSET_MAX_MS);
    }

    /** Frames of one motion run are at most this far apart (two frames at 5 frames/s). */
    static final long MOTION_GAP_MS = 400;
    /** A turn counts back to when its view began to move at most this long before its first off-reference frame. */
    static final long MOTION_ONSET_MAX_MS = 1_000;

    /**
     * The frame shows what the view {@link #STEADY_SPAN_MS} before showed (or there is too little texture to tell,
     * which is no evidence of motion).
     */
    private static boolean steady(byte[] thumbnail, byte[] previous) {
        double self = SceneMatch.match(thumbnail, previous);
        return previous != null && (Double.isNaN(self) || self >= STEADY_MATCH);
    }

    private boolean frozen(StreamBaseline state, boolean unchanged, long captureMs) {
        if (!unchanged) {
            state.changed |= state.frozenSinceMs != Long.MIN_VALUE;
            state.frozenSinceMs = Long.MIN_VALUE;
            return false;
        }
        if (state.frozenSinceMs == Long.MIN_VALUE || captureMs < state.frozenSinceMs) {
            // The first repeat: the run began with the frame before, which we only know as "recent".
            state.frozenSinceMs = captureMs;
            state.changed = true;
        }
        return captureMs - state.frozenSinceMs >= settings.frozenMinMs();
    }

    /**
     * Covered, judged against the camera's own normal. Hidden: sharpness below {@value #COVERED_SHARPNESS_SHARE} of
     * it and contrast below {@value #TEXTURE_LOST_SHARE} of it, while the frame is neither fog (its own fault type,
     * unless the camera was covered already) nor black: a sheet, a hand or a bag over the lens leaves some shading,
     * which single-frame rules for a flat frame can miss. Hidden under gain noise: the sharpness kept, but the thumbnail's structure gone
     * ({@link #COARSE_DETAIL_LOST_SHARE}). Diffused: the same low sharpness with contrast below
     * {@value #DIFFUSED_CONTRAST_SHARE} of it and the brightness veiled (see {@link #VEIL_LUMA_SHARE}), coming on
     * within {@value #DIFFUSING_WITHIN_MS} ms (a frame that long before still kept {@value #SUDDEN_FROM_SHARPNESS_SHARE}
     * of the sharpness) and held since: a plastic film or a translucent cover, which the single-frame rules read as
     * blur or fog.
     */
    private boolean textureLost(StreamBaseline state, ModeBaseline m, Set<Degradation> raw, Map<String, Double> readings,
                                byte[] thumbnail, long captureMs, List<Judgement.Deviation> deviations) {
        Double contrast = readings.get("contrast");
        Double sharpness = readings.get("sharpness");
        RobustWindow normalContrast = m.readings.get("contrast");
        RobustWindow normalSharpness = m.readings.get("sharpness");
        long lastSharp = state.lastSharpMs;
        if (sharpness != null && normalSharpness.size() > 0 && sharpness >= SUDDEN_FROM_SHARPNESS_SHARE * normalSharpness.median()) {
            state.lastSharpMs = captureMs;
        }
        if (raw.contains(Degradation.COVERED) || contrast == null || sharpness == null || normalContrast.size() == 0) {
            state.diffusedCover = false;
            return false;
        }
        // Fog rolls in over minutes; a cover comes on in a second and then, under auto-exposure gain, can read as
        // a grey, flat, hazy frame. So fog stands the covered test down only for a frame not already covered.
        boolean fog = raw.contains(Degradation.LOW_VISIBILITY) && state.coverSinceMs == Long.MIN_VALUE;
        boolean lost;
        if (sharpness >= COVERED_SHARPNESS_SHARE * normalSharpness.median()) {
            state.diffusedCover = false;
            // The cheap contrast test first: the thumbnail's detail is read only for a frame that lost its contrast.
            lost = contrast < NOISY_COVER_CONTRAST_SHARE * normalContrast.median() && !fog
                    && coarseDetailLost(m, thumbnail);
        } else {
            boolean hidden = contrast < TEXTURE_LOST_SHARE * normalContrast.median() && !fog;
            boolean sudden = lastSharp != Long.MIN_VALUE && captureMs - lastSharp <= DIFFUSING_WITHIN_MS;
            state.diffusedCover = contrast < DIFFUSED_CONTRAST_SHARE * normalContrast.median()
                    && veiled(m, readings.get("mean_luma"), contrast / normalContrast.median())
                    && (sudden || state.diffusedCover);
            lost = hidden || state.diffusedCover;
        }
        if (lost) {
            deviations.add(new Judgement.Deviation("contrast", contrast, normalContrast.median(), MAD_SCALE * normalContrast.mad()));
        }
        return lost;
    }

    /** The frame's structure at the thumbnail's scale fell below {@value #COARSE_DETAIL_LOST_SHARE} of the reference view's (above the floor). */
    private static boolean coarseDetailLost(ModeBaseline m, byte[] thumbnail) {
        if (m.reference == null || m.reference.length != thumbnail.length) {
            return false;
        }
        double normal = SceneMatch.detail(m.reference);
        return normal >= MIN_REFERENCE_DETAIL && SceneMatch.detail(thumbnail) - THUMBNAIL_DETAIL_FLOOR
                < COARSE_DETAIL_LOST_SHARE * (normal - THUMBNAIL_DETAIL_FLOOR);
    }

    /** See {@link #FOCUS_KEEPS_CONTRAST_SHARE}: the frame is already blurred against its normal, and nothing else. */
    private static boolean lostFocus(ModeBaseline m, Map<String, Double> readings, Set<Degradation> out) {
        return out.contains(Degradation.BLUR)
                && java.util.Collections.disjoint(out, EnumSet.of(Degradation.COVERED, Degradation.MOVED,
                        Degradation.LOW_VISIBILITY, Degradation.DARK))
                && belowNormal(m, "sharpness", readings.get("sharpness"), LOST_FOCUS_SHARE)
                && !belowNormal(m, "contrast", readings.get("contrast"), FOCUS_KEEPS_CONTRAST_SHARE);
    }

    private static boolean belowNormal(ModeBaseline m, String reading, Double value, double share) {
        RobustWindow normal = m.readings.get(reading);
        return value != null && normal != null && normal.size() > 0 && value < share * normal.median();
    }

    private static boolean veiled(ModeBaseline m, Double luma, double contrastShare) {
        RobustWindow normalLuma = m.readings.get("mean_luma");
        if (contrastShare < FLAT_CONTRAST_SHARE) {
            return true;
        }
        if (luma == null || normalLuma == null || normalLuma.size() == 0) {
            return false;
        }
        return Math.abs(luma - normalLuma.median()) >= Math.max(VEIL_MIN_LEVELS, VEIL_LUMA_SHARE * normalLuma.median());
    }

    /**
     * The frame's report with what the baseline judged over several frames: the {@link #movedFault} and, for a
     * covered frame, its covered fault with the cover's onset ({@code since}); {@code report} already carries the
     * judged flags.
     */
    public DetectorReport withJudgedFaults(Judgement judgement, DetectorReport report) {
        DetectorReport out = report;
        Fault moved = movedFault(judgement, report);
        if (moved != null) {
            out = out.withFault(moved);
        }
        if (judgement.flags().contains(Degradation.DEFOCUSED) && report.fault(FaultType.DEFOCUSED).isEmpty()) {
            out = out.withFault(new Fault(FaultType.DEFOCUSED, JUDGED_CONFIDENCE, everyCell(report)));
        }
        if (judgement.flags().contains(Degradation.COVERED) && judgement.coveredSinceMs() != Long.MIN_VALUE) {
            Fault covered = report.fault(FaultType.COVERED)
                    .map(f -> new Fault(f.type(), f.confidence(), f.cells(), judgement.coveredSinceMs()))
                    .orElse(new Fault(FaultType.COVERED, JUDGED_CONFIDENCE, everyCell(report), judgement.coveredSinceMs()));
            out = out.withFault(covered);
        }
        return out;
    }

    /**
     * The {@link FaultType#MOVED} fault of a judgement that holds MOVED, for the frame's report: every cell (the whole
     * view moved), confidence from 0.5 at the match threshold to 1 at no match, and the time the view first left
     * its reference; null when the judgement holds no MOVED.
     */
    public Fault movedFault(Judgement judgement, DetectorReport report) {
        if (!judgement.flags().contains(Degradation.MOVED)) {
            return null;
        }
        double threshold = settings.movedBelowMatch();
        double match = judgement.sceneMatch();
        double confidence = Double.isFinite(match) && threshold > 0
                ? Math.max(0.5, Math.min(1, 0.5 + 0.5 * (threshold - match) / threshold)) : 0.5;
        Long since = judgement.movedSinceMs() == Long.MIN_VALUE ? null : judgement.movedSinceMs();
        return new Fault(FaultType.MOVED, confidence, everyCell(report), since);
    }

    /** Every grid cell of the report (none for a report without spatial readings): a fault of the whole view. */
    private static List<Integer> everyCell(DetectorReport report) {
        int n = report.cells() == null ? 0 : report.cells().size();
        return java.util.stream.IntStream.range(0, n).boxed().toList();
    }

    /**
     * Whether the mode's scene match is too young to have a spread: fewer than {@value #YOUNG_MATCH_MIN_SAMPLES}
     * values, or fewer than warm-up-samples values learnt within warm-up-samples sample intervals of the first (a
     * mode whose frames are often flagged, or that flickers with the other mode, learns slowly; it is judged by its
     * normal match and spread once that time is over).
     */
    private boolean youngMatch(ModeBaseline m, long captureMs) {
        // firstMatchSampleMs is set with the window's first value and stored with it (BaselineCodec).
        return m.sceneMatch.size() < YOUNG_MATCH_MIN_SAMPLES || m.sceneMatch.size() < settings.warmupSamples()
                && captureMs - m.firstMatchSampleMs < settings.warmupSamples() * settings.sampleIntervalMs();
    }

    /** Whether a frame's view is off its reference, and how it was found off. */
    private enum ViewOff {
        ON,
        /** Off beyond the match's normal spread (or under the young window's floor, or still reported moved). */
        OFF,
        /** Off only because the match collapsed under {@link #COLLAPSED_MATCH_SHARE} of its normal. */
        COLLAPSED
    }

    /** The scene no longer matches the reference, and not merely because the picture lost its texture. */
    private ViewOff offScene(ModeBaseline m, byte[] thumbnail, double match, Double contrast, long captureMs,
                             List<Judgement.Deviation> deviations) {
        if (Double.isNaN(match) || m.sceneMatch.size() == 0) {
            return ViewOff.ON;
        }
        double normal = m.sceneMatch.median();
        double spread = MAD_SCALE * m.sceneMatch.mad();
        double normalContrast = m.readings.get("contrast").median();
        boolean textured = contrast != null && contrast >= TEXTURE_LOST_SHARE * normalContrast;
        // Until the match has been seen for warmupSamples normal intervals its spread is unknown: only a view that
        // hardly matches at all counts then, whatever the few values learnt so far say. A view already reported moved
        // is back only when it matches again.
        // The spread test decides only whether a view leaves: once it is reported moved it stays off until it matches
        // again (the spread of a match window that was young, a camera's first seconds of shake among its values,
        // ended moves on their next frames).
        // In those first seconds a run that began under that floor while the camera was seen moving goes on while the
        // match stays collapsed: a camera turned onto a similar view (a car park's next rows) matches 0.1-0.35, above
        // the floor now and then. A crowd drifting over a busy view takes its match as low, but without a sweep.
        boolean young = youngMatch(m, captureMs);
        boolean collapsed = match < COLLAPSED_MATCH_SHARE * normal;
        boolean turning = m.offSceneRun > 0 && (m.offSceneSwept || m.offSceneMotionSinceMs != Long.MAX_VALUE);
        double below = young && !m.moved && !(turning && collapsed)
                ? Math.min(YOUNG_MOVED_BELOW_MATCH, settings.movedBelowMatch()) : settings.movedBelowMatch();
        boolean beyondSpread = young || m.moved || match < normal - settings.deviationMads() * spread;
        boolean off = match < below && (beyondSpread || collapsed) && textured
                && SceneMatch.matchAllowingZoom(thumbnail, m.reference) < below;
        if (off) {
            deviations.add(new Judgement.Deviation(ModeBaseline.SCENE_MATCH, match, normal, spread));
        }
        return !off ? ViewOff.ON : beyondSpread ? ViewOff.OFF : ViewOff.COLLAPSED;
    }

    /** The deviation of a reading in the bad direction beyond its margin, or null when within the normal. */
    private Judgement.Deviation deviation(ModeBaseline m, Evidence e, Double value) {
        RobustWindow w = m.readings.get(e.reading());
        if (value == null || !Double.isFinite(value) || w.size() == 0) {
            return null;
        }
        double median = w.median();
        double floor = Math.max(e.absoluteFloor(), e.relativeFloor() * Math.abs(median));
        boolean beyondFloor = e.high() ? value > median + floor : value < median - floor;
        if (!beyondFloor) {
            return null;
        }
        boolean strays;
        double spread;
        if (e.byFactors()) {
            spread = MAD_SCALE * w.madOfLog();
            double logStep = Math.log1p(Math.max(0, value)) - Math.log1p(Math.max(0, median));
            strays = e.high() ? logStep > settings.deviationMads() * spread : -logStep > settings.deviationMads() * spread;
        } else {
            spread = MAD_SCALE * w.mad();
            strays = Math.abs(value - median) > settings.deviationMads() * spread;
        }
        return strays ? new Judgement.Deviation(e.reading(), value, median, spread) : null;
    }

    private static void learn(ModeBaseline m, Map<String, Double> readings, Set<Degradation> raw, double match,
                              byte[] thumbnail, long captureMs, long matchIntervalMs) {
        for (Map.Entry<String, RobustWindow> w : m.readings.entrySet()) {
            Double v = readings.get(w.getKey());
            if (v != null) {
                w.getValue().add(v);
            }
        }
        if (Double.isFinite(match) && (m.lastMatchSampleMs == Long.MIN_VALUE || captureMs - m.lastMatchSampleMs >= matchIntervalMs)) {
            if (m.firstMatchSampleMs == Long.MIN_VALUE) {
                m.firstMatchSampleMs = captureMs;
            }
            m.sceneMatch.add(match);
            m.lastMatchSampleMs = captureMs;
        }
        m.addFlags(raw.stream().map(Degradation::code).toArray(String[]::new));
        m.samples++;
        m.lastSampleMs = captureMs;
        m.addView(thumbnail);
    }
}
