package io.frameq.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Locations of the test model repository and helpers to make altered copies of it. */
public final class TestModels {

    /** Test repository root: tiny-nr, made by src/test/python/make_tiny_nr.py. */
    public static final Path REPO = Path.of("src/test/resources/onnx");
    /** The tiny stand-in's folder. */
    public static final Path TINY_NR = REPO.resolve("tiny-nr");
    /** Golden cases of the tiny model. */
    public static final Path TINY_GOLDEN = Path.of("src/test/resources/golden");
    /** The project's model repository and golden folders (repo-relative, seen from operators/). */
    public static final Path PROJECT_REPO = Path.of("../models/repository");
    public static final Path PROJECT_GOLDEN = Path.of("../models/golden");

    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TestModels() {}

    /** Copies the folder {@code model} (model.json + version folders) into {@code root}; returns the copy. */
    public static Path copyModel(Path model, Path root) {
        Path target = root.resolve(model.getFileName().toString());
        try (Stream<Path> files = Files.walk(model)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path dest = target.resolve(model.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** Reads model.json as a tree. */
    public static ObjectNode readJson(Path modelJson) {
        try {
            return (ObjectNode) JSON.readTree(modelJson.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tiny-nr model.json text with {@code edit} applied. */
    public static String tinyJson(Consumer<ObjectNode> edit) {
        ObjectNode n = readJson(TINY_NR.resolve("model.json"));
        edit.accept(n);
        try {
            return JSON.writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Classpath location of the shipped full-reference model's model.json (frameq-models test dependency). */
    public static final String VTAMIQ_JSON = "frameq/models/vtamiq-lite/model.json";

    /** The shipped vtamiq-lite model.json text (fr-iqa patch-set contract) with {@code edit} applied. */
    public static String vtamiqJson(Consumer<ObjectNode> edit) {
        try (java.io.InputStream in = TestModels.class.getClassLoader().getResourceAsStream(VTAMIQ_JSON)) {
            if (in == null) {
                throw new IllegalStateException(VTAMIQ_JSON + " is not on the test classpath (install the models module)");
            }
            ObjectNode n = (ObjectNode) JSON.readTree(in);
            edit.accept(n);
            return JSON.writeValueAsString(n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rewrites {@code modelJson} with {@code edit} applied. */
    public static void editJson(Path modelJson, Consumer<ObjectNode> edit) {
        ObjectNode n = readJson(modelJson);
        edit.accept(n);
        try {
            JSON.writeValue(modelJson.toFile(), n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
