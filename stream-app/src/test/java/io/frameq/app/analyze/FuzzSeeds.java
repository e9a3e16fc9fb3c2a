package io.frameq.app.analyze;

import io.frameq.alert.AlertEvent;
import io.frameq.event.EventJson;
import io.frameq.event.ScoreEvent;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the committed seed corpus of the hostile-input tests (operators/src/test/resources/fuzz):
 * tiny pictures, clips, raw frames and events, all drawn here from arithmetic patterns, so every
 * byte is made by the project. Run once after changing it; the command is in the corpus's LICENSE.txt.
 */
public final class FuzzSeeds {

    private FuzzSeeds() {}

    public static void main(String[] args) throws IOException {
        Path out = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "operators/src/test/resources/fuzz"));
        Files.write(out.resolve("seed_16x16.jpg"), ImageEncoder.jpeg(pattern(16, 16, 0), 90));
        Files.write(out.resolve("seed_33x17.jpg"), ImageEncoder.jpeg(pattern(33, 17, 1), 40));
        Files.write(out.resolve("seed_16x16.png"), ImageEncoder.png(pattern(16, 16, 2)));
        Files.write(out.resolve("seed_7x5.png"), ImageEncoder.png(pattern(7, 5, 3)));
        List<RgbImage> frames = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            frames.add(pattern(32, 24, i));
        }
        ClipWriter.write(out.resolve("seed_32x24_h264.mp4"), "libopenh264", 10, frames);
        ClipWriter.write(out.resolve("seed_32x24_h264.ts"), "libopenh264", 10, frames);
        ClipWriter.write(out.resolve("seed_32x24_mpeg4.mp4"), "mpeg4", 10, frames);
        // raw frames: 8x6 in each raw layout (I420 and NV12 need 8*6*3/2 bytes, RGB 8*6*3)
        Files.write(out.resolve("seed_8x6.rgb24"), pattern(8, 6, 4).pixels());
        byte[] yuv = new byte[8 * 6 * 3 / 2];
        for (int i = 0; i < yuv.length; i++) {
            yuv[i] = (byte) (i * 7 + 16);
        }
        Files.write(out.resolve("seed_8x6.i420"), yuv);
        Map<String, Double> detectors = new LinkedHashMap<>();
        detectors.put("sharpness", 0.42);
        detectors.put("freeze", null);
        ScoreEvent score = new ScoreEvent("frames/0/17/0", "cam-1", 17, 1700, 1_700_000_000_000L, 1_700_000_000_050L,
                new ScoreEvent.Source("frames", 0, 17, 0), 320, 240, new ScoreEvent.ModelInfo("maniqa-lite", 4, "nr-iqa", true),
                3.1, 0.61, ScoreEvent.DEGRADED, List.of("blur"), detectors, Map.of("decode", 1.5, "score", 20.0), false,
                ScoreEvent.DEGRADED, "blur", "quality", List.of(new ScoreEvent.FaultInfo("soiled", 0.8, List.of(1, 2, 9))), null, null);
        Files.writeString(out.resolve("seed_score_event.json"), EventJson.toJson(score));
        AlertEvent alert = new AlertEvent("cam-1/quality/1700000000000", "cam-1", AlertEvent.QUALITY, AlertEvent.OPEN,
                1_700_000_000_000L, 1_700_000_010_000L, 250, 0.8, 0.4, 0.1, 0.2, List.of("blur", "noise"), 1_700_000_010_005L,
                List.of(new AlertEvent.FaultSummary("soiled", 200, List.of(1, 2, 9))));
        Files.writeString(out.resolve("seed_alert_event.json"), EventJson.toJson(alert));
    }

    /** Diagonal bands, a block edge and a colour ramp: enough structure for DCT blocks, filters and motion. */
    static RgbImage pattern(int width, int height, int phase) {
        byte[] px = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = (y * width + x) * 3;
                px[i] = (byte) ((x + y + phase * 3) * 23);
                px[i + 1] = (byte) (x < width / 2 ? 40 + phase * 10 : 200);
                px[i + 2] = (byte) (y * 255 / Math.max(1, height - 1));
            }
        }
        return new RgbImage(width, height, px);
    }
}
