package io.frameq.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanner behind the package rules, on sources that break them (some could not even compile in operators). */
class SourceImportsTest {

    @TempDir
    Path root;

    @Test
    void reportsTheFileLineAndImportOfEveryViolation() throws IOException {
        write("io/frameq/processor/Bad.java", """
                package io.frameq.processor;

                import java.util.List;
                import ai.onnxruntime.OrtSession;
                import static io.frameq.app.FrameqCli.main;

                final class Bad {
                    io.prometheus.metrics.core.metrics.Counter counter; // a qualified use is a use too
                }
                """);
        write("io/frameq/onnx/Fine.java", """
                package io.frameq.onnx;

                import ai.onnxruntime.OrtSession;
                """);
        SourceImports sources = SourceImports.of(root);

        List<SourceImports.Use> onnx = sources.violations("ai.onnxruntime", pkg -> pkg.equals("io.frameq.onnx"));
        List<SourceImports.Use> app = sources.violations("io.frameq.app", pkg -> false);
        List<SourceImports.Use> prometheus = sources.violations("io.prometheus", pkg -> false);

        assertThat(onnx).singleElement().hasToString(Path.of("io/frameq/processor/Bad.java")
                + ":4 (package io.frameq.processor) uses ai.onnxruntime.OrtSession");
        assertThat(app).singleElement().satisfies(use -> {
            assertThat(use.line()).isEqualTo(5);
            assertThat(use.imported()).isEqualTo("io.frameq.app.FrameqCli.main");
        });
        assertThat(prometheus).singleElement().satisfies(use -> assertThat(use.line()).isEqualTo(8));
        assertThat(SourceImports.report("only io.frameq.onnx imports ai.onnxruntime", onnx))
                .startsWith("Package rule broken: only io.frameq.onnx imports ai.onnxruntime")
                .contains("Bad.java:4", "ai.onnxruntime.OrtSession");
    }

    @Test
    void commentsAndLongerNamesAreNotUses() throws IOException {
        write("io/frameq/processor/Quiet.java", """
                package io.frameq.processor;

                /** Unlike io.prometheus, this only talks about it. */
                final class Quiet {
                    // io.prometheus is not used here either
                    String name = "x" + my.io.prometheus.Thing.NAME;
                }
                """);
        assertThat(SourceImports.of(root).violations("io.prometheus", pkg -> false)).isEmpty();
        assertThat(SourceImports.report("any", List.of())).isNull();
    }

    @Test
    void aTreeWithoutSourcesIsAnErrorNotAPass() {
        assertThatThrownBy(() -> SourceImports.of(root)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Java sources");
    }

    private void write(String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
