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

    /** Reads a PNG from the test classpath (e.g. {@code /detect/coffee.png}). */
    public static RgbImage resource(String name) {
        java.net.URL url = Images.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException("missing test resource " + name);
        }
        try {
            return read(Path.of(url.toURI()));
        } catch (IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException(name + ": " + e, e);
        }
    }

    /** A box blur of {@code radius} (a (2r+1)-square mean, edges clamped), applied {@code passes} times: heavy blur. */
    public static RgbImage boxBlur(RgbImage image, int radius, int passes) {
        int w = image.width();
        int h = image.height();
        int[] cur = new int[w * h * 3];
        byte[] px = image.pixels();
        for (int i = 0; i < cur.length; i++) {
            cur[i] = px[i] & 0xff;
        }
        int n = 2 * radius + 1;
        for (int pass = 0; pass < passes; pass++) {
            int[] tmp = new int[cur.length];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        int s = 0;
                        for (int d = -radius; d <= radius; d++) {
                            int xx = Math.min(w - 1, Math.max(0, x + d));
                            s += cur[(y * w + xx) * 3 + c];
                        }
                        tmp[(y * w + x) * 3 + c] = (s + n / 2) / n;
                    }
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int c = 0; c < 3; c++) {
                        int s = 0;
                        for (int d = -radius; d <= radius; d++) {
                            int yy = Math.min(h - 1, Math.max(0, y + d));
                            s += tmp[(yy * w + x) * 3 + c];
                        }
                        cur[(y * w + x) * 3 + c] = (s + n / 2) / n;
                    }
                }
            }
        }
        byte[] out = new byte[cur.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) cur[i];
        }
        return new RgbImage(w, h, out);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
