package io.frameq.translate;

import io.frameq.frame.RgbImage;

/**
 * Bicubic resizing of 8-bit RGB, used to bring a lower-resolution rendition onto its origin's pixel
 * grid before full-reference scoring. VMAF's documented practice is to upsample the rendition to
 * the reference resolution with bicubic interpolation before comparing, so FR scores of an
 * adaptive-bitrate ladder measure what a viewer sees on a display of the reference's size.
 *
 * <p>The kernel is Keys' cubic convolution with {@code a = -0.5} (the kernel of Pillow's
 * {@code BICUBIC}, MATLAB's {@code imresize} and OpenCV's {@code INTER_CUBIC} use -0.5/-0.75; -0.5
 * is the one that reproduces a quadratic exactly). Sample positions are pixel-centre aligned
 * ({@code (i + 0.5) * in/out - 0.5}); when shrinking, the kernel is stretched by {@code in/out} so it
 * also low-pass filters (antialiasing, as Pillow does), edges replicate the border pixel. Two
 * separable passes in floating point, rounded and clamped to 8 bits at the end of each pass.
 *
 * <p>Stateless and thread-safe.
 */
public final class BicubicResampler {

    /** Keys' free parameter. */
    public static final double A = -0.5;

    private BicubicResampler() {}

    /** {@code image} resized to {@code width}×{@code height}; an equal size returns {@code image} itself. */
    public static RgbImage resize(RgbImage image, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("BicubicResampler: target size must be positive, got " + width + "x" + height);
        }
        if (width == image.width() && height == image.height()) {
            return image;
        }
        RgbImage wide = width == image.width() ? image : horizontal(image, width);
        return height == image.height() ? wide : vertical(wide, height);
    }

    /** Keys' cubic convolution kernel. */
    static double kernel(double x) {
        double t = Math.abs(x);
        if (t < 1) {
            return ((A + 2) * t - (A + 3)) * t * t + 1;
        }
        if (t < 2) {
            return ((A * t - 5 * A) * t + 8 * A) * t - 4 * A;
        }
        return 0;
    }

    /** Per output index: first source index and normalised weights (clamped at the borders). */
    private record Taps(int[] first, double[][] weights) {}

    private static Taps taps(int in, int out) {
        double scale = (double) in / out;
        double stretch = Math.max(1.0, scale); // widen the kernel when shrinking
        double support = 2 * stretch;
        int[] first = new int[out];
        double[][] weights = new double[out][];
        for (int i = 0; i < out; i++) {
            double centre = (i + 0.5) * scale - 0.5;
            int lo = (int) Math.floor(centre - support) + 1;
            int hi = (int) Math.floor(centre + support);
            double[] w = new double[hi - lo + 1];
            double sum = 0;
            for (int k = lo; k <= hi; k++) {
                w[k - lo] = kernel((k - centre) / stretch);
                sum += w[k - lo];
            }
            for (int k = 0; k < w.length; k++) {
                w[k] /= sum;
            }
            first[i] = lo;
            weights[i] = w;
        }
        return new Taps(first, weights);
    }

    private static RgbImage horizontal(RgbImage image, int width) {
        int inW = image.width();
        int h = image.height();
        byte[] in = image.pixels();
        byte[] out = new byte[width * h * 3];
        Taps t = taps(inW, width);
        for (int y = 0; y < h; y++) {
            int row = y * inW * 3;
            for (int x = 0; x < width; x++) {
                double[] w = t.weights()[x];
                double r = 0;
                double g = 0;
                double b = 0;
                for (int k = 0; k < w.length; k++) {
                    int sx = Math.min(inW - 1, Math.max(0, t.first()[x] + k));
                    int p = row + sx * 3;
                    r += w[k] * (in[p] & 0xff);
                    g += w[k] * (in[p + 1] & 0xff);
                    b += w[k] * (in[p + 2] & 0xff);
                }
                int o = (y * width + x) * 3;
                out[o] = clamp(r);
                out[o + 1] = clamp(g);
                out[o + 2] = clamp(b);
            }
        }
        return new RgbImage(width, h, out);
    }

    private static RgbImage vertical(RgbImage image, int height) {
        int w = image.width();
        int inH = image.height();
        byte[] in = image.pixels();
        byte[] out = new byte[w * height * 3];
        Taps t = taps(inH, height);
        double[] acc = new double[w * 3];
        for (int y = 0; y < height; y++) {
            java.util.Arrays.fill(acc, 0);
            double[] wt = t.weights()[y];
            for (int k = 0; k < wt.length; k++) {
                int sy = Math.min(inH - 1, Math.max(0, t.first()[y] + k));
                int row = sy * w * 3;
                double c = wt[k];
                for (int i = 0; i < acc.length; i++) {
                    acc[i] += c * (in[row + i] & 0xff);
                }
            }
            int o = y * w * 3;
            for (int i = 0; i < acc.length; i++) {
                out[o + i] = clamp(acc[i]);
            }
        }
        return new RgbImage(w, height, out);
    }

    private static byte clamp(double v) {
        long r = Math.round(v);
        return (byte) (r < 0 ? 0 : r > 255 ? 255 : r);
    }
}
