package io.frameq.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.frame.RgbImage;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.testing.Images;
import io.frameq.testing.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NrScorerTest {

    private static OrtRuntime runtime;
    private static ModelRepository repo;

    @BeforeAll
    static void open() {
        runtime = OrtRuntime.create(ExecutionConfig.cpu().withThreads(1, 1));
        repo = ModelRepository.of(List.of(TestModels.REPO), false);
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    @Test
    void shouldScoreAFrameWithProvenanceAndStageTimes() {
        try (NrScorer scorer = NrScorer.open(repo, "tiny-nr", runtime)) {
            NrScore s = scorer.score(Images.synthetic(640, 360, 3));

            assertThat(s.model()).isEqualTo("tiny-nr");
            assertThat(s.version()).isEqualTo(1);
            assertThat(s.trained()).isFalse();
            assertThat(s.cropScores()).hasSize(5);
            assertThat(s.score()).isCloseTo(java.util.Arrays.stream(s.cropScores()).average().orElseThrow(),
                    org.assertj.core.api.Assertions.within(1e-12));
            assertThat(s.quality()).isBetween(0.0, 1.0);
            assertThat(s.preprocessNanos()).isPositive();
            assertThat(s.inferenceNanos()).isPositive();
            assertThat(s.postprocessNanos()).isPositive();
            assertThat(scorer.descriptor().name()).isEqualTo("tiny-nr");
            assertThat(scorer.activeProvider()).isEqualTo("cpu");
        }
    }

    @Test
    void shouldScoreFramesSmallerThanTheCrop() {
        try (NrScorer scorer = NrScorer.open(repo, "tiny-nr", runtime)) {
            assertThat(scorer.score(Images.synthetic(64, 48, 4)).cropScores()).hasSize(5);
        }
    }

    @Test
    void shouldGiveEachFrameItsOwnScoreWhenSharedByManyThreads() throws Exception {
        List<RgbImage> frames = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            frames.add(Images.synthetic(240 + 16 * i, 230 + 8 * i, 10 + i));
        }
        try (NrScorer scorer = NrScorer.open(repo, "tiny-nr", runtime)) {
            double[] expected = frames.stream().mapToDouble(f -> scorer.score(f).score()).toArray();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Callable<Boolean>> jobs = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int offset = t;
                    jobs.add(() -> {
                        for (int k = 0; k < 16; k++) {
                            int i = (k + offset) % frames.size();
                            if (scorer.score(frames.get(i)).score() != expected[i]) {
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
    }

    @Test
    void shouldScoreWithTheBundledManiqaLite() {
        try (NrScorer scorer = NrScorer.open(ModelRepository.bundled(), "maniqa-lite", runtime)) {
            NrScore s = scorer.score(Images.synthetic(480, 270, 6));

            assertThat(s.model()).isEqualTo("maniqa-lite");
            assertThat(s.trained()).isEqualTo(scorer.descriptor().trained());
            assertThat(s.cropScores()).hasSize(5);
            assertThat(s.quality()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void shouldRefuseToScoreAfterClose() {
        NrScorer scorer = NrScorer.open(repo, "tiny-nr", runtime);
        scorer.close();

        assertThatThrownBy(() -> scorer.score(Images.synthetic(224, 224, 5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Trying to run closed model 'tiny-nr'");
    }
}
