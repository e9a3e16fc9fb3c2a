package io.frameq;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Dependency rules from ARCHITECTURE.md, checked on the sources. */
class ArchitectureRulesTest {

    private static final Path MAIN = Path.of("src/main/java");

    private static List<Path> sourcesImporting(String prefix) throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    return Files.readAllLines(p).stream().anyMatch(l -> l.startsWith("import " + prefix)
                            || l.startsWith("import static " + prefix));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
    }

    @Test
    void shouldImportOnnxRuntimeOnlyInTheOnnxPackage() throws IOException {
        assertThat(sourcesImporting("ai.onnxruntime"))
                .isNotEmpty()
                .allSatisfy(p -> assertThat(MAIN.relativize(p).toString()).startsWith("io/frameq/onnx/"));
    }

    @Test
    void shouldKeepTranslatorsFreeOfExecution() throws IOException {
        assertThat(sourcesImporting("io.frameq.onnx"))
                .allSatisfy(p -> assertThat(MAIN.relativize(p).toString()).doesNotStartWith("io/frameq/translate/")
                        .doesNotStartWith("io/frameq/model/"));
    }
}
