package io.frameq.translate;

import io.frameq.frame.RgbImage;
import io.frameq.model.ModelDescriptor.ColorOrder;
import io.frameq.model.ModelDescriptor.Preprocess;
import io.frameq.translate.CropSampler.Box;
import io.frameq.translate.CropSampler.Plan;
import java.util.Objects;

/**
 * Writes a region of an {@link RgbImage} as planar CHW float32, channel {@code c} of pixel value
 * {@code v} becoming {@code (v / scale - mean[c]) / std[c]}, in the descriptor's colour order — the
 * same arithmetic, in float32, as the Python reference ({@code x.float() / 255}, then
 * {@code (x - mean) / std}).
 *
 * <p>When a {@link Plan} is rescaled, pixels are sampled from the enlarged frame without
 * materialising it, with PyTorch's {@code F.interpolate(mode="bilinear", align_corners=False,
 * antialias=False)} rule in float32 and no rounding back to 8 bits.
 *
 * <p>Writes into a caller-owned {@code float[]} so a batch buffer can be reused across frames.
 * Immutable and thread-safe.
 */
public final class ImageNormalizer {

    private static final int C = 3;

    private final Preprocess preprocess;
    private final float[][] lut = new float[C][256];
    private final int[] sourceChannel = new int[C];
    private final float[] scale = new float[C];
    private final float[] mean = new float[C];
    private final float[] std = new float[C];

    public ImageNormalizer(Preprocess preprocess) {
        this.preprocess = Objects.requireNonNull(preprocess, "preprocess");
        double[] m = preprocess.mean();
        double[] s = preprocess.std();
        for (int c = 0; c < C; c++) {
            sourceChannel[c] = preprocess.colorOrder() == ColorOrder.RGB ? c : C - 1 - c;
            scale[c] = (float) preprocess.scale();
            mean[c] = (float) m[c];
            std[c] = (float) s[c];
            for (int v = 0; v < 256; v++) {
                lut[c][v] = normalize(c, v);
            }
        }
    }

    public Preprocess preprocess() {
        return preprocess;
    }

    /** Floats one unit of {@code box} occupies: {@code 3 * height * width}. */
    public static int unitLength(Box box) {
        return C * box.height() * box.width();
    }

    /**
     * Writes unit {@code box} of {@code plan} (in the possibly rescaled frame) into
     * {@code dst[offset ..]} as CHW.
     */
    public void write(RgbImage image, Plan plan, Box box, float[] dst, int offset) {
        if (image.width() != plan.sourceWidth() || image.height() != plan.sourceHeight()) {
            throw new IllegalArgumentException("ImageNormalizer: plan is for " + plan.sourceWidth() + "x" + plan.sourceHeight()
                    + ", image is " + image.width() + "x" + image.height());
        }
        if (plan.rescaled()) {
            writeScaled(image, plan.scaledWidth(), plan.scaledHeight(), box, dst, offset);
        } else {
            write(image, box, dst, offset);
        }
    }

    /** Writes {@code box} of {@code image} itself (no scaling) into {@code dst[offset ..]} as CHW. */
    public void write(RgbImage image, Box box, float[] dst, int offset) {
        checkBounds(box, image.width(), image.height(), dst, offset);
        byte[] px = image.pixels();
        int bw = box.width();
        int bh = box.height();
        int plane = bw * bh;
        for (int c = 0; c < C; c++) {
            float[] table = lut[c];
            int sc = sourceChannel[c];
            int out = offset + c * plane;
            for (int y = 0; y < bh; y++) {
                int in = ((box.y() + y) * image.width() + box.x()) * 3 + sc;
                for (int x = 0; x < bw; x++, in += 3) {
                    dst[out++] = table[px[in] & 0xff];
                }
            }
        }
    }

    /**
     * Writes {@code box} of {@code image} bilinearly scaled to {@code scaledWidth}×{@code scaledHeight}
     * into {@code dst[offset ..]} as CHW.
     */
    public void writeScaled(RgbImage image, int scaledWidth, int scaledHeight, Box box, float[] dst, int offset) {
        checkBounds(box, scaledWidth, scaledHeight, dst, offset);
        int iw = image.width();
        int bw = box.width();
        int bh = box.height();
        // Column taps, shared by every row and channel.
        int[] x0 = new int[bw];
        int[] x1 = new int[bw];
        float[] lx = new float[bw];
        taps(iw, scaledWidth, box.x(), x0, x1, lx);
        int[] y0 = new int[bh];
        int[] y1 = new int[bh];
        float[] ly = new float[bh];
        taps(image.height(), scaledHeight, box.y(), y0, y1, ly);
        byte[] px = image.pixels();
        int plane = bw * bh;
        for (int c = 0; c < C; c++) {
            int sc = sourceChannel[c];
            int out = offset + c * plane;
            for (int y = 0; y < bh; y++) {
                int r0 = y0[y] * iw * 3 + sc;
                int r1 = y1[y] * iw * 3 + sc;
                float wy1 = ly[y];
                float wy0 = 1f - wy1;
                for (int x = 0; x < bw; x++) {
                    int a = x0[x] * 3;
                    int b = x1[x] * 3;
                    float wx1 = lx[x];
                    float wx0 = 1f - wx1;
                    float top = wx0 * (px[r0 + a] & 0xff) + wx1 * (px[r0 + b] & 0xff);
                    float bottom = wx0 * (px[r1 + a] & 0xff) + wx1 * (px[r1 + b] & 0xff);
                    dst[out++] = normalize(c, wy0 * top + wy1 * bottom);
                }
            }
        }
    }

    /** PyTorch's bilinear, align_corners=False: source index {@code max(0, (d + 0.5) * in/out - 0.5)}. */
    private static void taps(int in, int out, int start, int[] i0, int[] i1, float[] lambda) {
        float scale = (float) in / out;
        for (int k = 0; k < i0.length; k++) {
            float src = Math.max(0f, scale * (start + k + 0.5f) - 0.5f);
            int lo = Math.min((int) src, in - 1);
            i0[k] = lo;
            i1[k] = lo < in - 1 ? lo + 1 : lo;
            lambda[k] = Math.min(1f, src - lo);
        }
    }

    private float normalize(int c, float v) {
        return (v / scale[c] - mean[c]) / std[c];
    }

    private static void checkBounds(Box box, int width, int height, float[] dst, int offset) {
        if (box.x() + box.width() > width || box.y() + box.height() > height) {
            throw new IllegalArgumentException("ImageNormalizer: box " + box + " exceeds the " + width + "x" + height + " frame");
        }
        if (offset < 0 || (long) offset + unitLength(box) > dst.length) {
            throw new IllegalArgumentException("ImageNormalizer: " + unitLength(box) + " floats at offset " + offset
                    + " exceed the buffer of " + dst.length);
        }
    }
}
