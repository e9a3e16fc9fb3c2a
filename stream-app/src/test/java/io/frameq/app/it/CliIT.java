package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.app.FrameqCli;
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

        Run r = run("score", jpeg.toString(), png.toString(), broken.toString());

        assertThat(r.code).isEqualTo(1);
        List<JsonNode> lines = r.out.lines().map(CliIT::read).toList();
        assertThat(lines).hasSize(3);
        for (JsonNode l : lines.subList(0, 2)) {
            assertThat(l.get("model").asText()).isEqualTo("maniqa-lite");
            assertThat(l.get("score").isNumber()).isTrue();
            assertThat(l.get("quality").asDouble()).isBetween(0.0, 1.0);
            assertThat(l.has("trained")).isTrue();
            assertThat(l.get("detectors").get("sharpness").asDouble()).isPositive();
        }
        assertThat(lines.get(0).get("file").asText()).isEqualTo(jpeg.toString());
        assertThat(lines.get(2).get("file").asText()).isEqualTo(broken.toString());
        assertThat(lines.get(2).get("error").asText()).isNotBlank();
    }

    @Test
    void modelsListsTheBundledModelWithItsChecksum() {
        Run r = run("models");
        assertThat(r.code).isZero();
        assertThat(r.out).containsPattern("maniqa-lite v[0-9]+").containsPattern("sha256\\s+[0-9a-f]{64}").contains("input    image");
        assertThat(r.out).contains("vtamiq-lite v2  [fr-iqa, vtamiq/lite]").contains("input    scales       int64 [-1, -1, 2]")
                .contains("crop     patches 16x16, 256 patches over up to 5 scales, halton sampling, layout BNCHW");
    }

    @Test
    void modelsJsonPrintsEachModelJsonOnOneLine() {
        Run r = run("models", "--json");
        assertThat(r.code).isZero();
        List<JsonNode> lines = r.out.lines().map(CliIT::read).toList();
        assertThat(lines).extracting(l -> l.get("name").asText()).contains("maniqa-lite", "vtamiq-lite");
        JsonNode vtamiq = lines.stream().filter(l -> l.get("name").asText().equals("vtamiq-lite")).findFirst().orElseThrow();
        assertThat(vtamiq.get("preprocess").get("layout").asText()).isEqualTo("BNCHW");
        assertThat(vtamiq.get("source").asText()).endsWith("frameq/models/vtamiq-lite/model.json");
    }

    @Test
    void scoreWithARefScoresEachImageAgainstItWithTheFullReferenceModel() throws Exception {
        Path ref = Files.write(dir.resolve("coffee.png"), Fixtures.coffeePng());
        Path other = Files.write(dir.resolve("chelsea.jpg"), Fixtures.chelseaJpeg());

        Run r = run("score", "--ref", ref.toString(), ref.toString(), other.toString());

        List<JsonNode> lines = r.out.lines().map(CliIT::read).toList();
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
        assertThat(r.code).isZero();
    }

    @Test
    void unknownConfigKeyStopsRunWithAPlainMessage() throws Exception {
        Path cfg = Files.writeString(dir.resolve("bad.properties"), "bootstrap.servers=localhost:1\ninput.topics=a\nmodel.nrr=x\n");
        Run r = run("run", "--config", cfg.toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("model.nrr").contains("did you mean 'model.nr'");
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = FrameqCli.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
