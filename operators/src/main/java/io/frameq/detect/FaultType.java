package io.frameq.detect;

import java.util.Locale;

/**
 * What the spatial diagnosis ({@link FaultRules}) can report about a frame. Every type but {@link #IR_MODE} is a
 * fault and raises its {@link Degradation}; IR_MODE is information (the camera switched to its infrared night
 * mode, a normal state) and raises nothing. {@link #code()} is the lower-case name, as in JSON and labels.
 */
public enum FaultType {
    /** Most of the picture lost its texture and turned uniform: lens cap, hand, tape, film, a wall in front. */
    COVERED(Degradation.COVERED),
    /**
     * The view no longer matches the camera's reference view: knocked, turned or re-aimed. Judged on streams only,
     * against the camera's baseline ({@code io.frameq.baseline.BaselineJudge}); a single picture has no reference.
     */
    MOVED(Degradation.MOVED),
    /** Blurred or veiled patches in part of the frame while the rest stays sharp: dirt, smear, scratch. */
    SOILED(Degradation.SOILED),
    /** Many small bright-edged blobs of lost detail spread over the frame: water drops on the glass or lens. */
    RAINDROPS(Degradation.RAINDROPS),
    /** Haze, fog or smoke: low contrast, raised black level and washed-out colour across most of the frame. */
    LOW_VISIBILITY(Degradation.LOW_VISIBILITY),
    /** Clipped bright blobs with a veil of scattered light around them: sun or lamp glare, lens flare. */
    GLARE(Degradation.GLARE),
    /** Fine detail lost across the whole frame: out of focus or motion-blurred. */
    DEFOCUSED(Degradation.DEFOCUSED),
    /** The whole frame tinted one way: white balance lost, a colour filter or a failing sensor channel. */
    COLOUR_CAST(Degradation.COLOUR_CAST),
    /** Under-exposed with nothing bright anywhere: not a night scene with lamps, a picture too dark to use. */
    DARK(Degradation.DARK),
    /** Washed out: most of the frame clipped or lifted to near white, not just a bright sky. */
    OVEREXPOSED(Degradation.OVEREXPOSED),
    /** Greyscale picture (infrared night mode): information, not a fault. */
    IR_MODE(null);

    private final String code = name().toLowerCase(Locale.ROOT);
    private final Degradation degradation;

    FaultType(Degradation degradation) {
        this.degradation = degradation;
    }

    public String code() {
        return code;
    }

    /** True for faults, false for conditions that are reported but are not faults ({@link #IR_MODE}). */
    public boolean isFault() {
        return degradation != null;
    }

    /** The degradation this fault raises; null for a condition. */
    public Degradation degradation() {
        return degradation;
    }
}
