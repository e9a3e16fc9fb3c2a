package io.frameq.app.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;

import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;
import io.frameq.testing.EventSchema;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code frameq analyze} on a folder of 1,000 images (issue 20, "Checked by"): the committed test photo, scaled
 * to 160x120 and panned a pixel per image so that no two are alike, with a run of black images in the middle.
 * One stream, one valid event per image in path order, the black run flagged where it is, a summary and a report.
 */
class AnalyzeThousandImagesIT {

    private static final int IMAGES = 1_000;
    private static final int BLACK_FROM = 600;
    private static final int BLACK_TO = 610;

    @TempDir
    Path dir;

    @Test
    void aFolderOfAThousandImagesGivesOneEventPerImageInPathOrder() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("dashcam"));
        RgbImage small = ImageEncoder.resize(TestScenes.photo(), 160, 120);
        RgbImage black = new RgbImage(160, 120, new byte[160 * 120 * 3]);
        for (int i = 0; i < IMAGES; i++) {
            RgbImage img = i >= BLACK_FROM && i < BLACK_TO ? black : TestScenes.panned(small, i);
            Files.write(folder.resolve(String.format("frame-%04d.jpg", i)), ImageEncoder.jpeg(img, 85));
        }
        Path out = dir.resolve("out");

        long t0 = System.nanoTime();
        CliRun r = AnalyzeCommandTest.analyze(out, folder.toString());
        double seconds = (System.nanoTime() - t0) / 1e9;

        assertThat(r.code()).as("exit code, stderr:\n%s", r.err()).isZero();
        List<JsonNode> events = AnalyzeCommandTest.lines(out.resolve("events.jsonl"));
        assertThat(events).as("one event per image").hasSize(IMAGES);
        assertThat(events).extracting(e -> e.get("seq").asLong())
                .containsExactlyElementsOf(IntStream.range(0, IMAGES).mapToObj(i -> (long) i).toList());
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("stream").asText()).isEqualTo("dashcam");
            assertThat(e.get("width").asInt()).isEqualTo(160);
        });
        for (JsonNode e : events) {
            long seq = e.get("seq").asLong();
            boolean isBlack = seq >= BLACK_FROM && seq < BLACK_TO;
            assertThat(e.get("degradations").toString().contains("black")).as("event %d flagged black", seq).isEqualTo(isBlack);
        }
        AnalyzeCommandTest.assertValid(out.resolve("events.jsonl"), EventSchema.scoreEvent());
        AnalyzeCommandTest.assertValid(out.resolve("alerts.jsonl"), EventSchema.alertEvent());

        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertThat(csv).hasSize(2);
        assertThat(csv.get(1)).startsWith("dashcam," + folder + ",false,1000,1000,1000,0,");
        assertThat(Files.readString(out.resolve("report.html"))).contains("id=\"s-dashcam\"", "data:image/jpeg;base64,");
        System.out.printf("analyze: %d images of 160x120 in %.1f s (%.1f images/s, tiny-nr, %d cores)%n", IMAGES, seconds,
                IMAGES / seconds, Runtime.getRuntime().availableProcessors());
    }
}
