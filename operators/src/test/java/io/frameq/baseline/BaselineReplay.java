package io.frameq.baseline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import io.frameq.detect.Degradation;
import io.frameq.detect.DetectorReport;
import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.frame.DecodedFrame;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;
import io.frameq.frame.VideoSegmentDecoder;

/**
 * Development tool, not a test: replays clips through the single-frame detectors and a stream baseline, at
 * about 5 frames per second of their own timeline, and prints one Markdown row per clip: frames judged, frames
 * flagged before the fault (all of them for a clean run), which flags, and how long after the onset the fault
 * was first flagged. A fault can be rendered from a given second on: {@code pan} (the view shifted by a
 * quarter of its width, as a camera turned away), {@code cover} (a flat translucent sheet over the lens),
 * {@code film} (a plastic film on the lens: the picture diffused over a fortieth of its width and veiled by scattered
 * light) or {@code defocus} (focus lost: a blur over a hundred-and-fiftieth of the width, no veil).
 *
 * <pre>
 * java -cp operators/target/classes:operators/target/test-classes:$(deps) io.frameq.baseline.BaselineReplay \
 *     [--fault pan|cover|film|defocus|deepdefocus --onset-s 10] CLIP_OR_DIR...
 * </pre>
 * Folders are searched for clips (mp4, avi, mkv, mov, ts). Clips stay outside the repository.
 */
public final class BaselineReplay {

    /** Sampling step of the replay; REPLAY_STEP_MS=0 judges every frame, as `analyze` does by default. */
    private static final long STEP_MS = Long.parseLong(System.getenv().getOrDefault("REPLAY_STEP_MS", "200"));
    /** REPLAY_WIDTH=1920 enlarges (bilinear) every frame narrower than it first: a camera or recorder that upscales. */
    private static final int WIDTH = Integer.parseInt(System.getenv().getOrDefault("REPLAY_WIDTH", "0"));

