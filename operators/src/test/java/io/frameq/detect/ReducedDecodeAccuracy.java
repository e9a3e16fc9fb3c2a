package io.frameq.detect;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import io.frameq.frame.ContentType;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.DecodedFrame;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameMetadata;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;
import io.frameq.frame.VideoSegmentDecoder;

/**
 * What the reduced JPEG decode costs the detectors in accuracy, on real footage: frames sampled from each clip
 * (every {@code SAMPLE_EVERY}-th, about one a second), stretched to 1920x1080 (bilinear; {@code -Dsize=WxH} for
 * another size), JPEG-encoded at the given quality, then decoded three ways for the detectors: full size,
 * {@code decode.jpeg.reduced.min.width=640} (1080p: half, FFmpeg lowres 1; the columns say lowres1) and {@code =480}
 * (1080p: a quarter, lowres 2; the columns say lowres2; the factors each got are printed per clip); each decode's own previous
 * thumbnail is passed on, so FROZEN is compared too. Prints per clip how many frames each decode flags (on clean
 * footage every flag is a false one), how often a reduced decode's flag set differs from the full decode's, and the
 * sharpness, noise and blockiness of the reduced decodes against the full one, and at the end the blockiness's
 * distribution per decode over all frames (run it clean at a camera's quality and at low qualities to see what a
 * BLOCKY threshold has to separate, {@code DetectorSuite.BLOCKINESS_GAIN_AT_HALF}). A tool, not a test: it reads the
 * clips it is given (the footage is not in the repository) and asserts nothing. Usage:
 *
 * <pre>
 * java -cp "operators/target/classes:operators/target/test-classes:$(cat operators/target/cp.txt)" \
 *     io.frameq.detect.ReducedDecodeAccuracy CASE QUALITY SAMPLE_EVERY MAX_FRAMES_PER_CLIP OUT.tsv CLIP_OR_DIR...
 * </pre>
 * CASE is {@code clean}, or a fault added to every frame before encoding: {@code noise:SIGMA} (Gaussian, in luma
 * levels) or {@code blur:SIGMA} (Gaussian, in 1080p pixels); then "flagged" is what each decode detects. A directory
 * is searched for .mp4 and .avi files. OUT.tsv gets one row per frame and decode.
 */
public final class ReducedDecodeAccuracy {

    private static final String[] DECODES = {"full", "lowres1", "lowres2"};
    /** The size frames are stretched to ({@code -Dsize=WxH}, default 1920x1080). */
    private static final int WIDTH = Integer.parseInt(System.getProperty("size", "1920x1080").split("x")[0]);
    private static final int HEIGHT = Integer.parseInt(System.getProperty("size", "1920x1080").split("x")[1]);

