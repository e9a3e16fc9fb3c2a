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
        assertThat(r.out).contains("maniqa-lite v1").containsPattern("sha256\\s+[0-9a-f]{64}").contains("input    image");
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
