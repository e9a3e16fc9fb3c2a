package io.frameq.frame;

import java.util.Objects;

/**
 * A decoded picture in packed RGB24 (row-major, 3 bytes per pixel, no row padding). Every decoder
 * produces this one layout so that detectors and model pre-processing have a single input type.
 *
 * <p>{@code luma} is the decoder's own full-range BT.601 luma plane (row-major, one byte per pixel)
 * when it had one almost for free, or null. A JPEG is stored as full-range BT.601 Y'CbCr, and most
 * untagged video as limited-range BT.601, so their Y plane is (after expanding the range) the luma
 * the detectors would otherwise compute from the RGB pixels, minus the rounding of the round trip
 * through RGB; handing it on saves the detectors a pass over the whole frame.
 * Images derived from this one (resized, cropped, restored) must not carry it over.
 *
 * <p>{@link #ofPlanes} builds an image from a JPEG's own planes ({@link YuvPlanes}) without converting it: the
 * decode stage does that for frames decoded only for the detectors, which read {@link #planes()} and never ask
 * for RGB. {@link #pixels()} of such an image converts once, on first use (thread-safe), so a caller that does
 * want RGB still gets it.
 *
 * <p>The arrays are shared, not copied: treat them as read-only once the image is built. (A class rather than a
 * record only because its pixels may be computed late; equality is that of the record it was: same sizes and the
 * same arrays.)
 */
public final class RgbImage {

    private final int width;
    private final int height;
    private final byte[] luma;
    private final YuvPlanes planes;
    private volatile byte[] pixels;

    public RgbImage(int width, int height, byte[] pixels, byte[] luma) {
        checkSize(width, height);
        Objects.requireNonNull(pixels, "pixels");
        long expected = (long) width * height * 3;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("RgbImage: pixels length expected " + expected + " for " + width + "x" + height
                    + " RGB24, actual " + pixels.length);
        }
        if (luma != null && luma.length != (long) width * height) {
            throw new IllegalArgumentException("RgbImage: luma length expected " + (long) width * height + " for " + width + "x"
                    + height + ", actual " + luma.length);
        }
        this.width = width;
        this.height = height;
        this.pixels = pixels;
        this.luma = luma;
        this.planes = null;
    }

    /** An image without a luma plane. */
    public RgbImage(int width, int height, byte[] pixels) {
        this(width, height, pixels, null);
    }

    private RgbImage(YuvPlanes planes) {
        if ((long) planes.width() * planes.height() * 3 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("RgbImage: " + planes.width() + "x" + planes.height()
                    + " is too large for one RGB24 array (3 bytes per pixel over 2^31)");
        }
        this.width = planes.width();
        this.height = planes.height();
        this.luma = planes.y();
        this.planes = planes;
    }

    /** An image backed by a JPEG's full-range planes; its luma is their Y plane, its RGB pixels are converted on demand. */
    public static RgbImage ofPlanes(YuvPlanes planes) {
        return new RgbImage(Objects.requireNonNull(planes, "planes"));
    }

    private static void checkSize(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("RgbImage: width and height must be positive, got " + width + "x" + height);
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Packed RGB24; for an image {@link #ofPlanes of planes} converted on the first call (about 2-3 ms at 960x540). */
    public byte[] pixels() {
        byte[] p = pixels;
        if (p == null) {
            synchronized (this) {
                p = pixels;
                if (p == null) {
                    p = planes.toRgb();
                    pixels = p;
                }
            }
        }
        return p;
    }

    /** The decoder's full-range BT.601 luma plane, or null (see the class comment). */
    public byte[] luma() {
        return luma;
    }

    /** The JPEG planes this image was built from without converting them ({@link #ofPlanes}), or null. */
    public YuvPlanes planes() {
        return planes;
    }

    /** Red, green and blue of pixel (x, y) packed as 0xRRGGBB. */
    public int rgb(int x, int y) {
        byte[] p = pixels;
        if (p == null) {
            return planes.rgb(x, y);
        }
        int i = (y * width + x) * 3;
        return (p[i] & 0xff) << 16 | (p[i + 1] & 0xff) << 8 | (p[i + 2] & 0xff);
    }

    public long pixelCount() {
        return (long) width * height;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage other && width == other.width && height == other.height && luma == other.luma
                && planes == other.planes && (planes != null || pixels == other.pixels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(width, height, System.identityHashCode(planes != null ? planes : pixels), System.identityHashCode(luma));
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
