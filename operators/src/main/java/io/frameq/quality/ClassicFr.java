package io.frameq.quality;

import io.frameq.frame.RgbImage;
import java.util.Objects;

/**
 * Classic full-reference metrics, no model needed: PSNR, SSIM and MS-SSIM, following the reference
 * MATLAB implementations so that their published numbers can be checked.
 *
 * <ul>
 *   <li>{@link #psnr}: {@code 10 log10(peak^2 / MSE)}; on {@link RgbImage}s over all R, G, B samples
 *       with peak 255; {@code +Infinity} for identical images.</li>
 *   <li>{@link #ssim}: Wang et al.'s {@code ssim.m} (2011 revision): 11×11 Gaussian window σ 1.5
 *       (normalized to sum 1), K1 0.01, K2 0.03, L 255, {@code 'valid'} filtering, mean of the SSIM
 *       map, after automatic downsampling by {@code f = max(1, round(min(H, W) / 256))}: an f×f box
 *       filter with symmetric padding ({@code imfilter(..., 'symmetric', 'same')}, MATLAB's kernel
 *       centre {@code floor((f + 1) / 2)}) and every f-th row and column from the first.</li>
 *   <li>{@link #msSsim}: Wang et al.'s {@code msssim.m}: 5 scales, weights 0.0448, 0.2856, 0.3001,
 *       0.2363, 0.1333, the same window and constants (no automatic downsampling); between scales a
 *       2×2 box filter (symmetric padding) and every 2nd row and column;
 *       {@code prod(cs_1..4 ^ w_1..4) * ssim_5 ^ w_5}. Where the MATLAB code would raise a negative
 *       mean contrast-structure term to a fractional power (a complex number), the term is clamped
 *       to 0 as {@code pytorch_msssim} does. Needs a shorter side of at least 176 pixels.</li>
 * </ul>
 *
 * <p>On RGB images SSIM and MS-SSIM are computed on luma as MATLAB's {@code rgb2gray} makes it for
 * 8-bit images: {@code round(0.298936 R + 0.587043 G + 0.114021 B)} (grey images come out unchanged);
 * {@link #ssimChannelMean} averages the per-channel SSIMs instead.
 * All arithmetic is float64. Stateless and thread-safe.
 */
public final class ClassicFr {

