package io.frameq.baseline;

import io.frameq.detect.DetectorSuite;

/**
 * How well a frame's view matches a camera's reference view: the share of the reference's textured cells
 * (a 4x3 grid over the 64x36 thumbnail) whose gradient pattern the frame still shows, each at the best of small
 * shifts. Cells and gradients, not one correlation of brightness, because of what a fixed camera sees:
 * <ul>
 *   <li>lights switching on or clouds passing change brightness, not gradients;</li>
 *   <li>the shift search absorbs a camera that sways a little in the wind;</li>
 *   <li>traffic or a crowd hides some cells of the background, never most of them for long, while a camera
 *       turned away or knocked out of position loses nearly all of them at once.</li>
 * </ul>
 * The reference is the pixel-wise median of recent clean samples ({@link #median}), so passing vehicles are not
 * part of it.
 */
public final class SceneMatch {

    /** Largest shift tried, in thumbnail pixels (1/64 of the width each). */
    static final int MAX_SHIFT = 2;
    static final int COLUMNS = 4;
    static final int ROWS = 3;
    /** A cell's gradient correlation at or above this counts as still showing the reference. */
    static final double CELL_MATCH = 0.4;
    /** Mean gradient variance per pixel below which a reference cell has no texture to match (sky, a wall). */
    static final double TEXTURED_VARIANCE = 4.0;
    /** Fewer textured cells than this: no scene to judge (NaN). */
    static final int MIN_TEXTURED_CELLS = 4;

    private static final int W = DetectorSuite.THUMBNAIL_WIDTH;
    private static final int H = DetectorSuite.THUMBNAIL_HEIGHT;

    private SceneMatch() {
    }

    /**
     * Share (0..1) of the reference's textured cells that the thumbnail still shows; NaN without a usable
     * reference or with fewer than {@value #MIN_TEXTURED_CELLS} textured cells.
     */
    public static double match(byte[] thumbnail, byte[] reference) {
        if (thumbnail == null || reference == null
                || thumbnail.length != DetectorSuite.THUMBNAIL_LENGTH || reference.length != DetectorSuite.THUMBNAIL_LENGTH) {
            return Double.NaN;
        }
        float[] a = gradient(thumbnail);
        float[] b = gradient(reference);
        int cw = (W - 2 * MAX_SHIFT - 2) / COLUMNS;
        int ch = (H - 2 * MAX_SHIFT - 2) / ROWS;
        int textured = 0;
        int matched = 0;
        for (int row = 0; row < ROWS; row++) {
            for (int col = 0; col < COLUMNS; col++) {
                int x0 = MAX_SHIFT + 1 + col * cw;
                int y0 = MAX_SHIFT + 1 + row * ch;
                if (variance(b, x0, y0, cw, ch) < TEXTURED_VARIANCE) {
                    continue;
                }
                textured++;
                if (bestCorrelation(a, b, x0, y0, cw, ch) >= CELL_MATCH) {
                    matched++;
                }
            }
        }
        return textured < MIN_TEXTURED_CELLS ? Double.NaN : matched / (double) textured;
    }

    /** Zoom factors tried by {@link #matchAllowingZoom}: a PTZ camera zooming on a plate and back is not moved. */
    static final double[] ZOOMS = {1.5, 2.0};
    /**
     * A zoomed comparison counts only at or above this: a real zoom of the same view matches nearly every cell,
     * while trying four zooms of an unrelated view finds chance matches in up to half of them.
     */
    static final double ZOOM_MATCH = 0.75;

    /**
     * Like {@link #match}, but also against the reference zoomed in and out about its centre, and the best of
     * them: an enforcement camera that zooms in on a licence plate and back keeps its aim. Costs four more
     * matches, so callers use it only when the plain match is low.
     */
    public static double matchAllowingZoom(byte[] thumbnail, byte[] reference) {
        double best = match(thumbnail, reference);
        if (Double.isNaN(best)) {
            return best;
        }
        for (double z : ZOOMS) {
            double in = match(thumbnail, zoomed(reference, z));
            double out = match(zoomed(thumbnail, z), reference);
            for (double zoomedMatch : new double[] {in, out}) {
                if (zoomedMatch >= ZOOM_MATCH) {
                    best = Math.max(best, zoomedMatch);
                }
            }
        }
        return best;
    }

