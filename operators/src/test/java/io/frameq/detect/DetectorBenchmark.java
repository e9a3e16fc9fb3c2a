package io.frameq.detect;

import io.frameq.frame.RgbImage;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Measures {@link DetectorSuite#analyze} on a 1920x1080 frame (a test photo enlarged, with mild noise) on the
 * calling thread. A benchmark, not a test: it prints, it asserts nothing. Usage:
 *
 * <pre>
 * mvn -o -B -q -pl operators test-compile
 * java -cp operators/target/classes:operators/target/test-classes io.frameq.detect.DetectorBenchmark [WIDTH HEIGHT [ITERATIONS [luma]]]
 * </pre>
 *
 * With {@code luma} the frame carries its luma plane, as a JPEG decoded by FFmpeg does ({@link RgbImage#luma()}).
 */
public final class DetectorBenchmark {

    private DetectorBenchmark() {
    }

    private static String summary(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        double mean = Arrays.stream(s).average().orElse(Double.NaN);
        return String.format(Locale.ROOT, "mean %.2f, median %.2f, p90 %.2f, min %.2f", mean, s[s.length / 2],
                s[(int) (s.length * 0.9)], s[0]);
    }

    public static void main(String[] args) {
        int w = args.length >= 2 ? Integer.parseInt(args[0]) : 1920;
        int h = args.length >= 2 ? Integer.parseInt(args[1]) : 1080;
        int iterations = args.length >= 3 ? Integer.parseInt(args[2]) : 300;
        RgbImage frame = Degrade.addNoise(Degrade.resize(TestPhotos.load("chelsea"), w, h), 2, 1, false);
        if (args.length >= 4 && args[3].equals("luma")) {
            byte[] luma = new byte[w * h];
            DetectorSuite.lumaAndExposure(frame.pixels(), luma, luma.length);
            frame = new RgbImage(w, h, frame.pixels(), luma);
        }
        DetectorSuite suite = new DetectorSuite();
        byte[] prev = DetectorSuite.thumbnail(frame);
        long sink = 0;
        for (int i = 0; i < 200; i++) { // warm-up: let C2 compile the hot loops
            sink += suite.analyze(frame, prev).flags().size();
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] wall = new double[iterations];
        double[] cpu = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            DetectorReport r = suite.analyze(frame, prev);
            wall[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (threads.getCurrentThreadCpuTime() - c0) / 1e6;
            sink += r.thumbnail()[i % r.thumbnail().length];
        }
        // Wall time suffers when other processes share the cores; thread CPU time does not count time spent
        // descheduled, so it is the better "one core" figure on a shared machine.
        System.out.printf(Locale.ROOT, "DetectorSuite.analyze %dx%d%s, %d iterations on one thread (sink %d)%n", w, h,
                frame.luma() == null ? "" : " with the decoder's luma", iterations, sink);
        System.out.println("  wall ms: " + summary(wall));
        System.out.println("  cpu  ms: " + summary(cpu));
        System.out.println("readings: " + suite.analyze(frame, prev).readings().asMap());
    }
}
