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
 * <p>The arrays are shared, not copied: treat them as read-only once the image is built.
 */
public record RgbImage(int width, int height, byte[] pixels, byte[] luma) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("RgbImage: width and height must be positive, got " + width + "x" + height);
        }
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
    }

    /** An image without a luma plane. */
    public RgbImage(int width, int height, byte[] pixels) {
        this(width, height, pixels, null);
    }

    /** Red, green and blue of pixel (x, y) packed as 0xRRGGBB. */
    public int rgb(int x, int y) {
        int i = (y * width + x) * 3;
        return (pixels[i] & 0xff) << 16 | (pixels[i + 1] & 0xff) << 8 | (pixels[i + 2] & 0xff);
    }

    public long pixelCount() {
        return (long) width * height;
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
