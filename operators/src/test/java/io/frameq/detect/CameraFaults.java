package io.frameq.detect;

import io.frameq.frame.RgbImage;
import java.util.Random;

/**
 * Synthetic camera faults, made at test time from the committed photos: what dirt, fog, a cover, a lamp or a
 * failing channel does to the picture, in the simplest physically plausible form. Deterministic.
 */
final class CameraFaults {

    private CameraFaults() {
    }

    /** Light scattered by fog or a film on the lens: {@code (1 - a) * pixel + a * airlight}, per channel. */
    static RgbImage veil(RgbImage img, double a, int airlight) {
        return map(img, (x, y, c, v) -> (1 - a) * v + a * airlight);
    }

    /**
     * A smear on part of the lens over the rectangle of fractions [x0, x1) x [y0, y1): the region blurred (sigma in
     * pixels) and veiled by {@code a}, fading out over {@code 2 sigma} at its edges (dirt on a lens is out of focus,
     * so it has no sharp outline), the rest untouched.
     */
    static RgbImage smear(RgbImage img, double x0, double y0, double x1, double y1, double sigma, double a) {
        RgbImage soft = veil(Degrade.gaussianBlur(img, sigma), a, 255);
        int w = img.width();
        int h = img.height();
        double feather = 2 * sigma;
        return map(img, (x, y, c, v) -> {
            // distance inside the region to its nearest edge that is not the picture's own border
            double inside = Double.MAX_VALUE;
            inside = x0 > 0 ? Math.min(inside, x - x0 * w) : inside;
            inside = x1 < 1 ? Math.min(inside, x1 * w - x) : inside;
            inside = y0 > 0 ? Math.min(inside, y - y0 * h) : inside;
            inside = y1 < 1 ? Math.min(inside, y1 * h - y) : inside;
            boolean in = x >= x0 * w && x < x1 * w && y >= y0 * h && y < y1 * h;
            double k = in ? Math.min(1, 0.5 + inside / feather) : 0;
            return (1 - k) * v + k * (soft.pixels()[3 * (y * w + x) + c] & 0xff);
        });
    }

    /**
     * Something in front of the lens: one even grey with faint sensor noise, except a corner of {@code kept}
     * (fraction of width and of height) at the bottom right that still shows the scene.
     */
    static RgbImage cover(RgbImage img, double kept, int grey) {
        Random noise = new Random(7);
        int fromX = (int) ((1 - kept) * img.width());
        int fromY = (int) ((1 - kept) * img.height());
        return map(img, (x, y, c, v) -> x >= fromX && y >= fromY ? v : grey + noise.nextGaussian());
    }

    /**
     * A lamp or the sun shining into the lens at (cx, cy) (fractions): a clipped disc of radius r pixels inside a
     * veil of scattered light (80 % of the way to white) out to {@code halo} radii, fading out over its outer 15 %.
     */
    static RgbImage glare(RgbImage img, double cx, double cy, double r, double halo) {
        double px = cx * img.width();
        double py = cy * img.height();
        return map(img, (x, y, c, v) -> {
            double d = Math.hypot(x - px, y - py) / r;
            if (d <= 1) {
                return 255;
            }
            double a = 0.8 * Math.max(0, Math.min(1, (halo - d) / (0.15 * halo)));
            return (1 - a) * v + a * 255;
        });
    }

    /** Multiplies red, green and blue by their own gains (white balance lost, a dying channel). */
    static RgbImage tint(RgbImage img, double red, double green, double blue) {
        double[] g = {red, green, blue};
        return map(img, (x, y, c, v) -> v * g[c]);
    }

    /** The luma on all three channels, as an IR-mode camera sends it. */
    static RgbImage greyscale(RgbImage img) {
        byte[] in = img.pixels();
        byte[] out = new byte[in.length];
        for (int p = 0; p < in.length; p += 3) {
            int y = (77 * (in[p] & 0xff) + 150 * (in[p + 1] & 0xff) + 29 * (in[p + 2] & 0xff) + 128) >> 8;
            out[p] = out[p + 1] = out[p + 2] = (byte) y;
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    /** Replaces the top {@code fraction} of the rows by clipped white: a blown-out sky over a normally lit scene. */
    static RgbImage whiteSky(RgbImage img, double fraction) {
        int to = (int) (fraction * img.height());
        return map(img, (x, y, c, v) -> y < to ? 255 : v);
    }

    /** Small clipped lamps (discs of radius r) on a regular grid of cols x rows positions. */
    static RgbImage lamps(RgbImage img, int cols, int rows, double r) {
        int w = img.width();
        int h = img.height();
        return map(img, (x, y, c, v) -> {
            double gx = (x + 0.5) * cols / w;
            double gy = (y + 0.5) * rows / h;
            double dx = (gx - Math.floor(gx) - 0.5) * w / cols;
            double dy = (gy - Math.floor(gy) - 0.5) * h / rows;
            return Math.hypot(dx, dy) <= r ? 255 : v;
        });
    }

    interface PixelMap {
        double apply(int x, int y, int channel, int value);
    }

    static RgbImage map(RgbImage img, PixelMap f) {
        int w = img.width();
        int h = img.height();
        byte[] in = img.pixels();
        byte[] out = new byte[in.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = 3 * (y * w + x);
                for (int c = 0; c < 3; c++) {
                    out[p + c] = Degrade.clip(f.apply(x, y, c, in[p + c] & 0xff));
                }
            }
        }
        return new RgbImage(w, h, out);
    }
}
