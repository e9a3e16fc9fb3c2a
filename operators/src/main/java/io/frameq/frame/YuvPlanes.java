package io.frameq.frame;

/**
 * A decoded picture kept as the JPEG stored it: full-range BT.601 Y'CbCr (JFIF), planar, each chroma plane
 * subsampled by {@code 2^chromaShiftX} across and {@code 2^chromaShiftY} down (4:2:0 = 1, 1; 4:2:2 = 1, 0;
 * 4:4:4 = 0, 0). The decode stage hands this on for frames that only feed the detectors: they work on the Y
 * plane and read colour at sparse points, so converting every pixel to RGB (swscale plus a full-size RGB array)
 * would be spent for nothing. {@link RgbImage#pixels()} converts on demand for the rare caller that wants RGB.
 *
 * <p>The arrays are shared, not copied: treat them as read-only.
 *
 * @param width  picture width (the Y plane's)
 * @param height picture height
 * @param y      luma, {@code width x height}, row-major, no padding
 * @param cb     blue-difference chroma, {@link #chromaWidth()} x {@link #chromaHeight()}
 * @param cr     red-difference chroma, same size
 */
public record YuvPlanes(int width, int height, byte[] y, byte[] cb, byte[] cr, int chromaShiftX, int chromaShiftY) {

    /** Fixed-point (16 fractional bits) JFIF coefficients: R = Y + 1.402 Cr', G = Y - 0.344136 Cb' - 0.714136 Cr', B = Y + 1.772 Cb'. */
    private static final int CR_TO_R = 91_881;
    private static final int CB_TO_G = 22_554;
    private static final int CR_TO_G = 46_802;
    private static final int CB_TO_B = 116_130;
    private static final int HALF = 1 << 15;

    public YuvPlanes {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("YuvPlanes: width and height must be positive, got " + width + "x" + height);
        }
        if (chromaShiftX < 0 || chromaShiftX > 2 || chromaShiftY < 0 || chromaShiftY > 1) {
            throw new IllegalArgumentException("YuvPlanes: chroma shifts expected 0..2 across and 0..1 down, actual "
                    + chromaShiftX + ", " + chromaShiftY);
        }
        check("y", y, (long) width * height);
        long chroma = (long) ceilShift(width, chromaShiftX) * ceilShift(height, chromaShiftY);
        check("cb", cb, chroma);
        check("cr", cr, chroma);
    }

    private static void check(String plane, byte[] data, long expected) {
        if (data == null || data.length != expected) {
            throw new IllegalArgumentException("YuvPlanes." + plane + ": length expected " + expected + ", actual "
                    + (data == null ? "null" : data.length));
        }
    }

    private static int ceilShift(int v, int shift) {
        return (v + (1 << shift) - 1) >> shift;
    }

    public int chromaWidth() {
        return ceilShift(width, chromaShiftX);
    }

    public int chromaHeight() {
        return ceilShift(height, chromaShiftY);
    }

    /** Red, green and blue of pixel (x, y) packed as 0xRRGGBB (the chroma sample it lies in; no interpolation). */
    public int rgb(int x, int y) {
        int c = (y >> chromaShiftY) * chromaWidth() + (x >> chromaShiftX);
        return rgbOf(this.y[y * width + x] & 0xff, cb[c] & 0xff, cr[c] & 0xff);
    }

    /** Per chroma byte, its rounded term in R, G and B (the G table holds both chroma terms' parts). */
    private static final int[] R_OF_CR = new int[256];
    private static final int[] G_OF_CB = new int[256];
    private static final int[] G_OF_CR = new int[256];
    private static final int[] B_OF_CB = new int[256];

    static {
        for (int v = 0; v < 256; v++) {
            int c = v - 128;
            R_OF_CR[v] = (CR_TO_R * c + HALF) >> 16;
            B_OF_CB[v] = (CB_TO_B * c + HALF) >> 16;
            // G's two terms stay in 16-bit fixed point until summed, so it rounds once, like the formula
            G_OF_CB[v] = CB_TO_G * c;
            G_OF_CR[v] = CR_TO_G * c + HALF;
        }
    }

    /** One pixel's RGB from its luma and chroma bytes (0..255, 128 = no colour), packed as 0xRRGGBB. */
    public static int rgbOf(int luma, int cb, int cr) {
        int r = clamp(luma + R_OF_CR[cr]);
        int g = clamp(luma - ((G_OF_CB[cb] + G_OF_CR[cr]) >> 16));
        int b = clamp(luma + B_OF_CB[cb]);
        return r << 16 | g << 8 | b;
    }

    private static int clamp(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }

    /**
     * Packed RGB24 of the whole picture, chroma taken from the sample each pixel lies in, which is what swscale's
     * unscaled (FAST) conversion does; values may differ from it by a level of rounding.
     */
    public byte[] toRgb() {
        byte[] out = new byte[width * height * 3];
        int cw = chromaWidth();
        for (int row = 0; row < height; row++) {
            int yRow = row * width;
            int cRow = (row >> chromaShiftY) * cw;
            int o = yRow * 3;
            for (int x = 0; x < width; x++) {
                int c = cRow + (x >> chromaShiftX);
                int rgb = rgbOf(y[yRow + x] & 0xff, cb[c] & 0xff, cr[c] & 0xff);
                out[o++] = (byte) (rgb >> 16);
                out[o++] = (byte) (rgb >> 8);
                out[o++] = (byte) rgb;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "YuvPlanes[" + width + "x" + height + ", chroma " + chromaWidth() + "x" + chromaHeight() + "]";
    }
}
