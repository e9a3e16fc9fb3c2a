package io.frameq.testing;

import io.frameq.frame.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/** Test images: decoding with javax.imageio, and synthetic frames. */
public final class Images {

    private Images() {}

    /** Decodes a PNG/JPEG file into packed RGB24 (alpha dropped, grey expanded). */
    public static RgbImage read(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException(file + ": no ImageIO reader");
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < argb.length; i++) {
            px[3 * i] = (byte) (argb[i] >> 16);
            px[3 * i + 1] = (byte) (argb[i] >> 8);
            px[3 * i + 2] = (byte) argb[i];
        }
        return new RgbImage(w, h, px);
    }

    /** A deterministic frame with gradients, edges and noise. */
    public static RgbImage synthetic(int width, int height, long seed) {
        Random rnd = new Random(seed);
        byte[] px = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                px[i] = (byte) clamp(128 + 100 * Math.sin(x / 17.0) * Math.cos(y / 23.0) + rnd.nextGaussian() * 10);
                px[i + 1] = (byte) clamp(255.0 * x / Math.max(1, width - 1) + rnd.nextGaussian() * 10);
                px[i + 2] = (byte) ((((x / 32) + (y / 32)) % 2) * 255);
            }
        }
        return new RgbImage(width, height, px);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
