package io.frameq.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.frameq.frame.RgbImage;
import io.frameq.model.ModelLoadException;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.quality.FaultClassifier;
import io.frameq.testing.Images;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules fused with the bundled {@code fault-head} model (real ONNX Runtime, the committed model files) on the
 * committed photos and on faults rendered from them at test time ({@link CameraFaults}, {@link Degrade}).
 */
class LearnedFaultsTest {

    private static OrtRuntime runtime;
    private static FaultClassifier classifier;
    private static LearnedFaults learned;
    private final DetectorSuite suite = new DetectorSuite();

    @BeforeAll
    static void open() {
        runtime = OrtRuntime.create(ExecutionConfig.cpu().withThreads(1, 1));
        classifier = FaultClassifier.open(ModelRepository.bundled(), FaultClassifier.DEFAULT_MODEL, runtime);
        learned = new LearnedFaults(classifier.classes());
    }

    @AfterAll
    static void close() {
        classifier.close();
        runtime.close();
    }

    private DetectorReport fused(RgbImage img) {
        return learned.fuse(suite.analyze(img, null), classifier.classify(img));
    }

    private static List<FaultType> types(DetectorReport r) {
        return r.faults().stream().map(Fault::type).toList();
    }

    @Test
    void theBundledModelNamesFaultTypes() {
        assertThat(learned.classes()).contains(FaultType.RAINDROPS, FaultType.SOILED, FaultType.LOW_VISIBILITY,
                FaultType.DEFOCUSED, FaultType.DARK, FaultType.OVEREXPOSED);
        Map<String, Double> p = classifier.classify(Images.resource("/detect/coffee.png"));
        assertThat(p.keySet()).containsExactlyElementsOf(classifier.classes());
        assertThat(p.values()).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
    }

    @Test
    void cleanPhotosGainNoLearnedFault() {
        for (String name : List.of("/detect/coffee.png", "/detect/chelsea.png", "/detect/rocket.png")) {
            RgbImage img = Images.resource(name);
            DetectorReport rules = suite.analyze(img, null);
            assertThat(types(learned.fuse(rules, classifier.classify(img)))).as(name).isEqualTo(types(rules));
        }
    }

    @Test
    void anUnderExposedFrameReadsDark() {
        RgbImage img = CameraFaults.map(Images.resource("/detect/coffee.png"), (x, y, c, v) -> v * 0.07);
        DetectorReport r = fused(img);
        assertThat(types(r)).contains(FaultType.DARK);
        assertThat(r.flags()).contains(Degradation.DARK);
    }

    @Test
    void aDefocusedFrameReadsDefocused() {
        RgbImage img = Degrade.gaussianBlur(Images.resource("/detect/chelsea.png"), 6);
        assertThat(types(fused(img))).contains(FaultType.DEFOCUSED);
    }

    @Test
    void aFoggedFrameReadsLowVisibility() {
        RgbImage img = CameraFaults.veil(Images.resource("/detect/coffee.png"), 0.7, 215);
        assertThat(types(fused(img))).contains(FaultType.LOW_VISIBILITY);
    }

    @Test
    void aFaultTheRulesFoundKeepsItsCellsAndTheLargerConfidence() {
        RgbImage img = CameraFaults.map(Images.resource("/detect/coffee.png"), (x, y, c, v) -> v * 0.12);
        DetectorReport rules = suite.analyze(img, null);
        Fault rule = rules.fault(FaultType.DARK).orElseThrow();
        Map<String, Double> p = new HashMap<>();
        classifier.classes().forEach(c -> p.put(c, 0.1));
        p.put("dark", 0.99);
        p.put("raindrops", 0.8);
        DetectorReport r = learned.fuse(rules, p);
        Fault dark = r.fault(FaultType.DARK).orElseThrow();
        assertThat(dark.cells()).isEqualTo(rule.cells());
        assertThat(dark.confidence()).isEqualTo(Math.max(0.99, rule.confidence()));
        Fault drops = r.fault(FaultType.RAINDROPS).orElseThrow();
        assertThat(drops.confidence()).isEqualTo(0.8);
        assertThat(drops.cells()).hasSize(rules.cells().size()); // the classifier judges the whole frame
        assertThat(r.flags()).contains(Degradation.RAINDROPS, Degradation.DARK);
        assertThat(types(r)).isSorted();
    }

    @Test
    void probabilitiesAtOrBelowTheDecisionChangeNothing() {
        DetectorReport rules = suite.analyze(Images.resource("/detect/chelsea.png"), null);
        Map<String, Double> p = new HashMap<>();
        classifier.classes().forEach(c -> p.put(c, LearnedFaults.DECIDE_ABOVE));
        assertThat(learned.fuse(rules, p)).isSameAs(rules);
    }

    @Test
    void aBlackFrameStaysUndiagnosed() {
        RgbImage black = CameraFaults.map(Images.resource("/detect/chelsea.png"), (x, y, c, v) -> 0);
        DetectorReport rules = suite.analyze(black, null);
        assertThat(rules.flags()).contains(Degradation.BLACK);
        assertThat(learned.fuse(rules, classifier.classify(black))).isSameAs(rules);
    }

    @Test
    void badClassesAndProbabilitiesAreRefusedByName() {
        assertThatThrownBy(() -> new LearnedFaults(List.of("dark", "smudge", "ir_mode")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[smudge, ir_mode]");
        DetectorReport rules = suite.analyze(Images.resource("/detect/chelsea.png"), null);
        Map<String, Double> p = new HashMap<>();
        classifier.classes().forEach(c -> p.put(c, 0.2));
        p.put("glare", 1.5);
        assertThatThrownBy(() -> learned.fuse(rules, p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'glare'").hasMessageContaining("1.5");
        p.remove("glare");
        assertThatThrownBy(() -> learned.fuse(rules, p)).hasMessageContaining("'glare'").hasMessageContaining("null");
    }

    @Test
    void theClassifierRefusesAModelOfAnotherFamily() {
        assertThatThrownBy(() -> FaultClassifier.open(ModelRepository.bundled(), "maniqa-lite", runtime))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("family").hasMessageContaining("fault-head");
    }
}
