package io.frameq.frame;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Times 1080p JPEG decoding: {@link FrameDecoders} (FFmpeg, both {@link RgbConversion}s) against
 * the JDK's ImageIO, single thread, and prints ms per frame. A tool, not a test: it asserts nothing.
 *
 * <pre>
 * mvn -o -B -q -pl operators test-compile
 * mvn -o -B -q -pl operators dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=/tmp/frameq-cp.txt
 * java -cp operators/target/classes:operators/target/test-classes:$(cat /tmp/frameq-cp.txt) io.frameq.frame.DecodeBenchmark [N] [SOURCE_IMAGE]
 * </pre>
 *
 * The 1920x1080 JPEG (quality 90) is made from SOURCE_IMAGE (any JPEG or PNG, upscaled
 * bilinearly), or from a synthetic picture when none is given. N defaults to 100.
 */
public final class DecodeBenchmark {

    private static final int WIDTH = 1920;
    private static final int HEIGHT = 1080;
    private static final int WARMUP = 30;

    private DecodeBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        RgbImage source = args.length > 1 ? load(Path.of(args[1])) : synthetic();
        byte[] jpeg = ImageEncoder.jpeg(ImageEncoder.resize(source, WIDTH, HEIGHT), 90);
        FrameMetadata meta = FrameMetadata.of(ContentType.JPEG);
        System.out.printf(Locale.ROOT, "1920x1080 JPEG q90, %d bytes, from %s; %d runs after %d warm-up, 1 thread, %d cores%n",
                jpeg.length, args.length > 1 ? args[1] : "a synthetic picture", n, WARMUP, Runtime.getRuntime().availableProcessors());

        for (RgbConversion conversion : RgbConversion.values()) {
            try (FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT, conversion)) {
                report("FrameDecoders (" + decoders.decoderName() + ") -> RgbImage", time(n, () -> decoders.decode(jpeg, meta)));
            }
        }
        ImageIoDecoder fallback = new ImageIoDecoder();
        report("ImageIoDecoder (fallback) -> RgbImage", time(n, () -> fallback.decode(jpeg, meta, DecodeLimits.DEFAULT)));
        report("ImageIO.read -> BufferedImage only", time(n, () -> ImageIO.read(new ByteArrayInputStream(jpeg))));

        // Not JPEG, for scale: the pure-Java raw path on a 1080p NV12 frame.
        byte[] nv12 = new byte[(int) RawFrameDecoder.expectedBytes(ContentType.RAW_NV12, WIDTH, HEIGHT)];
        new java.util.Random(2).nextBytes(nv12);
        RawFrameDecoder raw = new RawFrameDecoder();
        FrameMetadata rawMeta = FrameMetadata.raw(ContentType.RAW_NV12, WIDTH, HEIGHT);
        report("RawFrameDecoder NV12 1080p -> RgbImage", time(n, () -> raw.decode(nv12, rawMeta, DecodeLimits.DEFAULT)));
    }

    private interface Work {
        Object run() throws Exception;
    }

    /** Milliseconds of each timed run, sorted. */
    private static double[] time(int n, Work work) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            work.run();
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static void report(String what, double[] sortedMs) {
        double mean = Arrays.stream(sortedMs).average().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "%-52s mean %6.2f ms/frame, median %6.2f, p10 %6.2f, p90 %6.2f%n", what, mean,
                sortedMs[sortedMs.length / 2], sortedMs[sortedMs.length / 10], sortedMs[sortedMs.length * 9 / 10]);
    }

    private static RgbImage load(Path file) throws IOException, FrameDecodeException {
        byte[] bytes = Files.readAllBytes(file);
        return new ImageIoDecoder().decode(bytes, new FrameMetadata(java.util.Optional.empty(), -1, -1, -1, -1, -1),
                DecodeLimits.DEFAULT).get(0).image();
    }

    /** Smooth gradients with fine texture: compresses roughly like a photo. */
    private static RgbImage synthetic() {
        byte[] px = new byte[WIDTH * HEIGHT * 3];
        java.util.Random random = new java.util.Random(1);
        for (int y = 0, o = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int texture = random.nextInt(24) - 12;
                px[o++] = (byte) clamp(x * 255 / WIDTH + texture);
                px[o++] = (byte) clamp(y * 255 / HEIGHT + texture);
                px[o++] = (byte) clamp(128 + (int) (100 * Math.sin((x + y) / 60.0)) + texture);
            }
        }
        return new RgbImage(WIDTH, HEIGHT, px);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
