package io.frameq.frame;

/**
 * How a frame was decoded for the detectors: its picture's full size, and the factor (1, 2 or 4)
 * by which the decoder shrank it in the DCT domain (JPEG via FFmpeg's {@code lowres}). A factor of
 * 1 means the frame's image is the full picture; otherwise a stage that needs every pixel (the
 * model, a restorer) decodes the payload again at full size.
 */
public record Reduction(int fullWidth, int fullHeight, int factor) {

    public Reduction {
        if (factor != 1 && factor != 2 && factor != 4) {
            throw new IllegalArgumentException("Reduction.factor: expected 1, 2 or 4, actual " + factor);
        }
        if (fullWidth < 1 || fullHeight < 1) {
            throw new IllegalArgumentException("Reduction: expected a positive full size, actual " + fullWidth + "x" + fullHeight);
        }
    }

    /** The full picture of this size, not reduced. */
    public static Reduction none(int width, int height) {
        return new Reduction(width, height, 1);
    }

    public boolean reduced() {
        return factor > 1;
    }
}
