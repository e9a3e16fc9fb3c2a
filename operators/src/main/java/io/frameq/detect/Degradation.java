package io.frameq.detect;

import java.util.Locale;

/**
 * What the cheap per-frame detectors can flag. {@link #code()} is the lower-case name and is used
 * as a routing key and as a Prometheus label value: renaming a constant is a breaking change.
 */
public enum Degradation {
    /** Too little fine detail: variance of the Laplacian below the threshold. */
    BLUR,
    /** Estimated sensor/transmission noise above the threshold. */
    NOISE,
    /** Under-exposed: mean luma below the threshold (but not {@link #BLACK}). */
    DARK,
    /** Too many pixels clipped to white. */
    OVEREXPOSED,
    /** Black (or nearly black and flat) frame: lost signal, lens cap, dead camera. Exclusive flag. */
    BLACK,
    /** Same picture as the previous frame of the stream (frozen feed). */
    FROZEN,
    /** Visible 8x8 block structure (heavy JPEG / MPEG compression). */
    BLOCKY,
    // The spatial faults below (issue 21) are decided cell by cell by FaultRules; see FaultType for each.
    /** Most of the picture lost its texture: lens covered. */
    COVERED,
    /** Blurred or veiled patches in part of the frame while the rest stays sharp: dirty lens. */
    SOILED,
    /** Water drops on the glass or lens. */
    RAINDROPS,
    /** Haze, fog or smoke across most of the frame. */
    LOW_VISIBILITY,
    /** Glare or lens flare: clipped bright blobs with scattered light around them. */
    GLARE,
    /** Detail lost across the whole frame: out of focus or motion blur. Raised together with {@link #BLUR}. */
    DEFOCUSED,
    /** The whole frame tinted one way. */
    COLOUR_CAST,
    /**
     * The camera's view no longer matches its learnt reference (turned, knocked or re-aimed): decided against
     * the stream's baseline ({@code io.frameq.baseline}), never by the single-frame detectors.
     */
    MOVED;

    private final String code = name().toLowerCase(Locale.ROOT);

    /** Stable lower-case label: {@code blur}, {@code noise}, ... */
    public String code() {
        return code;
    }
}
