package io.frameq.frame;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;

/** Committed test fixtures (see src/test/resources/frames/LICENSE.txt) and pixel comparisons. */
final class Fixtures {

    static final String JPEG = "chelsea_320x240.jpg";
    static final String PNG = "chelsea_320x240.png";
    static final String GRAY_JPEG = "camera_gray_128x128.jpg";
    static final String GRAY_PNG = "camera_gray_128x128.png";
    static final String MP4 = "plaza_320x240_h264.mp4";
    static final String TS = "plaza_320x240_h264.ts";
    static final String AVI = "plaza_160x120_mpeg4.avi";
    /**
     * Frame 0 of the MP4 as RGB24, converted outside FFmpeg's swscale (NumPy, BT.601 limited range, bilinear
     * chroma with MPEG-2 siting; tools/make_registry_media.py) from the YUV that PyAV's FFmpeg decoded.
     */
    static final String MP4_FRAME0 = "plaza_320x240_frame0.png";

    /**
     * Frames in the two H.264 clips, as written by tools/make_registry_media.py (and counted once by
     * decoding them with PyAV): 45 for both (1.5 s at 30 fps).
     */
    static final int H264_CLIP_FRAMES = 45;
    /** Frames in the AVI clip, counted the same way: 15 (0.5 s at 30 fps). */
    static final int AVI_CLIP_FRAMES = 15;

    private Fixtures() {}

    static byte[] bytes(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/frames/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test fixture /frames/" + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/frames/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ImageIO's decode of a fixture as RGB24 from the raster samples (the reference decode). */
    static RgbImage imageIo(byte[] encoded) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
            return ImageIoDecoder.toRgb(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] truncated(byte[] payload, int keep) {
        return Arrays.copyOf(payload, keep);
    }

    /** Largest absolute difference of any channel of any pixel. */
    static int maxAbsDiff(RgbImage a, RgbImage b) {
        requireSameSize(a, b);
        int max = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            max = Math.max(max, Math.abs((a.pixels()[i] & 0xff) - (b.pixels()[i] & 0xff)));
        }
        return max;
    }

    static double meanAbsDiff(RgbImage a, RgbImage b) {
        requireSameSize(a, b);
        long sum = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            sum += Math.abs((a.pixels()[i] & 0xff) - (b.pixels()[i] & 0xff));
        }
        return (double) sum / a.pixels().length;
    }

    /** Largest difference between an image's {@link RgbImage#luma()} and the integer BT.601 luma of its pixels. */
    static int maxLumaDiff(RgbImage img) {
        int max = 0;
        for (int d : lumaDiffs(img)) {
            max = Math.max(max, d);
        }
        return max;
    }

    /** Mean difference between an image's {@link RgbImage#luma()} and the integer BT.601 luma of its pixels. */
    static double meanLumaDiff(RgbImage img) {
        long sum = 0;
        for (int d : lumaDiffs(img)) {
            sum += d;
        }
        return sum / (double) img.pixelCount();
    }

    private static int[] lumaDiffs(RgbImage img) {
        byte[] px = img.pixels();
        int[] diffs = new int[(int) img.pixelCount()];
        for (int i = 0; i < diffs.length; i++) {
            int y = (77 * (px[3 * i] & 0xff) + 150 * (px[3 * i + 1] & 0xff) + 29 * (px[3 * i + 2] & 0xff) + 128) >> 8;
            diffs[i] = Math.abs(y - (img.luma()[i] & 0xff));
        }
        return diffs;
    }

    static double psnr(RgbImage a, RgbImage b) {
        requireSameSize(a, b);
        double se = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            int d = (a.pixels()[i] & 0xff) - (b.pixels()[i] & 0xff);
            se += d * d;
        }
        double mse = se / a.pixels().length;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    private static void requireSameSize(RgbImage a, RgbImage b) {
        if (a.width() != b.width() || a.height() != b.height()) {
            throw new AssertionError("sizes differ: " + a + " vs " + b);
        }
    }

    /**
     * FFmpeg tests run wherever its natives load. The build ships only linux-x86_64 natives, so
     * elsewhere they are skipped; on linux-x86_64 a load failure fails the test.
     */
    static void requireFfmpeg() {
        if (FfmpegNatives.available()) {
            return;
        }
        boolean shipped = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")
                && System.getProperty("os.arch").matches("amd64|x86_64");
        if (shipped) {
            throw new AssertionError("FFmpeg natives should load on linux-x86_64", FfmpegNatives.loadFailure().orElseThrow());
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(false, "no FFmpeg natives for this platform");
    }

    static FrameMetadata noHeaders() {
        return new FrameMetadata(java.util.Optional.empty(), -1, -1, -1, -1, -1);
    }
}
