package io.frameq.baseline;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.frameq.detect.Degradation;
import io.frameq.detect.DetectorReport;
import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.frame.RgbImage;
import io.frameq.frame.VideoSegmentDecoder;

/**
 * Development tool, not a test: replays a clip through the detectors and a stream baseline and prints how many
 * frames each flag was raised on before (raw) and after the baseline's judgement, optionally with a fault
 * rendered from a given second on ({@code pan}: the view shifted by a quarter of its width, as a camera turned
 * away; {@code cover}: the lens covered by a flat translucent sheet).
 *
 * <pre>
 * java -cp ... io.frameq.baseline.BaselineReplay CLIP FPS EVERY [pan|cover ONSET_S]
 * </pre>
 */
public final class BaselineReplay {

    public static void main(String[] args) {
        Path clip = Path.of(args[0]);
        double fps = Double.parseDouble(args[1]);
        int every = Integer.parseInt(args[2]);
        String fault = args.length > 4 ? args[3] : null;
        double onsetS = args.length > 4 ? Double.parseDouble(args[4]) : Double.POSITIVE_INFINITY;

        List<RgbImage> frames = VideoSegmentDecoder.readVideoFile(clip, every, 100_000);
        DetectorSuite suite = new DetectorSuite(DetectorThresholds.DEFAULTS);
        BaselineJudge judge = new BaselineJudge(BaselineSettings.DEFAULTS);
        StreamBaseline state = new StreamBaseline(BaselineSettings.DEFAULTS.capacity());
        Map<Degradation, Integer> raw = new EnumMap<>(Degradation.class);
        Map<Degradation, Integer> judged = new EnumMap<>(Degradation.class);
        int flaggedBefore = 0;
        int cleanFrames = 0;
        double firstDetectS = Double.NaN;
        byte[] previous = null;
        for (int i = 0; i < frames.size(); i++) {
            double t = i * every / fps;
            RgbImage img = t >= onsetS ? render(fault, frames.get(i)) : frames.get(i);
            DetectorReport r = suite.analyze(img, previous);
            previous = r.thumbnail();
            Judgement j = judge.judge(state, r, SceneMode.monochrome(img), Math.round(t * 1000));
            if (System.getenv("REPLAY_VERBOSE") != null) {
                System.out.printf(Locale.ROOT, "t=%.1f mode=%s warm=%s sharp=%.1f contrast=%.1f luma=%.1f match=%.2f raw=%s judged=%s%n", t,
                        j.mode(), !j.warmingUp(), r.readings().sharpness(), r.readings().contrast(), r.readings().meanLuma(),
                        j.sceneMatch(), r.flags(), j.flags());
            }
            r.flags().forEach(f -> raw.merge(f, 1, Integer::sum));
            j.flags().forEach(f -> judged.merge(f, 1, Integer::sum));
            if (t < onsetS) {
                cleanFrames++;
                flaggedBefore += j.flags().isEmpty() ? 0 : 1;
            } else if (Double.isNaN(firstDetectS) && !j.flags().isEmpty()) {
                firstDetectS = t - onsetS;
                System.out.printf(Locale.ROOT, "  first flags after onset: %s (match %.2f)%n", j.flags(), j.sceneMatch());
            }
        }
        System.out.printf(Locale.ROOT, "%s frames=%d clean=%d flagged_clean=%d (%.1f%%) raw=%s judged=%s detect_after_s=%.2f%n",
                clip.getFileName(), frames.size(), cleanFrames, flaggedBefore, 100.0 * flaggedBefore / Math.max(1, cleanFrames),
                raw, judged, firstDetectS);
    }

    private static RgbImage render(String fault, RgbImage img) {
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
}
