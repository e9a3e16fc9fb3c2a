package io.frameq.translate;

import io.frameq.frame.RgbImage;
import io.frameq.model.ModelDescriptor.ColorOrder;
import io.frameq.model.ModelDescriptor.Preprocess;
import io.frameq.translate.CropSampler.Box;
import java.util.Objects;

/**
 * Writes a region of an {@link RgbImage} as planar CHW float32, channel {@code c} of pixel value
 * {@code v} becoming {@code (v / scale - mean[c]) / std[c]}, in the descriptor's colour order — the
 * same float32 operations, in the same order, as the Python reference (step 4 of
 * {@code models/MODEL-JSON.md}), precomputed as one 256-entry table per channel.
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

    /** Writes {@code box} of {@code image} into {@code dst[offset ..]} as CHW. */
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
     * Writes output channel {@code c} (0..2, in the descriptor's colour order) of {@code box} of
     * {@code image} into {@code dst[offset ..]} as one row-major {@code height × width} plane — the
     * same values {@link #write} puts in that channel's plane.
     */
    public void writePlane(RgbImage image, Box box, int c, float[] dst, int offset) {
        if (c < 0 || c >= C) {
            throw new IllegalArgumentException("ImageNormalizer: channel must be 0..2, got " + c);
        }
        if (box.x() + box.width() > image.width() || box.y() + box.height() > image.height()) {
            throw new IllegalArgumentException("ImageNormalizer: box " + box + " exceeds the " + image.width() + "x"
                    + image.height() + " frame");
        }
        int plane = box.width() * box.height();
        if (offset < 0 || (long) offset + plane > dst.length) {
            throw new IllegalArgumentException("ImageNormalizer: " + plane + " floats at offset " + offset
                    + " exceed the buffer of " + dst.length);
        }
        byte[] px = image.pixels();
        float[] table = lut[c];
        int bw = box.width();
        int out = offset;
        for (int y = 0; y < box.height(); y++) {
            int in = ((box.y() + y) * image.width() + box.x()) * 3 + sourceChannel[c];
            for (int x = 0; x < bw; x++, in += 3) {
                dst[out++] = table[px[in] & 0xff];
            }
        }
    }

    private float normalize(int c, int v) {
        return ((float) v / scale[c] - mean[c]) / std[c];
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
