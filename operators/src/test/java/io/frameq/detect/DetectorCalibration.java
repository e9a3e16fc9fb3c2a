package io.frameq.detect;

import io.frameq.frame.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Prints the detector readings of photos under graded synthetic degradations: the measurements behind
 * {@link DetectorThresholds#DEFAULTS}. Not a test. Usage (after {@code mvn -o -q -pl operators test-compile}):
 *
 * <pre>
 * java -cp operators/target/classes:operators/target/test-classes io.frameq.detect.DetectorCalibration [DIR]
 * </pre>
 *
 * DIR holds PNG/JPEG photos (default: the bundled test photos).
 */
public final class DetectorCalibration {

    private DetectorCalibration() {
    }

    record Level(String family, String level, UnaryOperator<RgbImage> op) {
    }

    static List<Level> levels() {
        List<Level> l = new ArrayList<>();
        l.add(new Level("clean", "-", UnaryOperator.identity()));
        for (double s : new double[] {0.5, 1, 1.5, 2, 3, 5}) {
            l.add(new Level("gauss-blur", "sigma=" + s, i -> Degrade.gaussianBlur(i, s)));
        }
        for (int r : new int[] {1, 2, 4}) {
            l.add(new Level("box-blur", "r=" + r, i -> Degrade.boxBlur(i, r)));
        }
        for (double s : new double[] {2, 3, 5, 8, 10, 20}) {
            l.add(new Level("noise-mono", "sigma=" + s, i -> Degrade.addNoise(i, s, 42, true)));
        }
        for (double s : new double[] {5, 10, 20}) {
            l.add(new Level("noise-rgb", "sigma=" + s, i -> Degrade.addNoise(i, s, 42, false)));
        }
        for (double g : new double[] {0.6, 0.4, 0.3, 0.2, 0.1, 0.05}) {
            l.add(new Level("gain", "g=" + g, i -> Degrade.gain(i, g)));
        }
        for (double g : new double[] {1.3, 1.6, 2, 3}) {
            l.add(new Level("gain", "g=" + g, i -> Degrade.gain(i, g)));
        }
        l.add(new Level("black", "0", i -> Degrade.black(i.width(), i.height())));
        l.add(new Level("black+noise", "sigma=2", i -> Degrade.addNoise(Degrade.black(i.width(), i.height()), 2, 7, true)));
        for (double q : new double[] {10, 20, 40, 80}) {
            l.add(new Level("dct-quant", "q=" + q, i -> Degrade.dctQuantize(i, q)));
        }
        l.add(new Level("block-mean", "8x8", Degrade::blockMean));
        for (float q : new float[] {0.9f, 0.75f, 0.5f, 0.3f, 0.15f, 0.05f}) {
            l.add(new Level("jpeg", "q=" + q, i -> Degrade.jpeg(i, q)));
        }
        return l;
    }

    public static void main(String[] args) throws IOException {
        List<Named> photos = new ArrayList<>();
        if (args.length > 0) {
            try (Stream<Path> s = Files.list(Path.of(args[0]))) {
                for (Path p : s.sorted().toList()) {
                    photos.add(new Named(p.getFileName().toString(), TestPhotos.read(p)));
                }
            }
        } else {
            for (String n : TestPhotos.NAMES) {
                photos.add(new Named(n, TestPhotos.load(n)));
            }
        }
        DetectorSuite suite = new DetectorSuite();
        System.out.printf(Locale.ROOT, "%-22s %-11s %-12s %9s %6s %6s %6s %6s %6s %6s %6s  %s%n", "photo", "family",
                "level", "sharp", "noise", "mean", "dark", "bright", "contr", "block", "frozen", "flags");
        for (Named p : photos) {
            byte[] cleanThumb = DetectorSuite.thumbnail(p.image);
            for (Level lv : levels()) {
                RgbImage img = lv.op.apply(p.image);
                DetectorReport r = suite.analyze(img, cleanThumb);
                DetectorReadings d = r.readings();
                System.out.printf(Locale.ROOT, "%-22s %-11s %-12s %9.1f %6.2f %6.1f %6.3f %6.3f %6.1f %6.2f %6.2f  %s%n",
                        p.name, lv.family, lv.level, d.sharpness(), d.noiseSigma(), d.meanLuma(), d.clippedDark(),
                        d.clippedBright(), d.contrast(), d.blockiness(), d.frozenDiff(), r.flags());
            }
            // frozen: readings against the previous frame for small camera motions / sensor noise
            RgbImage a = Degrade.addNoise(p.image, 2, 1, false);
            RgbImage b = Degrade.addNoise(p.image, 2, 2, false);
            System.out.printf(Locale.ROOT, "%-22s frozenDiff static scene, independent noise sigma=2: %.3f%n", p.name,
                    DetectorSuite.frozenDiff(DetectorSuite.thumbnail(b), DetectorSuite.thumbnail(a)));
            RgbImage big = Degrade.resize(p.image, 1920, 1080);
            System.out.printf(Locale.ROOT, "%-22s frozenDiff static 1080p scene, noise sigma=2: %.3f%n", p.name,
                    DetectorSuite.frozenDiff(DetectorSuite.thumbnail(Degrade.addNoise(big, 2, 2, false)),
                            DetectorSuite.thumbnail(Degrade.addNoise(big, 2, 1, false))));
            for (int dx : new int[] {1, 2, 4}) {
                System.out.printf(Locale.ROOT, "%-22s frozenDiff shift %d px: %.3f%n", p.name, dx,
                        DetectorSuite.frozenDiff(DetectorSuite.thumbnail(Degrade.shift(p.image, dx, 0)),
                                DetectorSuite.thumbnail(p.image)));
            }
        }
    }

    private record Named(String name, RgbImage image) {
    }
}
