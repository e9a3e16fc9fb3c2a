package io.frameq.app.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frameq.app.config.FrameqConfig;
import io.frameq.model.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application refuses to start on a broken model (issue 22): a corrupted ONNX file or a
 * model.json whose contract differs from the graph stops {@code FrameqRuntime.open} before any
 * Kafka client exists, with a message naming the model and the field. The models are real copies of
 * the bundled maniqa-lite, altered on disk.
 */
class ModelRefusalTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path BUNDLED = Path.of("../models/repository/maniqa-lite");

    @TempDir
    Path repo;

    private Path copy() throws IOException {
        Path target = repo.resolve("maniqa-lite");
        try (Stream<Path> files = Files.walk(BUNDLED)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path dest = target.resolve(BUNDLED.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
        return target;
    }

    private FrameqConfig config() {
        // the broker is never reached: models open first, and a broken one ends start-up there
        return FrameqConfig.of(Map.of(FrameqConfig.INPUT_TOPICS, "frames", FrameqConfig.BOOTSTRAP_SERVERS, "127.0.0.1:1",
                FrameqConfig.MODEL_REPOSITORY, repo.toString(), FrameqConfig.METRICS_PORT, "-1",
                FrameqConfig.STATE_DIR, repo.resolve("state").toString()));
    }

    private static ObjectNode json(Path modelJson) throws IOException {
        return (ObjectNode) JSON.readTree(modelJson.toFile());
    }

    @Test
    void aCorruptedOnnxFileRefusesToStartNamingModelAndChecksum() throws Exception {
        Path model = copy();
        ObjectNode d = json(model.resolve("model.json"));
        Path onnx = model.resolve(d.get("version").asText()).resolve(d.get("file").asText());
        byte[] bytes = Files.readAllBytes(onnx);
        for (int i = bytes.length / 3; i < bytes.length / 3 + 64; i++) {
            bytes[i] ^= 0x5A; // damage in the middle of the weights, as a bad disk or a cut download would
        }
        Files.write(onnx, bytes);

        assertThatThrownBy(() -> FrameqRuntime.open(config()).close()).isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("model 'maniqa-lite': field 'sha256': expected ");
    }

    @Test
    void aCorruptedOnnxFileWithAMatchingChecksumRefusesToStartNamingTheModel() throws Exception {
        Path model = copy();
        ObjectNode d = json(model.resolve("model.json"));
        Path onnx = model.resolve(d.get("version").asText()).resolve(d.get("file").asText());
        byte[] bytes = Files.readAllBytes(onnx);
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length / 2); // a truncated protobuf
        Files.write(onnx, cut);
        // re-signed, so the checksum passes and ONNX Runtime itself must refuse the graph
        d.put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cut)));
        Files.writeString(model.resolve("model.json"), JSON.writeValueAsString(d));

        assertThatThrownBy(() -> FrameqRuntime.open(config()).close()).isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("model 'maniqa-lite': ").hasMessageContaining("ONNX Runtime session");
    }

    @Test
    void aContractThatDiffersFromTheGraphRefusesToStartNamingModelAndField() throws Exception {
        Path model = copy();
        ObjectNode d = json(model.resolve("model.json"));
        // a contract model.json declares consistently, but the graph does not have: 16x16 maps instead of 14x14
        ArrayNode shape = (ArrayNode) d.get("outputs").get(1).get("shape");
        shape.set(1, 16);
        shape.set(2, 16);
        Files.writeString(model.resolve("model.json"), JSON.writeValueAsString(d));

        assertThatThrownBy(() -> FrameqRuntime.open(config()).close()).isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("model 'maniqa-lite': field 'outputs[1].shape': expected [-1, 16, 16] (model.json), "
                        + "actual [-1, 14, 14]");
    }
}
