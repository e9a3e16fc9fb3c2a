package io.frameq.baseline;

import io.frameq.detect.DetectorSuite;

/**
 * How well a frame's scene matches a reference view of the same camera: the normalised correlation of their
 * gradient-magnitude thumbnails, at the best of small shifts. Gradients, not brightness, so lights switching on
 * or clouds passing keep the match high; the shift search absorbs a camera that sways a little in the wind.
 * A camera turned away, or knocked so its view moved by more than the search range, reads far lower than its
 * normal match, which busy traffic in front of a fixed background does not.
 */
public final class SceneMatch {

    /** Largest shift tried, in thumbnail pixels (1/64 of the width each). */
    static final int MAX_SHIFT = 2;

    private static final int W = DetectorSuite.THUMBNAIL_WIDTH;
    private static final int H = DetectorSuite.THUMBNAIL_HEIGHT;

    private SceneMatch() {
    }

    /**
     * The best correlation over shifts of up to {@value #MAX_SHIFT} pixels, -1..1; NaN when either thumbnail has
     * no structure (a flat frame matches nothing and nothing matches it) or is not a thumbnail.
     */
    public static double correlation(byte[] thumbnail, byte[] reference) {
        if (thumbnail == null || reference == null
                || thumbnail.length != DetectorSuite.THUMBNAIL_LENGTH || reference.length != DetectorSuite.THUMBNAIL_LENGTH) {
            return Double.NaN;
        }
        float[] a = gradient(thumbnail);
        float[] b = gradient(reference);
        double best = Double.NaN;
        for (int dy = -MAX_SHIFT; dy <= MAX_SHIFT; dy++) {
            for (int dx = -MAX_SHIFT; dx <= MAX_SHIFT; dx++) {
                double c = shifted(a, b, dx, dy);
                if (!Double.isNaN(c) && (Double.isNaN(best) || c > best)) {
                    best = c;
                }
            }
        }
        return best;
    }

    /** Gradient magnitude (|dx| + |dy| of central differences); the border stays 0. */
    static float[] gradient(byte[] t) {
        float[] g = new float[W * H];
        for (int y = 1; y < H - 1; y++) {
            for (int x = 1; x < W - 1; x++) {
                int i = y * W + x;
                int gx = (t[i + 1] & 0xff) - (t[i - 1] & 0xff);
                int gy = (t[i + W] & 0xff) - (t[i - W] & 0xff);
                g[i] = Math.abs(gx) + Math.abs(gy);
            }
        }
        return g;
    }

    /** Pearson correlation of a with b shifted by (dx, dy), over the overlap inside the 1-pixel border. */
    private static double shifted(float[] a, float[] b, int dx, int dy) {
        double sa = 0;
        double sb = 0;
        double saa = 0;
        double sbb = 0;
        double sab = 0;
        int n = 0;
        int m = MAX_SHIFT + 1;
        for (int y = m; y < H - m; y++) {
            for (int x = m; x < W - m; x++) {
                double va = a[y * W + x];
                double vb = b[(y + dy) * W + (x + dx)];
                sa += va;
                sb += vb;
                saa += va * va;
                sbb += vb * vb;
                sab += va * vb;
                n++;
            }
        }
        double cov = sab - sa * sb / n;
        double va = saa - sa * sa / n;
        double vb = sbb - sb * sb / n;
        // Below about 1 level of gradient per pixel the picture is flat: no scene to match.
        if (va < n || vb < n) {
            return Double.NaN;
        }
        return cov / Math.sqrt(va * vb);
    }
}
