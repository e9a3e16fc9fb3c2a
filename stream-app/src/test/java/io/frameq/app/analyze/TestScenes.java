package io.frameq.app.analyze;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import io.frameq.frame.RgbImage;
import io.frameq.testing.Fixtures;

/** Synthetic scenes for test clips: a real photo panning sideways, then a fault (black or frozen). */
public final class TestScenes {

    public static final int WIDTH = 320;
    public static final int HEIGHT = 240;

    private TestScenes() {}

    /** The committed 320x240 test photo. */
    public static RgbImage photo() {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Fixtures.resource("/frames/chelsea_320x240.png")));
            byte[] px = new byte[WIDTH * HEIGHT * 3];
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    int rgb = img.getRGB(x, y);
                    int i = (y * WIDTH + x) * 3;
                    px[i] = (byte) (rgb >> 16);
                    px[i + 1] = (byte) (rgb >> 8);
                    px[i + 2] = (byte) rgb;
                }
            }
            return new RgbImage(WIDTH, HEIGHT, px);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The photo rolled {@code dx} pixels to the right (wrapping): a camera panning. */
    public static RgbImage panned(RgbImage base, int dx) {
        int w = base.width();
        byte[] px = new byte[base.pixels().length];
        for (int y = 0; y < base.height(); y++) {
            for (int x = 0; x < w; x++) {
                int from = (y * w + Math.floorMod(x - dx, w)) * 3;
                System.arraycopy(base.pixels(), from, px, (y * w + x) * 3, 3);
            }
        }
        return new RgbImage(w, base.height(), px);
    }

    public static RgbImage black() {
        return new RgbImage(WIDTH, HEIGHT, new byte[WIDTH * HEIGHT * 3]);
    }

    /** {@code moving} panning frames, then {@code black} black frames. */
    public static List<RgbImage> panThenBlack(int moving, int black) {
        RgbImage base = photo();
        List<RgbImage> frames = new ArrayList<>();
        for (int i = 0; i < moving; i++) {
            frames.add(panned(base, 6 * i));
        }
        for (int i = 0; i < black; i++) {
            frames.add(black());
        }
        return frames;
    }

    /** {@code moving} panning frames, then the last one repeated {@code frozen} times (a frozen feed). */
    public static List<RgbImage> panThenFreeze(int moving, int frozen) {
        RgbImage base = photo();
        List<RgbImage> frames = new ArrayList<>();
        for (int i = 0; i < moving; i++) {
            frames.add(panned(base, 6 * i));
        }
        RgbImage last = frames.get(frames.size() - 1);
        for (int i = 0; i < frozen; i++) {
            frames.add(last);
        }
        return frames;
    }
}