    /** SSIM constants of {@code ssim.m}. */
    public static final double K1 = 0.01;
    public static final double K2 = 0.03;
    /** Dynamic range of 8-bit images. */
    public static final double L = 255.0;
    /** Window side and Gaussian σ of {@code ssim.m} / {@code msssim.m}. */
    public static final int WINDOW = 11;
    public static final double SIGMA = 1.5;
    /** MS-SSIM scale weights (Wang, Simoncelli, Bovik 2003), finest scale first. */
    private static final double[] MS_WEIGHTS = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};

    private static final double C1 = (K1 * L) * (K1 * L);
    private static final double C2 = (K2 * L) * (K2 * L);
    private static final double[] GAUSS = gaussian(WINDOW, SIGMA);

    /** MATLAB {@code rgb2gray} weights (the inverse of the NTSC YIQ matrix, first row). */
    private static final double WR = 0.298936021293775;
    private static final double WG = 0.587043074451121;
    private static final double WB = 0.114020904255103;

    private ClassicFr() {}

    /**
     * A single-channel image in float64, row-major.
     *
     * @param width columns
     * @param height rows
     * @param data {@code width * height} values (shared, not copied)
     */
    public record Plane(int width, int height, double[] data) {
        public Plane {
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException("Plane: size must be positive, got " + width + "x" + height);
            }
            Objects.requireNonNull(data, "data");
            if (data.length != (long) width * height) {
                throw new IllegalArgumentException("Plane: " + width + "x" + height + " needs " + (long) width * height
                        + " values, got " + data.length);
            }
        }

        /** Luma of an 8-bit RGB image as MATLAB's {@code rgb2gray} computes it (rounded to integers). */
        public static Plane luma(RgbImage image) {
            byte[] px = image.pixels();
            double[] y = new double[image.width() * image.height()];
            for (int i = 0; i < y.length; i++) {
                int r = px[3 * i] & 0xff;
                int g = px[3 * i + 1] & 0xff;
                int b = px[3 * i + 2] & 0xff;
                y[i] = Math.round(WR * r + WG * g + WB * b);
            }
            return new Plane(image.width(), image.height(), y);
        }

        /** Channel {@code c} (0 R, 1 G, 2 B) of an 8-bit RGB image. */
        public static Plane channel(RgbImage image, int c) {
            if (c < 0 || c > 2) {
                throw new IllegalArgumentException("Plane: channel must be 0..2, got " + c);
            }
            byte[] px = image.pixels();
            double[] v = new double[image.width() * image.height()];
            for (int i = 0; i < v.length; i++) {
                v[i] = px[3 * i + c] & 0xff;
            }
            return new Plane(image.width(), image.height(), v);
        }

        double at(int x, int y) {
            return data[y * width + x];
        }
    }

    // ------------------------------------------------------------------ PSNR

    /** PSNR in dB over all R, G, B samples, peak 255; {@code +Infinity} when the images are identical. */
    public static double psnr(RgbImage reference, RgbImage distorted) {
        sameSize(reference.width(), reference.height(), distorted.width(), distorted.height());
        byte[] a = reference.pixels();
        byte[] b = distorted.pixels();
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (a[i] & 0xff) - (b[i] & 0xff);
            sum += d * d;
        }
        return psnrOf(sum / a.length, L);
    }

    /** PSNR in dB of two planes with the given peak value; {@code +Infinity} when they are identical. */
    public static double psnr(Plane reference, Plane distorted, double peak) {
        sameSize(reference.width(), reference.height(), distorted.width(), distorted.height());
        if (!(peak > 0)) {
            throw new IllegalArgumentException("psnr: peak must be positive, got " + peak);
        }
        double[] a = reference.data();
        double[] b = distorted.data();
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return psnrOf(sum / a.length, peak);
    }

    private static double psnrOf(double mse, double peak) {
        return mse == 0 ? Double.POSITIVE_INFINITY : 10.0 * Math.log10(peak * peak / mse);
    }

    // ------------------------------------------------------------------ SSIM

    /** SSIM ({@code ssim.m}) of the lumas of two RGB images. */
    public static double ssim(RgbImage reference, RgbImage distorted) {
        return ssim(Plane.luma(reference), Plane.luma(distorted));
    }

    /**
     * The mean of the SSIMs ({@code ssim.m}) of the R, G and B channels — the convention of
     * {@code piq.ssim} and of {@code skimage.metrics.structural_similarity(channel_axis=-1)} for colour
     * input. Luma SSIM of an image with noise independent per channel is higher, since the noise partly
     * averages out in luma.
     */
    public static double ssimChannelMean(RgbImage reference, RgbImage distorted) {
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            sum += ssim(Plane.channel(reference, c), Plane.channel(distorted, c));
        }
        return sum / 3;
    }

    /**
     * SSIM ({@code ssim.m}, data range 255, automatic downsampling) of two planes.
     *
     * @throws IllegalArgumentException when the sizes differ or the (downsampled) plane is smaller than 11×11
     */
    public static double ssim(Plane reference, Plane distorted) {
        sameSize(reference.width(), reference.height(), distorted.width(), distorted.height());
        int f = Math.max(1, (int) Math.round(Math.min(reference.width(), reference.height()) / 256.0));
        Plane a = reference;
        Plane b = distorted;
        if (f > 1) {
            a = boxDownsample(a, f);
            b = boxDownsample(b, f);
        }
        return ssimTerms(a, b)[0];
    }

    // ------------------------------------------------------------------ MS-SSIM

    /** MS-SSIM ({@code msssim.m}) of the lumas of two RGB images. */
    public static double msSsim(RgbImage reference, RgbImage distorted) {
        return msSsim(Plane.luma(reference), Plane.luma(distorted));
    }

    /**
     * MS-SSIM ({@code msssim.m}, 5 scales, data range 255) of two planes.
     *
     * @throws IllegalArgumentException when the sizes differ or the shorter side is below 176
     *     (11 pixels at the coarsest scale)
     */
    public static double msSsim(Plane reference, Plane distorted) {
        sameSize(reference.width(), reference.height(), distorted.width(), distorted.height());
        int levels = MS_WEIGHTS.length;
        int min = WINDOW << (levels - 1);
        if ((reference.height() >> (levels - 1)) < WINDOW || (reference.width() >> (levels - 1)) < WINDOW) {
            throw new IllegalArgumentException("msSsim: images of " + reference.width() + "x" + reference.height()
                    + " are too small for " + levels + " scales (need at least " + min + " pixels on each side)");
        }
        Plane a = reference;
        Plane b = distorted;
        double overall = 1.0;
        for (int l = 0; l < levels; l++) {
            double[] terms = ssimTerms(a, b);
            double value = l == levels - 1 ? terms[0] : terms[1];
            overall *= Math.pow(Math.max(0.0, value), MS_WEIGHTS[l]);
            if (l < levels - 1) {
                a = boxDownsample(a, 2);
                b = boxDownsample(b, 2);
            }
        }
        return overall;
    }

    // ------------------------------------------------------------------ shared

    /** {mean SSIM, mean contrast-structure} over the 'valid' window positions. */
    private static double[] ssimTerms(Plane a, Plane b) {
        if (a.width() < WINDOW || a.height() < WINDOW) {
            throw new IllegalArgumentException("ssim: a " + a.width() + "x" + a.height() + " image is smaller than the "
                    + WINDOW + "x" + WINDOW + " window (after downsampling)");
        }
        int n = a.data().length;
        double[] x = a.data();
        double[] y = b.data();
        double[] xx = new double[n];
        double[] yy = new double[n];
        double[] xy = new double[n];
        for (int i = 0; i < n; i++) {
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        int w = a.width();
        int h = a.height();
        double[] mu1 = filterValid(x, w, h);
        double[] mu2 = filterValid(y, w, h);
        double[] s11 = filterValid(xx, w, h);
        double[] s22 = filterValid(yy, w, h);
        double[] s12 = filterValid(xy, w, h);
        double ssimSum = 0;
        double csSum = 0;
        for (int i = 0; i < mu1.length; i++) {
            double m1 = mu1[i];
            double m2 = mu2[i];
            double m1sq = m1 * m1;
            double m2sq = m2 * m2;
            double m12 = m1 * m2;
            double sigma1sq = s11[i] - m1sq;
            double sigma2sq = s22[i] - m2sq;
            double sigma12 = s12[i] - m12;
            double cs = (2 * sigma12 + C2) / (sigma1sq + sigma2sq + C2);
            ssimSum += ((2 * m12 + C1) * (2 * sigma12 + C2)) / ((m1sq + m2sq + C1) * (sigma1sq + sigma2sq + C2));
            csSum += cs;
        }
        return new double[] {ssimSum / mu1.length, csSum / mu1.length};
    }

    /** Separable correlation with {@link #GAUSS} over the 'valid' positions: (w-10)×(h-10). */
    private static double[] filterValid(double[] img, int w, int h) {
        int k = GAUSS.length;
        int ow = w - k + 1;
        int oh = h - k + 1;
        double[] rows = new double[ow * h];
        for (int y = 0; y < h; y++) {
            int in = y * w;
            int out = y * ow;
            for (int x = 0; x < ow; x++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += GAUSS[t] * img[in + x + t];
                }
                rows[out + x] = s;
            }
        }
        double[] res = new double[ow * oh];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += GAUSS[t] * rows[(y + t) * ow + x];
                }
                res[y * ow + x] = s;
            }
        }
        return res;
    }

    /**
     * MATLAB {@code imfilter(img, ones(f)/f^2, 'symmetric', 'same')} followed by {@code img(1:f:end, 1:f:end)}:
     * output (i, j) is the mean of source rows {@code f*i + d}, columns {@code f*j + d} for
     * {@code d = -(c-1) .. f-c} with {@code c = floor((f+1)/2)}, indices mirrored at the borders.
     */
    static Plane boxDownsample(Plane p, int f) {
        int w = p.width();
        int h = p.height();
        int c = (f + 1) / 2;
        int ow = (w + f - 1) / f;
        int oh = (h + f - 1) / f;
        double[] out = new double[ow * oh];
        double norm = 1.0 / (f * f);
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                double s = 0;
                for (int dy = -(c - 1); dy <= f - c; dy++) {
                    int y = mirror(f * i + dy, h);
                    for (int dx = -(c - 1); dx <= f - c; dx++) {
                        s += p.at(mirror(f * j + dx, w), y);
                    }
                }
                out[i * ow + j] = s * norm;
            }
        }
        return new Plane(ow, oh, out);
    }

    /** Symmetric padding index: -1 → 0, -2 → 1, n → n-1, n+1 → n-2. */
    private static int mirror(int i, int n) {
        int period = 2 * n;
        int m = Math.floorMod(i, period);
        return m < n ? m : period - 1 - m;
    }

    /** Normalized 1-D Gaussian of {@code size} taps; its outer product is {@code fspecial('gaussian', size, sigma)}. */
    private static double[] gaussian(int size, double sigma) {
        double[] g = new double[size];
        int r = size / 2;
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double d = i - r;
            g[i] = Math.exp(-(d * d) / (2 * sigma * sigma));
            sum += g[i];
        }
        for (int i = 0; i < size; i++) {
            g[i] /= sum;
        }
        return g;
    }

    private static void sameSize(int w1, int h1, int w2, int h2) {
        if (w1 != w2 || h1 != h2) {
            throw new IllegalArgumentException("reference " + w1 + "x" + h1 + " and distorted " + w2 + "x" + h2
                    + " differ in size");
        }
    }
}
