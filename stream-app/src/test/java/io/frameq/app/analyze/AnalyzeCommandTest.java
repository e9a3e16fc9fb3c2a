package io.frameq.app.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;
import io.frameq.testing.EventSchema;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code frameq analyze} end to end, in-process, on clips and folders the tests make with FFmpeg's encoders. */
class AnalyzeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FPS = 10;

    @TempDir
    Path dir;

    @Test
    void clipThatTurnsBlackGivesOneValidEventPerFrameAnAlertAndAReport() throws Exception {
        Path clip = ClipWriter.write(dir.resolve("gate.avi"), "mpeg4", FPS, TestScenes.panThenBlack(20, 30));
        Path out = dir.resolve("out");

        CliRun r = analyze(out, clip.toString(), "--set", "alerts.window.ms=1000", "--fail-on", "alert");

        assertThat(r.code()).as("exit code with --fail-on alert, stderr:\n%s", r.err()).isEqualTo(AnalyzeCommand.EXIT_CONDITION);
        List<JsonNode> events = lines(out.resolve("events.jsonl"));
        assertThat(events).hasSize(50);
        assertThat(events).extracting(e -> e.get("seq").asLong()).containsExactlyElementsOf(range(0, 50, 1));
        assertThat(events).allSatisfy(e -> assertThat(e.get("stream").asText()).isEqualTo("gate"));
        assertValid(out.resolve("events.jsonl"), EventSchema.scoreEvent());
        // pts from the container, capture time = start + pts: 100 ms apart at 10 fps
        assertThat(events.get(7).get("pts_ms").asLong()).isEqualTo(700);
        assertThat(events.get(7).get("capture_ts").asLong() - events.get(0).get("capture_ts").asLong()).isEqualTo(700);
        assertThat(events.subList(0, 20)).allSatisfy(e -> assertThat(e.get("degradations").toString()).doesNotContain("black"));
        assertThat(events.subList(21, 50)).allSatisfy(e -> assertThat(e.get("degradations").toString()).contains("black"));

        List<JsonNode> alerts = lines(out.resolve("alerts.jsonl"));
        assertValid(out.resolve("alerts.jsonl"), EventSchema.alertEvent());
        assertThat(alerts).anySatisfy(a -> {
            assertThat(a.get("kind").asText()).isEqualTo("quality");
            assertThat(a.get("state").asText()).isEqualTo("open");
            assertThat(a.get("top_degradations").toString()).contains("black");
        });

        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertThat(csv).hasSize(2);
        assertThat(csv.get(0)).startsWith("stream,source,live,frames_read,frames_sampled,events");
        assertThat(csv.get(1)).startsWith("gate," + clip + ",false,50,50,50,0,");

        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<svg class=\"timeline\"", "data:image/jpeg;base64,", "id=\"s-gate\"", "quality alert")
                .doesNotContain("http://", "https://", "<script");
        assertThat(out.resolve(".state")).doesNotExist();
    }

    @Test
    void failOnDegradedExitsZeroForACleanClipAndThreeForAFrozenOne() throws Exception {
        Path clean = ClipWriter.write(dir.resolve("clean.mkv"), "mjpeg", FPS, TestScenes.panThenFreeze(20, 0));
        Path frozen = ClipWriter.write(dir.resolve("frozen.mp4"), "mpeg4", FPS, TestScenes.panThenFreeze(10, 30));

        CliRun ok = analyze(dir.resolve("clean-out"), clean.toString(), "--fail-on", "degraded");
        CliRun bad = analyze(dir.resolve("frozen-out"), frozen.toString(), "--fail-on", "degraded");
        CliRun notAsked = analyze(dir.resolve("frozen-out-2"), frozen.toString());

        assertThat(ok.code()).as("clean clip, stderr:\n%s", ok.err()).isZero();
        assertThat(lines(dir.resolve("clean-out/events.jsonl"))).hasSize(20)
                .allSatisfy(e -> assertThat(e.get("stream_verdict").asText()).isEqualTo("ok"));
        assertThat(bad.code()).as("frozen clip, stderr:\n%s", bad.err()).isEqualTo(AnalyzeCommand.EXIT_CONDITION);
        assertThat(lines(dir.resolve("frozen-out/events.jsonl"))).anySatisfy(e -> {
            assertThat(e.get("stream_verdict").asText()).isEqualTo("degraded");
            assertThat(e.get("degradations").toString()).contains("frozen");
        });
        assertThat(notAsked.code()).as("without --fail-on").isZero();
    }

    @Test
    void samplingKeepsEveryNthFrameKeyframesOrAtMostFFramesPerSecond() throws Exception {
        // gop = fps: a keyframe every 10 frames
        Path clip = ClipWriter.write(dir.resolve("pan.avi"), "mpeg4", FPS, TestScenes.panThenFreeze(50, 0));

        analyze(dir.resolve("every"), clip.toString(), "--every", "5");
        analyze(dir.resolve("key"), clip.toString(), "--keyframes-only");
        analyze(dir.resolve("fps"), clip.toString(), "--max-fps", "2.5");

        assertThat(lines(dir.resolve("every/events.jsonl"))).extracting(e -> e.get("seq").asLong()).containsExactlyElementsOf(range(0, 50, 5));
        // the decoder skips the other frames entirely, so seq counts keyframes; pts shows which frames they were
        assertThat(lines(dir.resolve("key/events.jsonl"))).extracting(e -> e.get("pts_ms").asLong())
                .containsExactlyElementsOf(range(0, 5000, 1000));
        assertThat(lines(dir.resolve("fps/events.jsonl"))).extracting(e -> e.get("pts_ms").asLong())
                .containsExactlyElementsOf(range(0, 5000, 400));
    }

    @Test
    void aFolderIsOneStreamOfItsImagesInPathOrderAndTwoSourcesRunSideBySide() throws Exception {
        Path folder = dir.resolve("snapshots");
        Files.createDirectories(folder.resolve("b-later"));
        RgbImage base = TestScenes.photo();
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            written.add(Files.write(folder.resolve("a-" + i + ".jpg"), ImageEncoder.jpeg(TestScenes.panned(base, 20 * i), 90)));
        }
        for (int i = 0; i < 3; i++) {
            written.add(Files.write(folder.resolve("b-later/" + i + ".png"), ImageEncoder.png(TestScenes.panned(base, 100 + 20 * i))));
        }
        Files.writeString(folder.resolve("notes.txt"), "not an image");
        Path clip = ClipWriter.write(dir.resolve("lobby.avi"), "mjpeg", FPS, TestScenes.panThenFreeze(12, 0));
        Path out = dir.resolve("out");

        CliRun r = analyze(out, folder.toString(), "door=" + clip, "--threads", "2");

        assertThat(r.code()).as("stderr:\n%s", r.err()).isZero();
        List<JsonNode> events = lines(out.resolve("events.jsonl"));
        List<JsonNode> snapshots = events.stream().filter(e -> e.get("stream").asText().equals("snapshots")).toList();
        assertThat(snapshots).extracting(e -> e.get("seq").asLong()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(snapshots.get(6).get("width").asInt()).isEqualTo(320);
        assertThat(events.stream().filter(e -> e.get("stream").asText().equals("door"))).hasSize(12);
        assertValid(out.resolve("events.jsonl"), EventSchema.scoreEvent());
        assertThat(Files.readAllLines(out.resolve("summary.csv"))).hasSize(3).anySatisfy(l -> assertThat(l).startsWith("snapshots,"))
                .anySatisfy(l -> assertThat(l).startsWith("door,"));
    }

    @Test
    void aLiveMjpegCameraIsStampedWithTheWallClockAndReconnectedWhenItHangsUp() throws Exception {
        RgbImage base = TestScenes.photo();
        List<byte[]> jpegs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            jpegs.add(ImageEncoder.jpeg(TestScenes.panned(base, 15 * i), 85));
        }
        Path out = dir.resolve("out");
        long before = System.currentTimeMillis();
        CliRun r;
        try (MjpegServer camera = new MjpegServer(jpegs, 5)) {
            r = analyze(out, "porch=" + camera.url(), "--max-frames", "12");
            assertThat(camera.connections()).as("connections to the camera").isGreaterThanOrEqualTo(3);
        }
        long after = System.currentTimeMillis();

        assertThat(r.code()).as("stderr:\n%s", r.err()).isZero();
        List<JsonNode> events = lines(out.resolve("events.jsonl"));
        assertThat(events).hasSize(12).allSatisfy(e -> {
            assertThat(e.get("stream").asText()).isEqualTo("porch");
            assertThat(e.get("capture_ts").asLong()).isBetween(before, after);
        });
        assertValid(out.resolve("events.jsonl"), EventSchema.scoreEvent());
        String row = Files.readAllLines(out.resolve("summary.csv")).get(1);
        assertThat(row).startsWith("porch,http://127.0.0.1:").contains(",true,");
        String[] cells = row.split(",");
        assertThat(Integer.parseInt(cells[SummaryCsv.COLUMNS.indexOf("reconnects")])).isGreaterThanOrEqualTo(2);
        assertThat(cells[SummaryCsv.COLUMNS.indexOf("frames_sampled")]).as("no frame read ahead of --max-frames").isEqualTo("12");
    }

    @Test
    void aLiveCameraThatStallsGetsASilentAlertWhileItIsSilentAndItsResolutionWhenItSendsAgain() throws Exception {
        List<byte[]> jpegs = List.of(ImageEncoder.jpeg(TestScenes.photo(), 85), ImageEncoder.jpeg(TestScenes.panned(TestScenes.photo(), 30), 85));
        Path out = dir.resolve("out");
        CliRun r;
        try (MjpegServer camera = new MjpegServer(jpegs, 100, 3, 3000)) {
            r = analyze(out, "yard=" + camera.url(), "--max-frames", "6", "--set", "alerts.silent.after.ms=1000");
        }

        assertThat(r.code()).as("stderr:\n%s", r.err()).isZero();
        List<JsonNode> alerts = lines(out.resolve("alerts.jsonl"));
        assertValid(out.resolve("alerts.jsonl"), EventSchema.alertEvent());
        assertThat(alerts).extracting(a -> a.get("kind").asText() + "/" + a.get("state").asText()).containsExactly("silent/open",
                "silent/resolved");
        List<JsonNode> events = lines(out.resolve("events.jsonl"));
        assertThat(events).hasSize(6);
        // opened during the stall: after the third frame's capture, before the fourth's
        assertThat(alerts.get(0).get("ts").asLong()).isGreaterThan(events.get(2).get("capture_ts").asLong())
                .isLessThan(events.get(3).get("capture_ts").asLong());
    }

    @Test
    void anHlsPlaylistThatEndsIsReadOnceOnItsOwnTimeline() throws Exception {
        Path origin = Files.createDirectories(dir.resolve("origin"));
        ClipWriter.write(origin.resolve("seg0.ts"), "libopenh264", FPS, TestScenes.panThenFreeze(20, 0));
        Files.writeString(origin.resolve("index.m3u8"), String.join("\n", "#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:2",
                "#EXT-X-MEDIA-SEQUENCE:0", "#EXTINF:2.0,", "seg0.ts", "#EXT-X-ENDLIST", ""));
        Path out = dir.resolve("out");
        CliRun r;
        try (StaticHttpServer http = new StaticHttpServer(origin)) {
            r = analyze(out, "vod=" + http.url("index.m3u8"), "--start-time", "2026-01-01T00:00:00Z", "--frame-encoding", "jpeg");
        }

        assertThat(r.code()).as("stderr:\n%s", r.err()).isZero();
        List<JsonNode> events = lines(out.resolve("events.jsonl"));
        assertThat(events).extracting(e -> e.get("pts_ms").asLong()).containsExactlyElementsOf(range(0, 2000, 100));
        assertThat(events.get(0).get("capture_ts").asLong()).isEqualTo(1_767_225_600_000L);
        assertValid(out.resolve("events.jsonl"), EventSchema.scoreEvent());
        assertThat(Files.readAllLines(out.resolve("summary.csv")).get(1)).contains(",false,20,20,20,0,");
    }

    /** Without FFmpeg's interrupt callback the HLS demuxer would wait about half an hour for a next segment. */
    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aLiveHlsPlaylistIsLiveAndStopsPromptlyAtTheDurationWhileFfmpegWaitsForTheNextSegment() throws Exception {
        Path origin = Files.createDirectories(dir.resolve("origin"));
        ClipWriter.write(origin.resolve("seg0.ts"), "libopenh264", FPS, TestScenes.panThenFreeze(30, 0));
        // no #EXT-X-ENDLIST: a live playlist, reloaded for segments that never come
        Files.writeString(origin.resolve("live.m3u8"), String.join("\n", "#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:3",
                "#EXT-X-MEDIA-SEQUENCE:0", "#EXTINF:3.0,", "seg0.ts", ""));
        Path out = dir.resolve("out");
        CliRun r;
        long t0 = System.nanoTime();
        try (StaticHttpServer http = new StaticHttpServer(origin)) {
            r = analyze(out, "hls=" + http.url("live.m3u8"), "--duration", "8");
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;

        assertThat(r.code()).as("stderr:\n%s", r.err()).isZero();
        assertThat(seconds).as("seconds until analyze returned").isLessThan(60);
        assertThat(lines(out.resolve("events.jsonl"))).hasSizeBetween(1, 30);
        assertThat(Files.readAllLines(out.resolve("summary.csv")).get(1)).startsWith("hls,").contains(",true,");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void anMpegTsStreamOverUdpIsLive() throws Exception {
        Path out = dir.resolve("out");
        CliRun r;
        try (UdpCamera camera = new UdpCamera(TestScenes.panThenFreeze(20, 0), FPS)) {
            r = analyze(out, "mast=" + camera.url(), "--max-frames", "15");
        }

        assertThat(r.code()).as("stderr:\n%s", r.err()).isZero();
        List<JsonNode> events = lines(out.resolve("events.jsonl"));
        assertThat(events).hasSize(15).allSatisfy(e -> assertThat(e.get("width").asInt()).isEqualTo(TestScenes.WIDTH));
        assertThat(events).extracting(e -> e.get("pts_ms").asLong()).isSorted();
        assertValid(out.resolve("events.jsonl"), EventSchema.scoreEvent());
        assertThat(Files.readAllLines(out.resolve("summary.csv")).get(1)).startsWith("mast,udp://127.0.0.1:").contains(",true,");
    }

    @Test
    void aBrokenStillIsDeadLetteredByTheTopologyAndTheOthersAreScored() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("gate"));
        Files.write(folder.resolve("1.jpg"), ImageEncoder.jpeg(TestScenes.photo(), 90));
        Files.write(folder.resolve("2.jpg"), io.frameq.testing.Fixtures.corruptJpeg());
        Files.write(folder.resolve("3.jpg"), ImageEncoder.jpeg(TestScenes.panned(TestScenes.photo(), 50), 90));
        Path out = dir.resolve("out");

        CliRun r = analyze(out, folder.toString());

        assertThat(r.code()).as("stderr:\n%s", r.err()).isZero();
        assertThat(lines(out.resolve("events.jsonl"))).extracting(e -> e.get("seq").asLong()).containsExactly(0L, 2L);
        List<JsonNode> dead = lines(out.resolve("dead-letters.jsonl"));
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).get("stream").asText()).isEqualTo("gate");
        assertThat(dead.get(0).get("seq").asLong()).isEqualTo(1);
        assertThat(dead.get(0).get("stage").asText()).isEqualTo("decode");
        assertThat(dead.get(0).get("reason").asText()).isEqualTo("corrupt");
        String[] row = Files.readAllLines(out.resolve("summary.csv")).get(1).split(",");
        assertThat(row[SummaryCsv.COLUMNS.indexOf("events")]).isEqualTo("2");
        assertThat(row[SummaryCsv.COLUMNS.indexOf("dead_letters")]).isEqualTo("1");
    }

    @Test
    void badOptionValuesAreUsageErrors() {
        String clip = dir.toString(); // a folder that exists: only the option is wrong
        CliRun encoding = analyze(dir.resolve("a"), clip, "--frame-encoding", "png");
        CliRun start = analyze(dir.resolve("b"), clip, "--start-time", "yesterday");
        CliRun key = analyze(dir.resolve("c"), clip, "--set", "alerts.windw.ms=5");

        assertThat(encoding.code()).isEqualTo(2);
        assertThat(encoding.err()).contains("--frame-encoding: expected raw or jpeg, actual 'png'");
        assertThat(start.code()).isEqualTo(2);
        assertThat(start.err()).contains("--start-time", "'yesterday'");
        assertThat(key.code()).isEqualTo(2);
        assertThat(key.err()).contains("alerts.windw.ms", "did you mean 'alerts.window.ms'");
    }

    @Test
    void photosAreJudgedEachOnItsOwnAsScoreDoesUnlessTheFolderIsSaidToBeOneCamera() throws Exception {
        Path folder = dir.resolve("photos");
        Files.createDirectories(folder);
        RgbImage photo = TestScenes.photo();
        Files.write(folder.resolve("1-sharp.png"), ImageEncoder.png(photo));
        Files.write(folder.resolve("2-blurred.png"), ImageEncoder.png(io.frameq.testing.Images.boxBlur(photo, 5, 3)));

        CliRun alone = analyze(dir.resolve("alone"), folder.toString());
        CliRun camera = analyze(dir.resolve("camera"), folder.toString(), "--stills-as-camera");

        assertThat(alone.code()).as("stderr:\n%s", alone.err()).isZero();
        assertThat(camera.code()).as("stderr:\n%s", camera.err()).isZero();
        JsonNode blurredAlone = lines(dir.resolve("alone/events.jsonl")).get(1);
        JsonNode blurredAsCamera = lines(dir.resolve("camera/events.jsonl")).get(1);
        assertThat(blurredAlone.get("degradations").toString()).as("a photo, judged as `score` judges it").contains("\"blur\"");
        assertThat(blurredAsCamera.get("degradations").toString()).as("a camera's second frame: still learning its normal")
                .doesNotContain("\"blur\"");
    }

    @Test
    void aMissingSourceIsAUsageErrorNamingIt() {
        CliRun r = analyze(dir.resolve("out"), dir.resolve("nope.mp4").toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("nope.mp4", "no such file");
    }

    static CliRun analyze(Path out, String... args) {
        List<String> all = new ArrayList<>(List.of("analyze", "--out", out.toString()));
        all.addAll(List.of(CliRun.TINY_MODEL));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }

    static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(l));
        }
        return out;
    }

    static JsonNode readJson(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void assertValid(Path jsonl, EventSchema schema) throws IOException {
        try (Stream<String> ls = Files.lines(jsonl)) {
            ls.forEach(l -> assertThat(schema.violations(l.getBytes(StandardCharsets.UTF_8))).as(l).isEmpty());
        }
    }

    private static List<Long> range(long from, long to, long step) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i < to; i += step) {
            out.add(i);
        }
        return out;
    }
}
