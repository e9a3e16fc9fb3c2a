package io.frameq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

import io.frameq.testing.SourceImports;
import io.frameq.testing.SourceImports.Use;

import org.junit.jupiter.api.Test;

/**
 * The dependency rules of ARCHITECTURE.md ("Package rules"), checked on the import lines of the
 * operators' main sources. A broken rule fails with every offending file, line and import.
 */
class PackageRulesTest {

    private static final SourceImports MAIN = SourceImports.of(Path.of("src/main/java"));

    @Test
    void onlyTheOnnxPackageImportsOnnxRuntime() {
        check("only io.frameq.onnx imports ai.onnxruntime", MAIN.violations("ai.onnxruntime", in("io.frameq.onnx")));
    }

    @Test
    void onlyTheMetricsPackageImportsPrometheus() {
        check("only io.frameq.metrics imports io.prometheus", MAIN.violations("io.prometheus", in("io.frameq.metrics")));
    }

    @Test
    void theLibraryNeverImportsTheApp() {
        check("nothing in operators imports io.frameq.app", MAIN.violations("io.frameq.app", pkg -> false));
    }

    @Test
    void processorsSeeNeitherOnnxRuntimeNorPrometheus() {
        Predicate<String> notProcessor = pkg -> !pkg.equals("io.frameq.processor");
        check("io.frameq.processor imports neither ai.onnxruntime nor io.prometheus",
                concat(MAIN.violations("ai.onnxruntime", notProcessor), MAIN.violations("io.prometheus", notProcessor)));
    }

    @Test
    void theEmbeddingApiAndTheScoringDomainNeedNeitherOnnxRuntimeNorPrometheus() {
        // an embedding brings its own scorer and metrics binding: the API must not pull either in
        Predicate<String> notApi = pkg -> !pkg.equals("io.frameq.api") && !pkg.equals("io.frameq.scoring");
        check("io.frameq.api and io.frameq.scoring import neither ai.onnxruntime nor io.prometheus",
                concat(MAIN.violations("ai.onnxruntime", notApi), MAIN.violations("io.prometheus", notApi)));
    }

    @Test
    void theScoringDomainRunsWithoutKafkaStreams() {
        check("io.frameq.scoring never imports org.apache.kafka.streams",
                MAIN.violations("org.apache.kafka.streams", pkg -> !pkg.equals("io.frameq.scoring")));
    }

    @Test
    void translatorsAndTheModelContractRunNoModel() {
        check("io.frameq.translate and io.frameq.model never import io.frameq.onnx",
                MAIN.violations("io.frameq.onnx", pkg -> !pkg.equals("io.frameq.translate") && !pkg.equals("io.frameq.model")));
    }

    @Test
    void theErrorsPackageDependsOnNoOtherFrameqPackage() {
        check("io.frameq.errors imports no other io.frameq package (every package may use it)",
                MAIN.violations("io.frameq.", pkg -> !pkg.equals("io.frameq.errors")).stream()
                        .filter(use -> !use.imported().startsWith("io.frameq.errors.")).toList());
    }

    @Test
    void theDeadlinePackageDependsOnlyOnErrors() {
        // frame, onnx, quality and processor all use it: it must not depend back on any of them
        check("io.frameq.deadline imports no io.frameq package but io.frameq.errors",
                MAIN.violations("io.frameq.", pkg -> !pkg.equals("io.frameq.deadline")).stream()
                        .filter(use -> !use.imported().startsWith("io.frameq.errors.")
                                && !use.imported().startsWith("io.frameq.deadline.")).toList());
    }

    @Test
    void theRulesSeeImportsAtAll() {
        // A scanner that silently read nothing would pass every rule above.
        assertThat(MAIN.violations("ai.onnxruntime", pkg -> false)).as("ai.onnxruntime imports of io.frameq.onnx")
                .isNotEmpty()
                .allSatisfy(use -> assertThat(use.packageName()).isEqualTo("io.frameq.onnx"));
        assertThat(MAIN.violations("io.prometheus", pkg -> false)).as("io.prometheus imports of io.frameq.metrics").isNotEmpty();
    }

    static Predicate<String> in(String allowedPackage) {
        return pkg -> pkg.equals(allowedPackage) || pkg.startsWith(allowedPackage + ".");
    }

    private static List<Use> concat(List<Use> a, List<Use> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    private static void check(String rule, List<Use> violations) {
        String report = SourceImports.report(rule, violations);
        assertThat(report).as("package rules").withFailMessage("%s", report).isNull();
    }
}
