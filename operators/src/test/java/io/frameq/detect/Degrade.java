package io.frameq.detect;

import io.frameq.frame.RgbImage;
import java.util.Random;

/** Synthetic degradations applied to RGB24 test images, per channel, with edge clamping. Deterministic. */
final class Degrade {

    private Degrade() {
    }

    /** Separable box blur with a (2r+1)-wide window; r = 0 returns a copy. */
    static RgbImage boxBlur(RgbImage img, int r) {
        float[] k = new float[2 * r + 1];
        java.util.Arrays.fill(k, 1f / k.length);
        return convolveSeparable(img, k);
    }

    /** Separable Gaussian blur; sigma = 0 returns a copy. */
    static RgbImage gaussianBlur(RgbImage img, double sigma) {
        if (sigma == 0) {
            return copy(img);
        }
        int r = (int) Math.ceil(3 * sigma);
        float[] k = new float[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) {
            sum += k[i + r] = (float) Math.exp(-i * i / (2 * sigma * sigma));
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= (float) sum;
        }
        return convolveSeparable(img, k);
    }

    private static RgbImage convolveSeparable(RgbImage img, float[] k) {
        int w = img.width();
        int h = img.height();
        int r = k.length / 2;
        float[] src = toFloat(img);
        float[] tmp = new float[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    float acc = 0;
                    for (int i = -r; i <= r; i++) {
                        int xx = Math.max(0, Math.min(w - 1, x + i));
                        acc += k[i + r] * src[(y * w + xx) * 3 + c];
                    }
                    tmp[(y * w + x) * 3 + c] = acc;
                }
            }
        }
        float[] out = new float[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    float acc = 0;
                    for (int i = -r; i <= r; i++) {
                        int yy = Math.max(0, Math.min(h - 1, y + i));
                        acc += k[i + r] * tmp[(yy * w + x) * 3 + c];
                    }
                    out[(y * w + x) * 3 + c] = acc;
                }
            }
        }
        return fromFloat(w, h, out);
    }

    /**
     * Additive white Gaussian noise with a fixed seed, rounded and clipped to 0..255. With {@code sameOnChannels}
     * the same sample is added to R, G and B (luminance noise): since the luma weights sum to 1, the luma then
     * carries noise of exactly {@code sigma} (before rounding and clipping).
     */
    static RgbImage addNoise(RgbImage img, double sigma, long seed, boolean sameOnChannels) {
        Random rnd = new Random(seed);
        byte[] in = img.pixels();
        byte[] out = new byte[in.length];
        for (int p = 0; p < in.length; p += 3) {
            double n = rnd.nextGaussian() * sigma;
            for (int c = 0; c < 3; c++) {
                if (!sameOnChannels && c > 0) {
                    n = rnd.nextGaussian() * sigma;
                }
                out[p + c] = clip((in[p + c] & 0xff) + n);
            }
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    /** Multiplies every channel by {@code gain}, rounding and clipping (gain &lt; 1 darkens, &gt; 1 overexposes). */
    static RgbImage gain(RgbImage img, double gain) {
        byte[] in = img.pixels();
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = clip((in[i] & 0xff) * gain);
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    static RgbImage black(int w, int h) {
        return new RgbImage(w, h, new byte[w * h * 3]);
    }

    /** Translates the content by (dx, dy) pixels, repeating the edge. */
    static RgbImage shift(RgbImage img, int dx, int dy) {
        int w = img.width();
        int h = img.height();
        byte[] in = img.pixels();
        byte[] out = new byte[in.length];
        for (int y = 0; y < h; y++) {
            int sy = Math.max(0, Math.min(h - 1, y - dy));
            for (int x = 0; x < w; x++) {
                int sx = Math.max(0, Math.min(w - 1, x - dx));
                System.arraycopy(in, (sy * w + sx) * 3, out, (y * w + x) * 3, 3);
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Replaces every 8x8 block (grid from the origin) by its mean colour: the extreme of JPEG blocking. */
    static RgbImage blockMean(RgbImage img) {
        int w = img.width();
        int h = img.height();
        byte[] in = img.pixels();
        byte[] out = new byte[in.length];
        for (int by = 0; by < h; by += 8) {
            for (int bx = 0; bx < w; bx += 8) {
                int ye = Math.min(h, by + 8);
                int xe = Math.min(w, bx + 8);
                for (int c = 0; c < 3; c++) {
                    long sum = 0;
                    for (int y = by; y < ye; y++) {
                        for (int x = bx; x < xe; x++) {
                            sum += in[(y * w + x) * 3 + c] & 0xff;
                        }
                    }
                    byte mean = clip(sum / (double) ((ye - by) * (xe - bx)));
                    for (int y = by; y < ye; y++) {
                        for (int x = bx; x < xe; x++) {
                            out[(y * w + x) * 3 + c] = mean;
                        }
                    }
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /**
     * JPEG-like blocking: per channel, 8x8 orthonormal DCT, every coefficient but DC uniformly quantised with
     * step {@code q} (DC with step q/2, like JPEG tables that quantise DC finer), inverse DCT. q = 0 returns a copy;
     * larger q means stronger compression. Partial blocks at the right/bottom edge are left untouched.
     */
    static RgbImage dctQuantize(RgbImage img, double q) {
        if (q == 0) {
            return copy(img);
        }
        int w = img.width();
        int h = img.height();
        double[][] basis = new double[8][8];
        for (int k = 0; k < 8; k++) {
            for (int n = 0; n < 8; n++) {
                basis[k][n] = (k == 0 ? Math.sqrt(1.0 / 8) : Math.sqrt(2.0 / 8)) * Math.cos(Math.PI * (2 * n + 1) * k / 16);
            }
        }
        byte[] in = img.pixels();
        byte[] out = in.clone();
        double[][] block = new double[8][8];
        double[][] tmp = new double[8][8];
        for (int by = 0; by + 8 <= h; by += 8) {
            for (int bx = 0; bx + 8 <= w; bx += 8) {
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            block[y][x] = (in[((by + y) * w + bx + x) * 3 + c] & 0xff) - 128;
                        }
                    }
                    // forward: tmp = B * block * B^T
                    for (int u = 0; u < 8; u++) {
                        for (int x = 0; x < 8; x++) {
                            double s = 0;
                            for (int y = 0; y < 8; y++) {
                                s += basis[u][y] * block[y][x];
                            }
                            tmp[u][x] = s;
                        }
                    }
                    for (int u = 0; u < 8; u++) {
                        for (int v = 0; v < 8; v++) {
                            double s = 0;
                            for (int x = 0; x < 8; x++) {
                                s += tmp[u][x] * basis[v][x];
                            }
                            double step = (u == 0 && v == 0) ? q / 2 : q;
                            block[u][v] = Math.rint(s / step) * step;
                        }
                    }
                    // inverse: B^T * coef * B
                    for (int y = 0; y < 8; y++) {
                        for (int v = 0; v < 8; v++) {
                            double s = 0;
                            for (int u = 0; u < 8; u++) {
                                s += basis[u][y] * block[u][v];
                            }
                            tmp[y][v] = s;
                        }
                    }
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            double s = 0;
                            for (int v = 0; v < 8; v++) {
                                s += tmp[y][v] * basis[v][x];
                            }
                            out[((by + y) * w + bx + x) * 3 + c] = clip(s + 128);
                        }
                    }
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Encodes as baseline JPEG with the JDK encoder at {@code quality} (0..1) and decodes it again. */
    static RgbImage jpeg(RgbImage img, float quality) {
        try {
            java.awt.image.BufferedImage bi = new java.awt.image.BufferedImage(img.width(), img.height(),
                    java.awt.image.BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < img.height(); y++) {
                for (int x = 0; x < img.width(); x++) {
                    bi.setRGB(x, y, img.rgb(x, y));
                }
            }
            javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (javax.imageio.stream.ImageOutputStream out = javax.imageio.ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new javax.imageio.IIOImage(bi, null, null), param);
            } finally {
                writer.dispose();
            }
            return TestPhotos.toRgb(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(bytes.toByteArray())));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Bilinear resize (centre-aligned), for making larger frames from the small test photos. */
    static RgbImage resize(RgbImage img, int outW, int outH) {
        int w = img.width();
        int h = img.height();
        byte[] in = img.pixels();
        byte[] out = new byte[outW * outH * 3];
        for (int y = 0; y < outH; y++) {
            double sy = Math.max(0, Math.min(h - 1, (y + 0.5) * h / outH - 0.5));
            int y0 = (int) sy;
            int y1 = Math.min(h - 1, y0 + 1);
            double ty = sy - y0;
            for (int x = 0; x < outW; x++) {
                double sx = Math.max(0, Math.min(w - 1, (x + 0.5) * w / outW - 0.5));
                int x0 = (int) sx;
                int x1 = Math.min(w - 1, x0 + 1);
                double tx = sx - x0;
                for (int c = 0; c < 3; c++) {
                    double top = (in[(y0 * w + x0) * 3 + c] & 0xff) * (1 - tx) + (in[(y0 * w + x1) * 3 + c] & 0xff) * tx;
                    double bot = (in[(y1 * w + x0) * 3 + c] & 0xff) * (1 - tx) + (in[(y1 * w + x1) * 3 + c] & 0xff) * tx;
                    out[(y * outW + x) * 3 + c] = clip(top * (1 - ty) + bot * ty);
                }
            }
        }
        return new RgbImage(outW, outH, out);
    }

    /**
     * Each pixel repeated k x k (nearest neighbour): a larger picture whose edges stay one pixel wide, as a sharp camera
     * of that size would show them. A smooth enlargement ({@link #resize}) spreads every edge over about k pixels: at
     * its own scale that picture is blurred, and {@link FineEdges} reads it so.
     */
    static RgbImage enlargeNearest(RgbImage img, int k) {
        int w = img.width();
        int h = img.height();
        byte[] in = img.pixels();
        byte[] out = new byte[w * k * h * k * 3];
        for (int y = 0; y < h * k; y++) {
            for (int x = 0; x < w * k; x++) {
                int s = ((y / k) * w + x / k) * 3;
                int d = (y * w * k + x) * 3;
                out[d] = in[s];
                out[d + 1] = in[s + 1];
                out[d + 2] = in[s + 2];
            }
        }
        return new RgbImage(w * k, h * k, out);
    }

    /** Area-average shrink by an integer factor (what a lower-resolution camera would have captured). */
    static RgbImage shrink(RgbImage img, int factor) {
        int w = img.width() / factor;
        int h = img.height() / factor;
        byte[] in = img.pixels();
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    for (int j = 0; j < factor; j++) {
                        for (int i = 0; i < factor; i++) {
                            sum += in[((y * factor + j) * img.width() + x * factor + i) * 3 + c] & 0xff;
                        }
                    }
                    out[(y * w + x) * 3 + c] = clip(sum / (double) (factor * factor));
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    static RgbImage copy(RgbImage img) {
        return new RgbImage(img.width(), img.height(), img.pixels().clone());
    }

    private static float[] toFloat(RgbImage img) {
        byte[] in = img.pixels();
        float[] f = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            f[i] = in[i] & 0xff;
        }
        return f;
    }

    private static RgbImage fromFloat(int w, int h, float[] f) {
        byte[] out = new byte[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = clip(f[i]);
        }
        return new RgbImage(w, h, out);
    }

    static byte clip(double v) {
        return (byte) Math.max(0, Math.min(255, Math.round(v)));
    }
}
