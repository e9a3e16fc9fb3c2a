package io.frameq.translate;

import io.frameq.frame.RgbImage;

/**
 * Bilinear resizing of 8-bit RGB that reproduces Pillow's {@code Image.resize(size, Image.BILINEAR)}
 * bit for bit, because the Python reference ({@code frameq_models.export.golden.preprocess}) enlarges small
 * frames with it and the parity test compares the resulting tensors.
 *
 * <p>The algorithm (Pillow's two-pass convolution resampler): a triangle filter of support
 * {@code max(1, in/out)} centred on {@code (i + 0.5) * in/out}, coefficients normalized to sum 1 and
 * quantized to 22-bit fixed point (rounded half away from zero); a horizontal pass over the source
 * rows the vertical pass needs, rounded and clamped to 8 bits, then a vertical pass, rounded and
 * clamped again. A pass whose size does not change is skipped.
 *
 * <p>Stateless and thread-safe.
 */
public final class BilinearResampler {

    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final int HALF = 1 << (PRECISION_BITS - 1);

    /** Per output index: first source index, tap count, and {@code ksize} fixed-point taps. */
    private record Taps(int ksize, int[] first, int[] count, int[] weights) {}

    private BilinearResampler() {}

    /** {@code image} resized to {@code width}×{@code height}. */
    public static RgbImage resize(RgbImage image, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("BilinearResampler: target size must be positive, got " + width + "x" + height);
        }
        boolean horizontal = width != image.width();
        boolean vertical = height != image.height();
        if (!horizontal && !vertical) {
            return new RgbImage(width, height, image.pixels().clone());
        }
        Taps vTaps = taps(image.height(), height);
        int rowFirst = vTaps.first()[0];
        int rowEnd = vTaps.first()[height - 1] + vTaps.count()[height - 1];
        byte[] src = image.pixels();
        int srcRows = image.height();
        int rowOffset = 0; // index of the first source row in src
        if (horizontal) {
            src = horizontalPass(image, taps(image.width(), width), width, rowFirst, rowEnd);
            srcRows = rowEnd - rowFirst;
            rowOffset = rowFirst;
        }
        if (!vertical) {
            return new RgbImage(width, height, src);
        }
        return new RgbImage(width, height, verticalPass(src, width, srcRows, vTaps, height, rowOffset));
    }

    private static byte[] horizontalPass(RgbImage image, Taps t, int width, int rowFirst, int rowEnd) {
        byte[] in = image.pixels();
        int inStride = image.width() * 3;
        byte[] out = new byte[(rowEnd - rowFirst) * width * 3];
        int o = 0;
        for (int y = rowFirst; y < rowEnd; y++) {
            int row = y * inStride;
            for (int xx = 0; xx < width; xx++) {
                int k = xx * t.ksize();
                int p = row + t.first()[xx] * 3;
                int r = HALF;
                int g = HALF;
                int b = HALF;
                for (int i = 0; i < t.count()[xx]; i++, p += 3) {
                    int w = t.weights()[k + i];
                    r += (in[p] & 0xff) * w;
                    g += (in[p + 1] & 0xff) * w;
                    b += (in[p + 2] & 0xff) * w;
                }
                out[o++] = clip8(r);
                out[o++] = clip8(g);
                out[o++] = clip8(b);
            }
        }
        return out;
    }

    private static byte[] verticalPass(byte[] in, int width, int inRows, Taps t, int height, int rowOffset) {
        int stride = width * 3;
        byte[] out = new byte[height * stride];
        int o = 0;
        for (int yy = 0; yy < height; yy++) {
            int k = yy * t.ksize();
            int first = t.first()[yy] - rowOffset;
            int count = t.count()[yy];
            if (first < 0 || first + count > inRows) {
                throw new IllegalStateException("BilinearResampler: rows " + first + ".." + (first + count) + " outside 0.." + inRows);
            }
            for (int x = 0; x < stride; x++) {
                int s = HALF;
                int p = first * stride + x;
                for (int i = 0; i < count; i++, p += stride) {
                    s += (in[p] & 0xff) * t.weights()[k + i];
                }
                out[o++] = clip8(s);
            }
        }
        return out;
    }

    private static byte clip8(int v) {
        int s = v >> PRECISION_BITS;
        return (byte) (s < 0 ? 0 : Math.min(s, 255));
    }

    /** Triangle-filter taps from {@code inSize} samples to {@code outSize}, in Pillow's arithmetic. */
    private static Taps taps(int inSize, int outSize) {
        double scale = (double) (float) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filterScale; // bilinear support 1.0 times the filter scale
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        int[] weights = new int[outSize * ksize];
        double[] k = new double[ksize];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = Math.max(0, (int) (center - support + 0.5));
            int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
            double ww = 0.0;
            for (int x = 0; x < xmax; x++) {
                double w = triangle((x + xmin - center + 0.5) * ss);
                k[x] = w;
                ww += w;
            }
            for (int x = 0; x < xmax; x++) {
                double w = ww != 0.0 ? k[x] / ww : k[x];
                weights[xx * ksize + x] = w < 0 ? (int) (-0.5 + w * (1 << PRECISION_BITS)) : (int) (0.5 + w * (1 << PRECISION_BITS));
            }
            first[xx] = xmin;
            count[xx] = xmax;
        }
        return new Taps(ksize, first, count, weights);
    }

    private static double triangle(double x) {
        double a = x < 0.0 ? -x : x;
        return a < 1.0 ? 1.0 - a : 0.0;
    }
}
