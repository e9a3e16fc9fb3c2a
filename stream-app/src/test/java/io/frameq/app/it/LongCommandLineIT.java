package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.testing.Fixtures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards against the ONNX Runtime 1.29.0 fault that killed the JVM with SIGSEGV inside
 * {@code OrtEnvironment.getEnvironment()} once {@code /proc/self/cmdline} passed about 4 KB, with no output and
 * no hs_err file. An application that embeds FrameQ has a classpath longer than that, and {@code frameq score
 * dir/*.jpg} on a real folder has such a command line too.
 *
 * <p>This starts the packaged jar the way an embedding application starts: a separate JVM, a long {@code -cp}
 * (the jar plus many real library folders with long names, as a build tool writes them) and many long image
 * paths as arguments, more than 16 KB in all. It must score every image through the real model. Set the pom
 * back to 1.29.0 ({@code -Donnxruntime.version=1.29.0}) and this test fails with exit code 139.
 */
class LongCommandLineIT {

    private static final int MIN_COMMAND_LINE_BYTES = 16 * 1024;
    private static final int IMAGES = 72;
    private static final int CLASSPATH_FOLDERS = 80;

    @TempDir
    Path dir;

    @Test
    void aJvmWithACommandLineOver16KbScoresEveryImageThroughTheRealModel() throws Exception {
        Path jar = Path.of("target", "frameq.jar").toAbsolutePath();
        assertThat(jar).as("run `mvn verify` (the IT needs the packaged frameq.jar)").exists();

        List<String> classpath = new ArrayList<>(List.of(jar.toString()));
        Path libs = Files.createDirectories(dir.resolve("embedding-application").resolve("lib"));
        for (int i = 0; i < CLASSPATH_FOLDERS; i++) {
            classpath.add(Files.createDirectories(libs.resolve(
                    String.format("org.example.media.pipeline-component-%03d-1.4.2-with-a-long-artifact-name", i))).toString());
        }
        Path images = Files.createDirectories(dir.resolve("recordings").resolve("site-a").resolve("camera-entrance-north"));
        List<String> files = new ArrayList<>();
        byte[] jpeg = Fixtures.chelseaJpeg();
        for (int i = 0; i < IMAGES; i++) {
            files.add(Files.write(images.resolve(String.format("frame-%05d-captured-2026-12-07T01-20-00Z-by-the-entrance-camera.jpg", i)),
                    jpeg).toString());
        }

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", String.join(File.pathSeparator, classpath),
                "io.frameq.app.FrameqCli", "score"));
        cmd.addAll(files);
        int commandLineBytes = cmd.stream().mapToInt(a -> a.getBytes(StandardCharsets.UTF_8).length + 1).sum();
        assertThat(commandLineBytes).as("the command line this test builds").isGreaterThanOrEqualTo(MIN_COMMAND_LINE_BYTES);

        Path out = dir.resolve("stdout.jsonl");
        Path err = dir.resolve("stderr.log");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        boolean exited = p.waitFor(5, TimeUnit.MINUTES);
        if (!exited) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(exited).as("frameq score with a %d-byte command line finished within 5 minutes", commandLineBytes).isTrue();
        assertThat(p.exitValue()).as("exit code (139 = SIGSEGV); stderr: %s", Files.readString(err)).isZero();

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            lines.add(json.readTree(line));
        }
        assertThat(lines).extracting(l -> l.get("file").asText()).containsExactlyElementsOf(files);
        assertThat(lines).allSatisfy(l -> {
            assertThat(l.get("model").asText()).isEqualTo("maniqa-lite");
            assertThat(l.get("quality").asDouble()).isBetween(0.0, 1.0);
        });
    }
}
