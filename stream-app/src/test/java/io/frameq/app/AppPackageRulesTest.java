package io.frameq.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import io.frameq.testing.SourceImports;

import org.junit.jupiter.api.Test;

/**
 * The app's side of the package rules of ARCHITECTURE.md, on the import lines of stream-app's main
 * sources. A broken rule fails with every offending file, line and import.
 */
class AppPackageRulesTest {

    private static final SourceImports MAIN = SourceImports.of(Path.of("src/main/java"));

    /** Where the Prometheus registry is created and served (runtime) or read back (demo, bench). */
    private static final Set<String> REGISTRY_PACKAGES = Set.of("io.frameq.app.runtime", "io.frameq.app.demo",
            "io.frameq.app.bench");

    @Test
    void theAppRunsModelsOnlyThroughTheOnnxPackage() {
        check("nothing in stream-app imports ai.onnxruntime", MAIN.violations("ai.onnxruntime", pkg -> false));
    }

    @Test
    void prometheusStaysWithTheRuntimeThatServesIt() {
        check("io.prometheus only in " + REGISTRY_PACKAGES, MAIN.violations("io.prometheus", REGISTRY_PACKAGES::contains));
    }

    @Test
    void theEmbeddedBrokerKnowsNothingOfFrameq() {
        check("io.frameq.app.broker imports no other io.frameq package",
                MAIN.violations("io.frameq.", pkg -> !pkg.equals("io.frameq.app.broker")));
    }

    @Test
    void fileCommandsDoNotReachIntoTheDemoOrTheBenchmark() {
        check("io.frameq.app.cli imports neither io.frameq.app.demo nor io.frameq.app.bench",
                java.util.stream.Stream.concat(
                        MAIN.violations("io.frameq.app.demo", pkg -> !pkg.equals("io.frameq.app.cli")).stream(),
                        MAIN.violations("io.frameq.app.bench", pkg -> !pkg.equals("io.frameq.app.cli")).stream()).toList());
    }

    private static void check(String rule, List<SourceImports.Use> violations) {
        String report = SourceImports.report(rule, violations);
        assertThat(report).as("package rules").withFailMessage("%s", report).isNull();
    }
}
