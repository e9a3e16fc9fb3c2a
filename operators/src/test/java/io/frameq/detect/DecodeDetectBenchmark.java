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
 * domain ({@code decodeReduced}) no narrower than 640 px (1080p: half, FFmpeg lowres 1) and no narrower than
 * {@value #QUARTER_MIN_WIDTH} px (1080p: a quarter, lowres 2), each followed by {@link DetectorSuite#analyze}; the three
 * take turns within each iteration. Thread
 * CPU time, not wall time, so other processes on a shared box inflate it less. A benchmark: it prints, it asserts
 * nothing. Usage:
 *
 * <pre>
 * mvn -o -B -q -pl operators test-compile
 * java -cp "operators/target/classes:operators/target/test-classes:$(cat operators/target/cp.txt)" \
 *     io.frameq.detect.DecodeDetectBenchmark [WIDTH HEIGHT [ITERATIONS [parts]]]
 * </pre>
 * It also times {@link FineEdges} on the full decode alone (only full decodes wider than 960 px get it).
 * With {@code parts}, it also times the detectors' passes one by one on the half and the quarter frame (exposure,
 * noise and blocks, working plane, thumbnail, grid, diagnosis), which add up to about their "detectors on" lines.
 * ({@code mvn -o -q -pl operators dependency:build-classpath -Dmdep.outputFile=target/cp.txt} writes cp.txt.)
 */
public final class DecodeDetectBenchmark {

    /**
     * {@code decode.jpeg.reduced.min.width} that makes a 1080p JPEG decode at a quarter (480 px; 640 keeps it at half):
     * the decoder takes the smallest of 1/1, 1/2, 1/4 that is at least this wide.
     */
    static final int QUARTER_MIN_WIDTH = 480;

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
            // full decode, full detect, half decode (lowres 1), half detect, quarter decode (lowres 2), quarter detect;
            // the three ways take turns within each iteration, so load from the shared box falls on all of them alike
            double[][] ms = new double[6][iterations];
            int[] minWidths = {0, DetectorSuite.WORKING_WIDTH, QUARTER_MIN_WIDTH};
            int[] factors = new int[3];
            for (int i = -30; i < iterations; i++) {
                for (int k = 0; k < 3; k++) {
                    long t0 = threads.getCurrentThreadCpuTime();
                    RgbImage image;
                    int factor = 1;
                    if (k == 0) {
                        image = decoders.decode(jpeg, meta).get(0).image();
                    } else {
                        var reduced = decoders.decodeReduced(jpeg, meta, minWidths[k]);
                        image = reduced.frames().get(0).image();
                        factor = reduced.reduction().factor();
                    }
                    long t1 = threads.getCurrentThreadCpuTime();
                    detectors.analyze(image, null, factor);
                    long t2 = threads.getCurrentThreadCpuTime();
                    factors[k] = factor;
                    if (i >= 0) {
                        ms[2 * k][i] = (t1 - t0) / 1e6;
                        ms[2 * k + 1][i] = (t2 - t1) / 1e6;
                    }
                }
            }
            String[] names = {"full decode", "detectors on full", "half decode", "detectors on half", "quarter decode",
                "detectors on quarter"};
            for (int k = 0; k < 6; k++) {
                System.out.printf(Locale.ROOT, "%-22s CPU ms median %.2f, mean %.2f%n", names[k], median(ms[k]),
                        Arrays.stream(ms[k]).average().orElse(Double.NaN));
            }
            System.out.printf(Locale.ROOT, "full decode + detectors:    %.2f ms CPU (median of sums)%n", medianSum(ms[0], ms[1]));
            System.out.printf(Locale.ROOT, "reduced decode + detectors: %.2f ms CPU (median of sums; half, lowres 1, factor %d)%n",
                    medianSum(ms[2], ms[3]), factors[1]);
            System.out.printf(Locale.ROOT, "quarter decode + detectors: %.2f ms CPU (median of sums; min width %d, factor %d)%n",
                    medianSum(ms[4], ms[5]), QUARTER_MIN_WIDTH, factors[2]);
            fineEdges(decoders.decode(jpeg, meta).get(0).image(), iterations, threads);
            if (args.length >= 4 && args[3].equals("parts")) {
                for (int minWidth : new int[] {DetectorSuite.WORKING_WIDTH, QUARTER_MIN_WIDTH}) {
                    var reduced = decoders.decodeReduced(jpeg, meta, minWidth);
                    parts(reduced.frames().get(0).image(), reduced.reduction().factor(), iterations, threads);
                }
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
            DetectorSuite.Plane plane = DetectorSuite.workingPlane(image.luma(), w, h, reduction);
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