    public static void main(String[] args) throws IOException {
        String fault = null;
        double onsetS = Double.POSITIVE_INFINITY;
        List<Path> clips = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fault" -> fault = args[++i];
                case "--onset-s" -> onsetS = Double.parseDouble(args[++i]);
                default -> clips.addAll(clipsUnder(Path.of(args[i])));
            }
        }
        System.out.println("| clip | frames | flagged before the fault | flags | first flag after onset (s) |");
        System.out.println("|---|---:|---:|---|---:|");
        for (Path clip : clips) {
            replay(clip, fault, onsetS);
        }
    }

    private static void replay(Path clip, String fault, double onsetS) {
        List<DecodedFrame> frames = VideoSegmentDecoder.readVideoFrames(clip, 1, 100_000);
        DetectorSuite suite = new DetectorSuite(DetectorThresholds.DEFAULTS);
        BaselineJudge judge = new BaselineJudge(BaselineSettings.DEFAULTS);
        StreamBaseline state = new StreamBaseline(BaselineSettings.DEFAULTS.capacity());
        Map<Degradation, Integer> judged = new EnumMap<>(Degradation.class);
        int judgedFrames = 0;
        int before = 0;
        int flaggedBefore = 0;
        double firstAfterS = Double.NaN;
        int after = 0;
        byte[] previous = null;
        long nextMs = Long.MIN_VALUE;
        long startMs = frames.isEmpty() ? 0 : frames.get(0).ptsMillis();
        for (DecodedFrame f : frames) {
            long t = f.ptsMillis() - startMs;
            if (t < nextMs) {
                continue;
            }
            nextMs = t + STEP_MS;
            double s = t / 1000.0;
            RgbImage img = s >= onsetS ? render(fault, enlarged(f.image())) : enlarged(f.image());
            DetectorReport r = suite.analyze(img, previous);
            previous = r.thumbnail();
            Judgement j = judge.judge(state, r, SceneMode.monochrome(img), t);
            if (System.getenv("REPLAY_VERBOSE") != null) {
                System.out.printf(Locale.ROOT, "t=%.1f mode=%s warm=%s sharp=%.1f contrast=%.1f luma=%.1f match=%.2f raw=%s judged=%s%n", s,
                        j.mode(), !j.warmingUp(), r.readings().sharpness(), r.readings().contrast(), r.readings().meanLuma(),
                        j.sceneMatch(), r.flags(), j.flags());
            }
            judgedFrames++;
            j.flags().forEach(d -> judged.merge(d, 1, Integer::sum));
            if (s < onsetS) {
                before++;
                flaggedBefore += j.flags().isEmpty() ? 0 : 1;
            } else {
                after++;
                if (Double.isNaN(firstAfterS) && !j.flags().isEmpty()) {
                    firstAfterS = s - onsetS;
                }
            }
        }
        System.out.printf(Locale.ROOT, "| %s | %d | %d of %d (%.1f %%) | %s | %s |%n", clip.getFileName(), judgedFrames, flaggedBefore,
                before, 100.0 * flaggedBefore / Math.max(1, before), judged.isEmpty() ? "-" : judged,
                after == 0 ? "-" : Double.isNaN(firstAfterS) ? "missed (" + after + " frames)" : String.format(Locale.ROOT, "%.1f", firstAfterS));
    }

    private static List<Path> clipsUnder(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            return List.of(p);
        }
        try (Stream<Path> walk = Files.walk(p)) {
            return walk.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(mp4|avi|mkv|mov|ts)$"))
                    .sorted().toList();
        }
    }

    private static RgbImage enlarged(RgbImage img) {
        if (img.width() >= WIDTH) {
            return img;
        }
        return ImageEncoder.resize(img, WIDTH, Math.max(2, Math.round((float) img.height() * WIDTH / img.width())));
    }

    private static RgbImage render(String fault, RgbImage img) {
        if ("film".equals(fault) || "defocus".equals(fault) || "deepdefocus".equals(fault)) {
            boolean film = "film".equals(fault);
            int radius = Math.max(1, img.width() / ("defocus".equals(fault) ? 150 : 40));
            byte[] px = boxBlur(boxBlur(img.pixels(), img.width(), img.height(), radius), img.width(), img.height(), radius);
            if (film) {
                for (int i = 0; i < px.length; i++) {
                    px[i] = (byte) Math.round(0.6 * (px[i] & 0xff) + 0.4 * 200);
                }
            }
            return new RgbImage(img.width(), img.height(), px, null);
        }
        int w = img.width();
        int h = img.height();
        byte[] src = img.pixels();
        byte[] out = new byte[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = 3 * (y * w + x);
                if ("pan".equals(fault)) {
                    int sx = x + w / 4;
                    sx = sx < w ? sx : 2 * w - 1 - sx; // mirror at the edge
                    System.arraycopy(src, 3 * (y * w + sx), out, o, 3);
                } else {
                    for (int c = 0; c < 3; c++) {
                        out[o + c] = (byte) (150 + ((src[o + c] & 0xff) - 128) / 10);
                    }
                }
            }
        }
        return new RgbImage(w, h, out, null);
    }

    /** A box blur of the given radius along rows, then columns (edges clamped). */
    private static byte[] boxBlur(byte[] src, int w, int h, int r) {
        byte[] tmp = new byte[src.length];
        byte[] out = new byte[src.length];
        int n = 2 * r + 1;
        for (int y = 0; y < h; y++) {
            for (int c = 0; c < 3; c++) {
                int sum = 0;
                for (int k = -r; k <= r; k++) {
                    sum += src[3 * (y * w + Math.max(0, Math.min(w - 1, k))) + c] & 0xff;
                }
                for (int x = 0; x < w; x++) {
                    tmp[3 * (y * w + x) + c] = (byte) (sum / n);
                    sum += (src[3 * (y * w + Math.min(w - 1, x + r + 1)) + c] & 0xff)
                            - (src[3 * (y * w + Math.max(0, x - r)) + c] & 0xff);
                }
            }
        }
        for (int x = 0; x < w; x++) {
            for (int c = 0; c < 3; c++) {
                int sum = 0;
                for (int k = -r; k <= r; k++) {
                    sum += tmp[3 * (Math.max(0, Math.min(h - 1, k)) * w + x) + c] & 0xff;
                }
                for (int y = 0; y < h; y++) {
                    out[3 * (y * w + x) + c] = (byte) (sum / n);
                    sum += (tmp[3 * (Math.min(h - 1, y + r + 1) * w + x) + c] & 0xff)
                            - (tmp[3 * (Math.max(0, y - r) * w + x) + c] & 0xff);
                }
            }
        }
        return out;
    }
}