    private ReducedDecodeAccuracy() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: ReducedDecodeAccuracy CASE QUALITY SAMPLE_EVERY MAX_FRAMES_PER_CLIP OUT.tsv CLIP_OR_DIR...");
            System.exit(2);
        }
        String fault = args[0];
        args = Arrays.copyOfRange(args, 1, args.length);
        int quality = Integer.parseInt(args[0]);
        int sampleEvery = Integer.parseInt(args[1]);
        int maxFrames = Integer.parseInt(args[2]);
        List<Path> clips = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            clips.addAll(clipsIn(Path.of(args[i])));
        }
        DetectorSuite detectors = new DetectorSuite(DetectorThresholds.DEFAULTS);
        FrameMetadata meta = FrameMetadata.of(ContentType.JPEG);
        Totals all = new Totals();
        try (FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT);
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(args[3])))) {
            out.println("clip\tframe\tdecode\tflags\tfaults\tsharpness\tnoise\tblockiness\tmean_luma\tfrozen_diff\tcrisp90");
            System.out.printf(Locale.ROOT, "%-48s %5s | %-23s | %-15s | %-23s | %-23s | %s | %s%n", "clip (source size)", "n",
                    "frames flagged f/l1/l2", "differ l1/l2", "sharpness l1/f, l2/f", "noise f, l1, l2 (median)",
                    "blockiness f, l1, l2 (median)", "crisp90 min/median f, l1, l2");
            for (Path clip : clips) {
                List<DecodedFrame> frames = VideoSegmentDecoder.readVideoFrames(clip, sampleEvery, maxFrames);
                Totals t = new Totals();
                byte[][] previous = new byte[3][];
                int[] factors = {1, 0, 0};
                String size = frames.isEmpty() ? "?" : frames.get(0).image().width() + "x" + frames.get(0).image().height();
                for (DecodedFrame f : frames) {
                    RgbImage hd = withFault(ImageEncoder.resize(f.image(), WIDTH, HEIGHT), fault, f.index());
                    byte[] jpeg = ImageEncoder.jpeg(hd, quality);
                    DetectorReport[] r = new DetectorReport[3];
                    RgbImage full = decoders.decode(jpeg, meta).get(0).image();
                    r[0] = detectors.analyze(full, previous[0]);
                    for (int k = 1; k <= 2; k++) {
                        var reduced = decoders.decodeReduced(jpeg, meta, k == 1 ? 640 : 480);
                        int factor = reduced.reduction().factor();
                        factors[k] = factor;
                        r[k] = detectors.analyze(reduced.frames().get(0).image(), previous[k], factor);
                    }
                    for (int k = 0; k < 3; k++) {
                        previous[k] = r[k].thumbnail();
                        DetectorReadings d = r[k].readings();
                        out.printf(Locale.ROOT, "%s\t%d\t%s\t%s\t%s\t%.2f\t%.3f\t%.4f\t%.2f\t%.3f\t%.3f%n", clip.getFileName(), f.index(),
                                DECODES[k], r[k].flags(), r[k].faults().stream().map(x -> x.type().name()).toList(),
                                d.sharpness(), d.noiseSigma(), d.blockiness(), d.meanLuma(), d.frozenDiff(), crisp90(r[k]));
                    }
                    t.add(r);
                    all.add(r);
                }
                t.print(clip.getFileName() + " (" + size + ", factors " + factors[1] + " " + factors[2] + ")");
            }
            all.print("ALL");
            all.printBlockiness();
            System.out.println("flag counts over all frames (full / lowres1 / lowres2):");
            for (Degradation g : Degradation.values()) {
                if (all.byFlag[0][g.ordinal()] + all.byFlag[1][g.ordinal()] + all.byFlag[2][g.ordinal()] > 0) {
                    System.out.printf(Locale.ROOT, "  %-12s %d / %d / %d%n", g, all.byFlag[0][g.ordinal()], all.byFlag[1][g.ordinal()],
                            all.byFlag[2][g.ordinal()]);
                }
            }
        }
    }

    /** {@code clean}, {@code noise:SIGMA} (Gaussian luminance noise, the same on R, G and B) or {@code blur:SIGMA} (Gaussian, full-size pixels). */
    private static RgbImage withFault(RgbImage hd, String fault, long seed) {
        if (fault.equals("clean")) {
            return hd;
        }
        String[] kv = fault.split(":");
        double v = Double.parseDouble(kv[1]);
        return switch (kv[0]) {
            case "noise" -> Degrade.addNoise(hd, v, seed, true);
            case "blur" -> Degrade.gaussianBlur(hd, v);
            default -> throw new IllegalArgumentException("CASE: expected clean, noise:SIGMA or blur:SIGMA, actual " + fault);
        };
    }

    private static List<Path> clipsIn(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return List.of(p);
        }
        try (Stream<Path> s = Files.walk(p)) {
            return s.filter(f -> f.toString().endsWith(".mp4") || f.toString().endsWith(".avi")).sorted().toList();
        }
    }

    /** Sums over frames of one clip or of all. */
    private static final class Totals {
        int frames;
        final int[] flagged = new int[3];
        final int[] differ = new int[3];
        final int[][] byFlag = new int[3][Degradation.values().length];
        final List<double[]> sharp = new ArrayList<>(); // l1/f, l2/f
        final List<double[]> noise = new ArrayList<>();
        final List<double[]> blocks = new ArrayList<>();
        final List<double[]> crisp = new ArrayList<>();

        void add(DetectorReport[] r) {
            frames++;
            for (int k = 0; k < 3; k++) {
                java.util.Set<Degradation> flags = r[k].flags();
                if (!flags.isEmpty()) {
                    flagged[k]++;
                }
                if (k > 0 && !flags.equals(r[0].flags())) {
                    differ[k]++;
                }
                for (Degradation g : flags) {
                    byFlag[k][g.ordinal()]++;
                }
            }
            double fs = r[0].readings().sharpness();
            sharp.add(new double[] {r[1].readings().sharpness() / fs, r[2].readings().sharpness() / fs});
            noise.add(new double[] {r[0].readings().noiseSigma(), r[1].readings().noiseSigma(), r[2].readings().noiseSigma()});
            blocks.add(new double[] {r[0].readings().blockiness(), r[1].readings().blockiness(), r[2].readings().blockiness()});
            crisp.add(new double[] {crisp90(r[0]), crisp90(r[1]), crisp90(r[2])});
        }

        void print(String what) {
            if (frames == 0) {
                System.out.printf(Locale.ROOT, "%-48s %5d (no frames)%n", what, 0);
                return;
            }
            System.out.printf(Locale.ROOT, "%-48s %5d | %6d %6d %6d   | %5.1f%% %5.1f%%   | %s %s | %s | %s | %s%n",
                    what, frames, flagged[0], flagged[1], flagged[2], 100.0 * differ[1] / frames, 100.0 * differ[2] / frames,
                    range(sharp, 0), range(sharp, 1), medians(noise, 2), medians(blocks, 3), lows(crisp));
        }

        /**
         * Per decode, the distribution of the blockiness over all frames (what a BLOCKY threshold must separate: run
         * it at a clean and at compressed qualities), and the half decode's reading over the full decode's per frame.
         */
        void printBlockiness() {
            System.out.println("blockiness over all frames: min p5 p25 median p75 p95 max");
            for (int k = 0; k < 3; k++) {
                final int kk = k;
                double[] s = blocks.stream().mapToDouble(a -> a[kk]).filter(Double::isFinite).sorted().toArray();
                System.out.printf(Locale.ROOT, "  %-8s %s%n", DECODES[k], s.length == 0 ? "not measured" : quantiles(s));
            }
            double[] ratio = blocks.stream().mapToDouble(a -> (a[1] - 1) / (a[0] - 1)).filter(Double::isFinite).sorted().toArray();
            if (ratio.length > 0) {
                System.out.printf(Locale.ROOT, "  (lowres1 - 1) / (full - 1) per frame: %s%n", quantiles(ratio));
            }
        }

        private static String quantiles(double[] s) {
            StringBuilder b = new StringBuilder();
            for (double q : new double[] {0, 0.05, 0.25, 0.5, 0.75, 0.95, 1}) {
                b.append(String.format(Locale.ROOT, "%.3f ", s[(int) Math.round(q * (s.length - 1))]));
            }
            return b.toString().trim();
        }

        /** Per decode, the lowest crisp90 (DEFOCUSED below 0.6) over the frames that have one. */
        private static String lows(List<double[]> v) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < 3; k++) {
                final int kk = k;
                double[] s = v.stream().mapToDouble(a -> a[kk]).filter(Double::isFinite).sorted().toArray();
                b.append(s.length == 0 ? "- " : String.format(Locale.ROOT, "%.2f/%.2f ", s[0], s[s.length / 2]));
            }
            return b.toString().trim();
        }

        private static String range(List<double[]> v, int k) {
            double[] s = v.stream().mapToDouble(a -> a[k]).sorted().toArray();
            return String.format(Locale.ROOT, "%.2f[%.2f-%.2f]", s[s.length / 2], s[0], s[s.length - 1]);
        }

        private static String medians(List<double[]> v, int digits) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < 3; k++) {
                final int kk = k;
                double[] s = v.stream().mapToDouble(a -> a[kk]).sorted().toArray();
                b.append(String.format(Locale.ROOT, "%." + digits + "f ", s[s.length / 2]));
            }
            return b.toString().trim();
        }
    }

    /** The 90th percentile of the crispness of the textured cells, as {@link FaultRules} reads it for DEFOCUSED. */
    static double crisp90(DetectorReport r) {
        double[] c = r.cells().cells().stream().filter(x -> x.range() >= FaultThresholds.TEXTURED_ABOVE_RANGE)
                .mapToDouble(CellReading::crispness).sorted().toArray();
        return c.length == 0 ? Double.NaN : c[(int) Math.round(0.9 * (c.length - 1))];
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
