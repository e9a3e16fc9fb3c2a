package io.frameq.detect;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

import io.frameq.frame.ContentType;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameMetadata;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;

/**
 * CPU time of decode plus detectors per frame, for the frames that only feed the detectors: a JPEG of about
 * 100 KB at the given size (a test photo enlarged, with mild noise) decoded at full size, then shrunk in the DCT
 * domain ({@code decodeReduced}, no narrower than 640 px), each followed by {@link DetectorSuite#analyze}. Thread
 * CPU time, not wall time, so other processes on a shared box inflate it less. A benchmark: it prints, it asserts
 * nothing. Usage:
 *
 * <pre>
 * mvn -o -B -q -pl operators test-compile
 * java -cp "operators/target/classes:operators/target/test-classes:$(cat operators/target/cp.txt)" \
 *     io.frameq.detect.DecodeDetectBenchmark [WIDTH HEIGHT [ITERATIONS [parts]]]
 * </pre>
 * It also times {@link FineEdges} on the full decode alone (only full decodes wider than 960 px get it). With
 * {@code parts}, it also times the detectors' passes one by one on the reduced frame (exposure, noise and
 * blocks, working plane, thumbnail, grid, diagnosis), which add up to about the "detectors on reduced" line.
 * ({@code mvn -o -q -pl operators dependency:build-classpath -Dmdep.outputFile=target/cp.txt} writes cp.txt.)
 */
public final class DecodeDetectBenchmark {

