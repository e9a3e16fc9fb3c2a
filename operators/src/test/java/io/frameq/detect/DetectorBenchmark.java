package io.frameq.detect;

import io.frameq.frame.RgbImage;
import java.util.Arrays;
import java.util.Locale;

/**
 * Measures {@link DetectorSuite#analyze} on a 1920x1080 frame (a test photo enlarged, with mild noise) on the
 * calling thread. A benchmark, not a test: it prints, it asserts nothing. Usage:
 *
 * <pre>
 * mvn -o -B -q -pl operators test-compile
 * java -cp operators/target/classes:operators/target/test-classes io.frameq.detect.DetectorBenchmark [WIDTH HEIGHT [ITERATIONS]]
 * </pre>
 */
public final class DetectorBenchmark {

    private DetectorBenchmark() {
    }

    public static void main(String[] args) {
        int w = args.length >= 2 ? Integer.parseInt(args[0]) : 1920;
        int h = args.length >= 2 ? Integer.parseInt(args[1]) : 1080;
        int iterations = args.length >= 3 ? Integer.parseInt(args[2]) : 300;
        RgbImage frame = Degrade.addNoise(Degrade.resize(TestPhotos.load("chelsea"), w, h), 2, 1, false);
        DetectorSuite suite = new DetectorSuite();
        byte[] prev = DetectorSuite.thumbnail(frame);
        long sink = 0;
        for (int i = 0; i < 200; i++) { // warm-up: let C2 compile the hot loops
            sink += suite.analyze(frame, prev).flags().size();
        }
        double[] ms = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            DetectorReport r = suite.analyze(frame, prev);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            sink += r.thumbnail()[i % r.thumbnail().length];
        }
        Arrays.sort(ms);
        double mean = Arrays.stream(ms).average().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "DetectorSuite.analyze %dx%d, %d iterations on one thread: mean %.2f ms, "
                        + "median %.2f ms, p90 %.2f ms, min %.2f ms (sink %d)%n", w, h, iterations, mean,
                ms[iterations / 2], ms[(int) (iterations * 0.9)], ms[0], sink);
        System.out.println("readings: " + suite.analyze(frame, prev).readings().asMap());
    }
}