    /** The centre 1/factor of a thumbnail enlarged back to full size (bilinear). */
    static byte[] zoomed(byte[] t, double factor) {
        byte[] out = new byte[t.length];
        double cx = (W - 1) / 2.0;
        double cy = (H - 1) / 2.0;
        for (int y = 0; y < H; y++) {
            double sy = cy + (y - cy) / factor;
            int y0 = (int) Math.floor(sy);
            double fy = sy - y0;
            int y1 = Math.min(H - 1, y0 + 1);
            for (int x = 0; x < W; x++) {
                double sx = cx + (x - cx) / factor;
                int x0 = (int) Math.floor(sx);
                double fx = sx - x0;
                int x1 = Math.min(W - 1, x0 + 1);
                double v = (1 - fy) * ((1 - fx) * (t[y0 * W + x0] & 0xff) + fx * (t[y0 * W + x1] & 0xff))
                        + fy * ((1 - fx) * (t[y1 * W + x0] & 0xff) + fx * (t[y1 * W + x1] & 0xff));
                out[y * W + x] = (byte) Math.round(v);
            }
        }
        return out;
    }

    /** The pixel-wise median of thumbnails of one size (the reference view of recent samples). */
    public static byte[] median(java.util.List<byte[]> thumbnails) {
        int n = thumbnails.size();
        byte[] out = new byte[thumbnails.get(0).length];
        int[] v = new int[n];
        for (int i = 0; i < out.length; i++) {
            for (int k = 0; k < n; k++) {
                v[k] = thumbnails.get(k)[i] & 0xff;
            }
            java.util.Arrays.sort(v);
            out[i] = (byte) v[n / 2];
        }
        return out;
    }

    /**
     * The thumbnail's detail: mean absolute Laplacian (4 times a pixel minus its 4 neighbours) inside the border.
     * Each thumbnail pixel averages about 10x10 pixels of the working plane, so sensor noise, even amplified by a
     * camera's gain, averages out, while the scene's structure stays; a smooth shading reads near 0 (its second
     * differences vanish).
     */
    public static double detail(byte[] t) {
        long sum = 0;
        for (int y = 1; y < H - 1; y++) {
            for (int x = 1; x < W - 1; x++) {
                int i = y * W + x;
                int lap = 4 * (t[i] & 0xff) - (t[i - 1] & 0xff) - (t[i + 1] & 0xff) - (t[i - W] & 0xff) - (t[i + W] & 0xff);
                sum += Math.abs(lap);
            }
        }
        return sum / (double) ((W - 2) * (H - 2));
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

    private static double variance(float[] g, int x0, int y0, int w, int h) {
        double s = 0;
        double ss = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                s += g[y * W + x];
                ss += g[y * W + x] * g[y * W + x];
            }
        }
        int n = w * h;
        return ss / n - (s / n) * (s / n);
    }

    /** The best Pearson correlation of the frame's cell with the reference's cell shifted by up to MAX_SHIFT. */
    private static double bestCorrelation(float[] a, float[] b, int x0, int y0, int w, int h) {
        double best = -1;
        for (int dy = -MAX_SHIFT; dy <= MAX_SHIFT; dy++) {
            for (int dx = -MAX_SHIFT; dx <= MAX_SHIFT; dx++) {
                double sa = 0;
                double sb = 0;
                double saa = 0;
                double sbb = 0;
                double sab = 0;
                for (int y = y0; y < y0 + h; y++) {
                    for (int x = x0; x < x0 + w; x++) {
                        double va = a[y * W + x];
                        double vb = b[(y + dy) * W + (x + dx)];
                        sa += va;
                        sb += vb;
                        saa += va * va;
                        sbb += vb * vb;
                        sab += va * vb;
                    }
                }
                int n = w * h;
                double va = saa - sa * sa / n;
                double vb = sbb - sb * sb / n;
                if (va > 0 && vb > 0) {
                    best = Math.max(best, (sab - sa * sb / n) / Math.sqrt(va * vb));
                }
            }
        }
        return best;
    }
}