    private DecodeDetectBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int w = args.length >= 2 ? Integer.parseInt(args[0]) : 1920;
        int h = args.length >= 2 ? Integer.parseInt(args[1]) : 1080;
        int iterations = args.length >= 3 ? Integer.parseInt(args[2]) : 200;
        RgbImage picture = Degrade.addNoise(Degrade.resize(TestPhotos.load("chelsea"), w, h), 2, 1, false);
        long target = Math.round(100_000.0 * w * h / (1920.0 * 1080.0));
        int quality = 95;
        byte[] jpeg = ImageEncoder.jpeg(picture, quality);
        while (quality > 20 && jpeg.length > target * 1.1) {
            quality -= 5;
            jpeg = ImageEncoder.jpeg(picture, quality);
        }
        System.out.printf(Locale.ROOT, "%dx%d JPEG q%d, %d KB, %d iterations%n", w, h, quality, jpeg.length / 1000, iterations);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        DetectorSuite detectors = new DetectorSuite(DetectorThresholds.DEFAULTS);
        FrameMetadata meta = FrameMetadata.of(ContentType.JPEG);
        try (FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            double[][] ms = new double[4][iterations]; // full decode, full detect, reduced decode, reduced detect
            for (int i = -30; i < iterations; i++) {
                long t0 = threads.getCurrentThreadCpuTime();
                RgbImage full = decoders.decode(jpeg, meta).get(0).image();
                long t1 = threads.getCurrentThreadCpuTime();
                detectors.analyze(full, null);
                long t2 = threads.getCurrentThreadCpuTime();
                var reduced = decoders.decodeReduced(jpeg, meta, DetectorSuite.WORKING_WIDTH);
                long t3 = threads.getCurrentThreadCpuTime();
                detectors.analyze(reduced.frames().get(0).image(), null, reduced.reduction().factor());
                long t4 = threads.getCurrentThreadCpuTime();
                if (i >= 0) {
                    ms[0][i] = (t1 - t0) / 1e6;
                    ms[1][i] = (t2 - t1) / 1e6;
                    ms[2][i] = (t3 - t2) / 1e6;
                    ms[3][i] = (t4 - t3) / 1e6;
                }
            }
            String[] names = {"full decode", "detectors on full", "reduced decode", "detectors on reduced"};
            for (int k = 0; k < 4; k++) {
                System.out.printf(Locale.ROOT, "%-22s CPU ms median %.2f, mean %.2f%n", names[k], median(ms[k]),
                        Arrays.stream(ms[k]).average().orElse(Double.NaN));
            }
            System.out.printf(Locale.ROOT, "full decode + detectors:    %.2f ms CPU (median of sums)%n", medianSum(ms[0], ms[1]));
            System.out.printf(Locale.ROOT, "reduced decode + detectors: %.2f ms CPU (median of sums)%n", medianSum(ms[2], ms[3]));
            fineEdges(decoders.decode(jpeg, meta).get(0).image(), iterations, threads);
            if (args.length >= 4 && args[3].equals("parts")) {
                var reduced = decoders.decodeReduced(jpeg, meta, DetectorSuite.WORKING_WIDTH);
                parts(reduced.frames().get(0).image(), reduced.reduction().factor(), iterations, threads);
            }
        }
    }

    /** {@link FineEdges}, the one pass that only a full decode of a large picture gets, timed on its own. */
    private static void fineEdges(RgbImage full, int iterations, ThreadMXBean threads) {
        if (!FineEdges.applies(full.width(), full.height())) {
            return;
        }
        byte[] luma = full.luma();
        if (luma == null) {
            luma = new byte[full.width() * full.height()];
            DetectorSuite.lumaAndExposure(full.pixels(), luma, luma.length);
        }
        double[] ms = new double[iterations];
        double value = Double.NaN;
        for (int i = -30; i < iterations; i++) {
            long t0 = threads.getCurrentThreadCpuTime();
            value = FineEdges.sharpest(luma, full.width(), full.height());
            long t1 = threads.getCurrentThreadCpuTime();
            if (i >= 0) {
                ms[i] = (t1 - t0) / 1e6;
            }
        }
        System.out.printf(Locale.ROOT, "fine edges on full      CPU ms median %.3f (reads %.3f), part of the detectors on full%n",
                median(ms), value);
    }

    /** The passes of {@link DetectorSuite#analyze} on one frame, each timed on its own. */
    private static void parts(RgbImage image, int reduction, int iterations, ThreadMXBean threads) {
        String[] names = {"exposure", "noise + blocks", "working plane", "thumbnail", "grid (+ sharpness)", "diagnosis"};
        double[][] ms = new double[names.length][iterations];
        FaultRules rules = new FaultRules();
        DetectorReport report = new DetectorSuite().analyze(image, null, reduction);
        int w = image.width();
        int h = image.height();
        for (int i = -30; i < iterations; i++) {
            long[] t = new long[names.length + 1];
            t[0] = threads.getCurrentThreadCpuTime();
            DetectorSuite.exposureOf(image.luma(), w * h);
            t[1] = threads.getCurrentThreadCpuTime();
            DetectorSuite.noiseAndBlocks(image.luma(), w, h, reduction);
            t[2] = threads.getCurrentThreadCpuTime();
            DetectorSuite.Plane plane = DetectorSuite.workingPlane(image.luma(), w, h);
            t[3] = threads.getCurrentThreadCpuTime();
            DetectorSuite.thumbnailOf(plane);
            t[4] = threads.getCurrentThreadCpuTime();
            SpatialGrid.readWithLaplacian(plane.values(), plane.width(), plane.height(), image);
            t[5] = threads.getCurrentThreadCpuTime();
            rules.diagnose(report.readings(), report.cells(), false);
            t[6] = threads.getCurrentThreadCpuTime();
            if (i >= 0) {
                for (int k = 0; k < names.length; k++) {
                    ms[k][i] = (t[k + 1] - t[k]) / 1e6;
                }
            }
        }
        System.out.printf(Locale.ROOT, "parts on the reduced %dx%d frame (%s):%n", w, h,
                image.planes() != null ? "JPEG planes" : "RGB");
        for (int k = 0; k < names.length; k++) {
            System.out.printf(Locale.ROOT, "  %-20s CPU ms median %.3f%n", names[k], median(ms[k]));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double medianSum(double[] a, double[] b) {
        double[] s = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return median(s);
    }
}
