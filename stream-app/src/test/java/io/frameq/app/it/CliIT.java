package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.app.analyze.CliRun;
import io.frameq.testing.Fixtures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged commands as a user calls them (in-process, same entry point as the jar). */
class CliIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void scorePrintsOneJsonLinePerImageAndAnErrorLineForABrokenOne() throws Exception {
        Path jpeg = Files.write(dir.resolve("chelsea.jpg"), Fixtures.chelseaJpeg());
        Path png = Files.write(dir.resolve("coffee.png"), Fixtures.coffeePng());
        Path broken = Files.write(dir.resolve("broken.jpg"), Fixtures.corruptJpeg());

        CliRun r = run("score", jpeg.toString(), png.toString(), broken.toString());

        assertThat(r.code()).isEqualTo(1);
        List<JsonNode> lines = r.out().lines().map(CliIT::read).toList();
        assertThat(lines).hasSize(3);
        for (JsonNode l : lines.subList(0, 2)) {
            assertThat(l.get("model").asText()).isEqualTo("maniqa-lite");
            assertThat(l.get("score").isNumber()).isTrue();
            assertThat(l.get("quality").asDouble()).isBetween(0.0, 1.0);
            assertThat(l.has("trained")).isTrue();
            assertThat(l.get("detectors").get("sharpness").asDouble()).isPositive();
            assertThat(l.get("model_quality").asDouble()).isBetween(0.0, 1.0);
            assertThat(l.get("faults").isArray()).as("spatial diagnosis of a clean photo: present, empty").isTrue();
            assertThat(l.get("faults")).isEmpty();
            JsonNode map = l.get("model_map");
            assertThat(map.get("cols").asInt() * map.get("rows").asInt()).as("the fault grid")
                    .isEqualTo(map.get("score").size()).isEqualTo(map.get("weight").size()).isPositive();
            assertThat(map.get("worst_cells")).isNotEmpty();
        }
        assertThat(lines.get(0).get("file").asText()).isEqualTo(jpeg.toString());
        assertThat(lines.get(2).get("file").asText()).isEqualTo(broken.toString());
        assertThat(lines.get(2).get("error").asText()).isNotBlank();
    }

    @Test
    void scoreWithTheFaultHeadPrintsItsProbabilitiesAndFusesThem() throws Exception {
        Path png = Files.write(dir.resolve("coffee.png"), Fixtures.coffeePng());

        CliRun r = run("score", "--fault-head", "fault-head", png.toString());

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode l = read(r.out().strip());
        assertThat(l.get("fault_probabilities").size()).isEqualTo(8);
        assertThat(l.get("fault_probabilities").get("raindrops").asDouble()).isBetween(0.0, 1.0);
        assertThat(l.get("faults")).as("a clean photo gains no learned fault").isEmpty();
        assertThat(read(run("score", png.toString()).out().strip()).has("fault_probabilities"))
                .as("the rules alone by default").isFalse();
        assertThat(run("score", "--fault-head", "maniqa-lite", png.toString()).err()).contains("fault-head");
    }

    @Test
    void scoreOfADirectoryScoresEveryImageUnderItInPathOrder() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("photos"));
        Path nested = Files.createDirectories(photos.resolve("b-nested"));
        Path a = Files.write(photos.resolve("a.jpg"), Fixtures.chelseaJpeg());
        Path c = Files.write(photos.resolve("c.PNG"), Fixtures.coffeePng());
        Path b = Files.write(nested.resolve("deep.jpg"), Fixtures.chelseaJpeg());
        Files.writeString(photos.resolve("README.txt"), "not an image: a directory walk skips it");
        Files.createDirectories(photos.resolve(".thumbs"));
        Files.write(photos.resolve(".thumbs").resolve("hidden.jpg"), Fixtures.chelseaJpeg());

        CliRun r = run("score", photos.toString());

        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> lines = r.out().lines().map(CliIT::read).toList();
        assertThat(lines).extracting(l -> l.get("file").asText()).containsExactly(a.toString(), b.toString(), c.toString());
        assertThat(lines).allSatisfy(l -> assertThat(l.get("quality").asDouble()).isBetween(0.0, 1.0));
    }

    @Test
    void scoreReadsAListFileAndKeepsGoingPastAMissingOne() throws Exception {
        Path jpeg = Files.write(dir.resolve("chelsea.jpg"), Fixtures.chelseaJpeg());
        Path png = Files.write(dir.resolve("coffee.png"), Fixtures.coffeePng());
        Path missing = dir.resolve("gone.jpg");
        Path list = Files.writeString(dir.resolve("list.txt"),
                "# frames to check\n" + png + "\n\n" + missing + "\n" + jpeg + "\n");

        CliRun r = run("score", "--files-from", list.toString());

        assertThat(r.code()).isEqualTo(1);
        List<JsonNode> lines = r.out().lines().map(CliIT::read).toList();
        assertThat(lines).extracting(l -> l.get("file").asText()).containsExactly(png.toString(), missing.toString(), jpeg.toString());
        assertThat(lines.get(1).get("error").asText()).contains("gone.jpg");
        assertThat(lines.get(2).get("quality").asDouble()).isBetween(0.0, 1.0);
        assertThat(run("score").code()).as("no input at all is a usage error").isEqualTo(2);
    }

    @Test
    void modelsListsTheBundledModelWithItsChecksum() {
        CliRun r = run("models");
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("maniqa-lite v[0-9]+").containsPattern("sha256\\s+[0-9a-f]{64}").contains("input    image");
        assertThat(r.out()).contains("vtamiq-lite v4  [fr-iqa, vtamiq/lite]").contains("input    scales       int64 [-1, -1, 2]")
                .contains("crop     patches 16x16, 256 patches over up to 5 scales, caps sampling, layout BNCHW");
    }

    @Test
    void modelsJsonPrintsEachModelJsonOnOneLine() {
        CliRun r = run("models", "--json");
        assertThat(r.code()).isZero();
        List<JsonNode> lines = r.out().lines().map(CliIT::read).toList();
        assertThat(lines).extracting(l -> l.get("name").asText()).contains("maniqa-lite", "vtamiq-lite");
        JsonNode vtamiq = lines.stream().filter(l -> l.get("name").asText().equals("vtamiq-lite")).findFirst().orElseThrow();
        assertThat(vtamiq.get("preprocess").get("layout").asText()).isEqualTo("BNCHW");
        assertThat(vtamiq.get("source").asText()).endsWith("frameq/models/vtamiq-lite/model.json");
    }

    @Test
    void scoreWithARefScoresEachImageAgainstItWithTheFullReferenceModel() throws Exception {
        Path ref = Files.write(dir.resolve("coffee.png"), Fixtures.coffeePng());
        Path other = Files.write(dir.resolve("chelsea.jpg"), Fixtures.chelseaJpeg());

        CliRun r = run("score", "--ref", ref.toString(), ref.toString(), other.toString());

        List<JsonNode> lines = r.out().lines().map(CliIT::read).toList();
        assertThat(lines).hasSize(2);
        JsonNode same = lines.get(0);
        assertThat(same.get("model").asText()).isEqualTo("vtamiq-lite");
        assertThat(same.get("ref").asText()).isEqualTo(ref.toString());
        assertThat(same.get("score").isNumber()).isTrue();
        assertThat(same.get("quality").asDouble()).isBetween(0.0, 1.0);
        assertThat(same.get("ssim").asDouble()).isEqualTo(1.0);
        assertThat(same.get("psnr").isNull()).isTrue();
        JsonNode other451x300 = lines.get(1); // same aspect ratio as the 400x267 reference within 2 %: resized to it
        assertThat(other451x300.get("resized").asBoolean()).isTrue();
        assertThat(other451x300.get("ssim").asDouble()).isLessThan(1.0);
        assertThat(other451x300.get("psnr").asDouble()).isPositive();
        assertThat(r.code()).isZero();
    }

    @Test
    void restoreWritesOutAtTheSizeOfInWithScoresBeforeAndAfterAndASideBySide() throws Exception {
        Path in = Files.write(dir.resolve("chelsea.jpg"), Fixtures.chelseaJpeg()); // 451 x 300
        Path out = dir.resolve("restored.png");
        Path sbs = dir.resolve("before-after.png");

        CliRun r = run("restore", "--model", "lpienet-lite", "--tile", "256", "--overlap", "32", "--side-by-side", sbs.toString(),
                in.toString(), out.toString());

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode l = read(r.out().strip());
        java.awt.image.BufferedImage restored = javax.imageio.ImageIO.read(out.toFile());
        assertThat(restored.getWidth()).isEqualTo(451);
        assertThat(restored.getHeight()).isEqualTo(300);
        assertThat(l.get("model").asText()).isEqualTo("lpienet-lite");
        assertThat(l.get("scorer").asText()).isEqualTo("maniqa-lite");
        assertThat(l.get("quality_before").asDouble()).isBetween(0.0, 1.0);
        assertThat(l.get("quality_after").asDouble()).isBetween(0.0, 1.0);
        assertThat(l.get("gain").asDouble()).isCloseTo(l.get("quality_after").asDouble() - l.get("quality_before").asDouble(),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(l.get("score_before").isNumber()).isTrue();
        assertThat(l.get("restore_ms").asDouble()).isPositive();
        // 451 x 300 at tile 256: columns start at 0 and 195, rows at 0 and 44
        assertThat(l.get("tiles").asInt()).isEqualTo(4);
        assertThat(l.get("max_tensor_elements").asLong()).isEqualTo(3L * 256 * 256);
        java.awt.image.BufferedImage pair = javax.imageio.ImageIO.read(sbs.toFile());
        assertThat(pair.getWidth()).isEqualTo(451 + 8 + 451);
        assertThat(pair.getHeight()).isEqualTo(22 + 300);

        CliRun wrong = run("restore", "--model", "maniqa-lite", in.toString(), out.toString());
        assertThat(wrong.code()).isEqualTo(2);
        assertThat(wrong.err()).contains("maniqa-lite").contains("not a restorer").contains("lpienet-lite");
    }

    @Test
    void scoreWithARefWritesOneSideBySidePerImage() throws Exception {
        Path ref = Files.write(dir.resolve("coffee.png"), Fixtures.coffeePng());
        Path other = Files.write(dir.resolve("chelsea.jpg"), Fixtures.chelseaJpeg());
        Path sbs = dir.resolve("pair.jpg");

        CliRun r = run("score", "--ref", ref.toString(), "--side-by-side", sbs.toString(), ref.toString(), other.toString());

        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> lines = r.out().lines().map(CliIT::read).toList();
        assertThat(lines.get(1).get("side_by_side").asText()).isEqualTo(dir.resolve("pair-2.jpg").toString());
        java.awt.image.BufferedImage pair = javax.imageio.ImageIO.read(dir.resolve("pair-2.jpg").toFile());
        java.awt.image.BufferedImage refImg = javax.imageio.ImageIO.read(ref.toFile());
        assertThat(pair.getWidth()).isEqualTo(2 * refImg.getWidth() + 8); // the rendition is shown on the reference grid
        assertThat(Files.exists(dir.resolve("pair-1.jpg"))).isTrue();
        assertThat(run("score", "--side-by-side", sbs.toString(), ref.toString()).code()).isEqualTo(2);
    }

    @Test
    void unknownConfigKeyStopsRunWithAPlainMessage() throws Exception {
        Path cfg = Files.writeString(dir.resolve("bad.properties"), "bootstrap.servers=localhost:1\ninput.topics=a\nmodel.nrr=x\n");
        CliRun r = run("run", "--config", cfg.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("model.nrr").contains("did you mean 'model.nr'");
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
