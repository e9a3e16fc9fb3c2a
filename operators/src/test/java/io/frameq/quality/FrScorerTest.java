package io.frameq.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.frameq.frame.RgbImage;
import io.frameq.model.ModelLoadException;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.testing.Images;
import io.frameq.translate.BilinearResampler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bundled vtamiq-lite on real photos (CC0, {@code src/test/resources/detect/}). Its weights are
 * only briefly trained (v2: 564 CPU steps, per-type ranking unreliable; models/EVAL.md), so only what
 * must hold for any weights is asserted: shapes and
 * provenance, finite scores and qualities in [0, 1], determinism, thread safety, and that an
 * identical pair scores the model's value for a zero feature difference whatever the photo (VTAMIQ
 * compares CLS_ref - CLS_dist of one shared encoder). Never that blur scores worse.
 */
@org.junit.jupiter.api.Tag("slow")
class FrScorerTest {

    private static OrtRuntime runtime;
    private static FrScorer scorer;
    private static RgbImage coffee;
    private static RgbImage chelsea;
    private static RgbImage coffeeBlurred;

    @BeforeAll
    static void open() {
        runtime = OrtRuntime.create(ExecutionConfig.cpu().withThreads(2, 1));
        scorer = FrScorer.open(ModelRepository.bundled(), "vtamiq-lite", runtime);
        coffee = Images.resource("/detect/coffee.png");
        chelsea = Images.resource("/detect/chelsea.png");
        coffeeBlurred = Images.boxBlur(coffee, 4, 3);
    }

    @AfterAll
    static void close() {
        scorer.close();
        runtime.close();
    }

    @Test
    void shouldScoreAPairWithProvenanceAndStageTimes() {
        FrScore s = scorer.score(coffee, coffee);

        assertThat(s.model()).isEqualTo("vtamiq-lite");
        assertThat(s.version()).isEqualTo(4);
        assertThat(s.trained()).isTrue();
        assertThat(s.patches()).isEqualTo(256);
        assertThat(s.resized()).isFalse();
        assertThat(s.score()).isFinite();
        assertThat(s.quality()).isBetween(0.0, 1.0);
        assertThat(s.preprocessNanos()).isPositive();
        assertThat(s.inferenceNanos()).isPositive();
        assertThat(s.postprocessNanos()).isPositive();
        assertThat(s.totalNanos()).isEqualTo(s.preprocessNanos() + s.inferenceNanos() + s.postprocessNanos());
        assertThat(scorer.descriptor().family().wire()).isEqualTo("fr-iqa");
        assertThat(scorer.activeProvider()).isEqualTo("cpu");
    }

    @Test
    void shouldScoreIdenticalAndHeavilyBlurredPairsDeterministically() {
        FrScore identical = scorer.score(coffee, coffee);
        FrScore blurred = scorer.score(coffee, coffeeBlurred);

        assertThat(scorer.score(coffee, coffee).score()).isEqualTo(identical.score());
        assertThat(scorer.score(coffee, coffeeBlurred).score()).isEqualTo(blurred.score());
        assertThat(blurred.score()).isFinite();
        assertThat(blurred.quality()).isBetween(0.0, 1.0);
        assertThat(blurred.quality()).isEqualTo(scorer.translator().quality(blurred.score()));
        assertThat(identical.quality()).isEqualTo(scorer.translator().quality(identical.score()));
        System.out.printf("vtamiq-lite: coffee identical %.6f (q %.4f), blurred %.6f (q %.4f)%n",
                identical.score(), identical.quality(), blurred.score(), blurred.quality());
    }

    @Test
    void shouldGiveEveryIdenticalPairTheZeroDifferenceScore() {
        double coffeeSame = scorer.score(coffee, coffee).score();
        double chelseaSame = scorer.score(chelsea, chelsea).score();

        assertThat(chelseaSame).isCloseTo(coffeeSame, within(1e-4));
    }

    @Test
    void shouldScoreALowerResolutionRenditionOnTheReferenceGrid() {
        RgbImage half = BilinearResampler.resize(coffeeBlurred, coffee.width() / 2, coffee.height() / 2);

        FrScore s = scorer.score(coffee, half);

        assertThat(s.resized()).isTrue();
        assertThat(s.patches()).isEqualTo(256);
        assertThat(s.score()).isFinite();
        assertThat(s.score()).isEqualTo(scorer.score(coffee,
                BilinearResampler.resize(half, coffee.width(), coffee.height())).score());
        assertThatThrownBy(() -> scorer.score(coffee, Images.synthetic(100, 300, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a rendition of reference");
    }

    @Test
    void shouldGiveEachPairItsOwnScoreWhenSharedByManyThreads() throws Exception {
        List<RgbImage[]> pairs = List.of(new RgbImage[] {coffee, coffee}, new RgbImage[] {coffee, coffeeBlurred},
                new RgbImage[] {chelsea, Images.boxBlur(chelsea, 2, 1)});
        double[] expected = pairs.stream().mapToDouble(p -> scorer.score(p[0], p[1]).score()).toArray();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> jobs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                jobs.add(() -> {
                    for (int k = 0; k < 3; k++) {
                        int i = (k + offset) % pairs.size();
                        if (scorer.score(pairs.get(i)[0], pairs.get(i)[1]).score() != expected[i]) {
                            return false;
                        }
                    }
                    return true;
                });
            }
            for (Future<Boolean> f : pool.invokeAll(jobs)) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void shouldRefuseNoReferenceModelsAndScoringAfterClose() {
        assertThatThrownBy(() -> FrScorer.open(ModelRepository.bundled(), "maniqa-lite", runtime))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("model 'maniqa-lite': field 'family': expected fr-iqa (for a full-reference scorer), actual nr-iqa");
        FrScorer closed = FrScorer.open(ModelRepository.bundled(), "vtamiq-lite", runtime);
        closed.close();
        assertThatThrownBy(() -> closed.score(coffee, coffee))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Trying to run closed model 'vtamiq-lite'");
    }
}
