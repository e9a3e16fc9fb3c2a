package io.frameq.baseline;

import io.frameq.frame.RgbImage;

/**
 * Which of its two normals a camera is in. Cameras switch to a monochrome infrared picture or simply to a dark
 * scene at dusk; judged against the day's normal, every night frame would look like a fault. Each mode keeps
 * its own statistics and reference scene.
 */
public enum SceneMode {
    DAY,
    /** Monochrome (IR cut filter off) or dark. */
    NIGHT;

    /** Mean luma below which a colour frame counts as night. */
    static final double NIGHT_BELOW_MEAN_LUMA = 45;
    /** Mean chroma distance (|R-G| + |G-B| in 8-bit units) below which a frame counts as monochrome. */
    static final double MONOCHROME_BELOW_CHROMA = 4;
    /** Pixels sampled for the chroma estimate: enough for a stable mean, cheap at any resolution. */
    private static final int CHROMA_SAMPLES = 4096;

    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The mode of a frame from its pixels and its mean luma. */
    public static SceneMode of(RgbImage image, double meanLuma) {
        return meanLuma < NIGHT_BELOW_MEAN_LUMA || chroma(image) < MONOCHROME_BELOW_CHROMA ? NIGHT : DAY;
    }

    /** Mean of |R-G| + |G-B| over an even sample of pixels: about 0 for a monochrome (IR) picture. */
    public static double chroma(RgbImage image) {
        byte[] p = image.pixels();
        int n = image.width() * image.height();
        int step = Math.max(1, n / CHROMA_SAMPLES);
        long sum = 0;
        int count = 0;
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
