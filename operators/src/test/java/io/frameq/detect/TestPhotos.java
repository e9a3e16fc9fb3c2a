package io.frameq.detect;

import io.frameq.frame.RgbImage;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Loads the CC0 test photos from the classpath (operators/src/test/resources/detect/). */
final class TestPhotos {

    static final List<String> NAMES = List.of("chelsea", "coffee", "rocket");

    private TestPhotos() {
    }

    static RgbImage load(String name) {
        String resource = "/detect/" + name + ".png";
        try (InputStream in = TestPhotos.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return toRgb(ImageIO.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RgbImage read(Path file) {
        try {
            BufferedImage bi = ImageIO.read(Files.newInputStream(file));
            if (bi == null) {
                throw new IllegalArgumentException("not an image ImageIO can read: " + file);
            }
            return toRgb(bi);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RgbImage toRgb(BufferedImage bi) {
        int w = bi.getWidth();
        int h = bi.getHeight();
        byte[] px = new byte[w * h * 3];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            bi.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = (y * w + x) * 3;
                px[p] = (byte) (row[x] >> 16);
                px[p + 1] = (byte) (row[x] >> 8);
                px[p + 2] = (byte) row[x];
            }
        }
        return new RgbImage(w, h, px);
    }
}
