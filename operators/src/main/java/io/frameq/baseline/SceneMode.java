package io.frameq.baseline;

import io.frameq.frame.RgbImage;

/**
 * Which of its two normals a camera is in. A camera whose IR-cut filter opens at dusk switches at once to a
 * monochrome picture with other sharpness, noise and contrast; judged against the day's normal, every night
 * frame would look like a fault, so monochrome frames keep a normal of their own. A colour camera that simply
 * grows darker at dusk stays in its day mode: the change is slow and the sliding window follows it, while a
 * sudden darkening (a failed exposure, a covered lens) strays from it and is flagged — which a luma-based mode
 * switch would hide by judging the dark frames against a cold night normal.
 */
public enum SceneMode {
    DAY,
    /** Monochrome: IR night mode. */
    NIGHT;

    /**
     * Mean chroma distance (|R-G| + |G-B| in 8-bit units) below which a frame counts as monochrome. An IR picture's
     * chroma planes are flat, so it reads 0-1 after conversion to RGB; colour scenes read 10-40, and even a colour
     * frame darkened to a tenth keeps its sensor's chroma noise above this.
     */
    static final double MONOCHROME_BELOW_CHROMA = 2.0;
    /** Pixels sampled for the chroma estimate: enough for a stable mean, cheap at any resolution. */
    private static final int CHROMA_SAMPLES = 4096;

    /** True when a frame has no colour (an IR picture, or a colourless veil: the judge tells them apart). */
    public static boolean monochrome(RgbImage image) {
        return chroma(image) < MONOCHROME_BELOW_CHROMA;
    }

    /**
     * Mean of |R-G| + |G-B| over an even sample of pixels: about 0 for a monochrome (IR) picture. An image built
     * from a JPEG's planes ({@link RgbImage#planes()}) is read point by point from them, never converted whole.
     */
    public static double chroma(RgbImage image) {
        int n = image.width() * image.height();
        int step = Math.max(1, n / CHROMA_SAMPLES);
        long sum = 0;
        int count = 0;
        if (image.planes() != null) {
            int w = image.width();
            for (int i = 0; i < n; i += step) {
                int rgb = image.planes().rgb(i % w, i / w);
                int r = rgb >>> 16;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                sum += Math.abs(r - g) + Math.abs(g - b);
                count++;
            }
            return sum / (double) count;
        }
        byte[] p = image.pixels();
        for (int i = 0; i < n; i += step) {
            int r = p[3 * i] & 0xff;
            int g = p[3 * i + 1] & 0xff;
            int b = p[3 * i + 2] & 0xff;
            sum += Math.abs(r - g) + Math.abs(g - b);
            count++;
        }
        return sum / (double) count;
    }
}
