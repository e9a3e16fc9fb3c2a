package io.frameq.baseline;

import java.util.Random;

import io.frameq.detect.DetectorSuite;

/** Synthetic 64x36 thumbnails for the baseline tests. */
final class Scenes {

    private static final int W = DetectorSuite.THUMBNAIL_WIDTH;
    private static final int H = DetectorSuite.THUMBNAIL_HEIGHT;

    private Scenes() {
    }

    /** Smooth random blobs at several scales: structure a downscaled real scene has. */
    static byte[] blobs(long seed) {
        Random r = new Random(seed);
        double[] v = new double[W * H];
        for (int blob = 0; blob < 60; blob++) {
            double cx = r.nextDouble() * W;
            double cy = r.nextDouble() * H;
            double s = 1.5 + r.nextDouble() * 4;
            double a = r.nextGaussian() * 60;
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    v[y * W + x] += a * Math.exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (2 * s * s));
                }
            }
        }
        byte[] t = new byte[W * H];
        for (int i = 0; i < t.length; i++) {
            t[i] = (byte) Math.max(0, Math.min(255, 128 + v[i]));
        }
        return t;
    }

    /**
     * What a camera sees with a hand over its lens: a smooth shading, brighter towards one edge ({@code phase} moves
     * it). Its sensor noise, however amplified, averages out over the 10x10 working-plane pixels of a thumbnail pixel.
     */
    static byte[] shading(double phase) {
        byte[] t = new byte[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double v = 70 + 60.0 * x / W + 12 * Math.sin(3.1 * y / H + 1.7 * x / W + phase);
                t[y * W + x] = (byte) Math.max(0, Math.min(255, Math.round(v)));
            }
        }
        return t;
    }

    static byte[] noisy(byte[] t, long seed) {
        Random r = new Random(seed);
        byte[] n = t.clone();
        for (int i = 0; i < n.length; i++) {
            n[i] = (byte) Math.max(0, Math.min(255, (n[i] & 0xff) + r.nextInt(5) - 2));
        }
        return n;
    }

}
