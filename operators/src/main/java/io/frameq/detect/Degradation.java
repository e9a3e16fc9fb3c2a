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
