package io.frameq.frame;

import java.util.Objects;

/**
 * A decoded picture in packed RGB24 (row-major, 3 bytes per pixel, no row padding). Every decoder
 * produces this one layout so that detectors and model pre-processing have a single input type.
 *
 * <p>The pixel array is shared, not copied: treat it as read-only once the image is built.
 */
public record RgbImage(int width, int height, byte[] pixels) {

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
