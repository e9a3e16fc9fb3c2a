package io.frameq.app.demo;

import java.util.Arrays;
import java.util.SplittableRandom;

import io.frameq.frame.RgbImage;

/**
 * Applies a camera fault to a picture, the way a real camera shows it: defocus, sensor noise,
 * under- and over-exposure. Deterministic for a given seed.
 */
final class FaultInjector {

    private FaultInjector() {}

    static RgbImage apply(Fault fault, RgbImage img, long seed) {
        return switch (fault) {
            case BLUR -> boxBlur(boxBlur(boxBlur(img, 4), 4), 4);
            case NOISE -> noise(img, 22.0, seed);
            case DARK -> noise(gain(img, 0.12, 0), 2.0, seed);
            case OVEREXPOSED -> gain(img, 2.6, 60);
            default -> img;
        };
    }

    /** Cuts a JPEG short and scribbles over its entropy-coded data, as a broken uplink would. */
    static byte[] corrupt(byte[] jpeg, long seed) {
        byte[] cut = Arrays.copyOf(jpeg, Math.max(16, jpeg.length / 3));
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < 64; i++) {
            int at = 600 + r.nextInt(Math.max(1, cut.length - 600));
            if (at < cut.length) {
                cut[at] = (byte) r.nextInt(256);
            }
        }
        return cut;
    }

    private static RgbImage gain(RgbImage img, double gain, int offset) {
        byte[] src = img.pixels();
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = clamp((int) Math.round((src[i] & 0xff) * gain + offset));
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    private static RgbImage noise(RgbImage img, double sigma, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] src = img.pixels();
        byte[] out = new byte[src.length];
        for (int i = 0; i < src.length; i++) {
            out[i] = clamp((int) Math.round((src[i] & 0xff) + sigma * gaussian(r)));
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    private static double gaussian(SplittableRandom r) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - r.nextDouble();
        double v = r.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Separable box blur of the given radius (three passes approximate a Gaussian). */
    private static RgbImage boxBlur(RgbImage img, int radius) {
        int w = img.width();
        int h = img.height();
        byte[] src = img.pixels();
        byte[] tmp = new byte[src.length];
        byte[] out = new byte[src.length];
        int span = 2 * radius + 1;
        for (int y = 0; y < h; y++) {
            for (int c = 0; c < 3; c++) {
                int sum = 0;
                for (int k = -radius; k <= radius; k++) {
                    sum += src[(y * w + clampIndex(k, w)) * 3 + c] & 0xff;
                }
                for (int x = 0; x < w; x++) {
                    tmp[(y * w + x) * 3 + c] = (byte) (sum / span);
                    sum += (src[(y * w + clampIndex(x + radius + 1, w)) * 3 + c] & 0xff)
                            - (src[(y * w + clampIndex(x - radius, w)) * 3 + c] & 0xff);
                }
            }
        }
        for (int x = 0; x < w; x++) {
            for (int c = 0; c < 3; c++) {
                int sum = 0;
                for (int k = -radius; k <= radius; k++) {
                    sum += tmp[(clampIndex(k, h) * w + x) * 3 + c] & 0xff;
                }
                for (int y = 0; y < h; y++) {
                    out[(y * w + x) * 3 + c] = (byte) (sum / span);
                    sum += (tmp[(clampIndex(y + radius + 1, h) * w + x) * 3 + c] & 0xff)
                            - (tmp[(clampIndex(y - radius, h) * w + x) * 3 + c] & 0xff);
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    private static int clampIndex(int i, int n) {
        return i < 0 ? 0 : (i >= n ? n - 1 : i);
    }

    private static byte clamp(int v) {
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }
}
