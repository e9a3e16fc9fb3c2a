package io.frameq.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;

import io.frameq.event.ScoreEvent;
import io.frameq.frame.RgbImage;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.testing.Images;
import io.frameq.translate.PatchMaps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MANIQA's own spatial output, through the real shipped model: the map says where a low score comes from. */
class PatchMapTest {

    private static OrtRuntime runtime;

    @BeforeAll
    static void open() {
        runtime = OrtRuntime.create(ExecutionConfig.cpu().withThreads(1, 1));
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    @Test
    void aFrameBlurredOnTheLeftHasItsWorstCellsOnTheLeft() {
        RgbImage photo = tiled(Images.resource("/frames/chelsea_320x240.png")); // 640x480: crops of distinct regions
        RgbImage halfBlurred = leftFrom(Images.boxBlur(photo, 6, 3), photo);
        try (NrScorer scorer = NrScorer.open(ModelRepository.bundled(), "maniqa-lite", runtime)) {
            NrScore clean = scorer.score(photo);
            NrScore blurred = scorer.score(halfBlurred);

            PatchMaps.Grid grid = blurred.map();
            assertThat(grid).isNotNull();
            assertThat(grid.cols()).isEqualTo(8);
            assertThat(grid.rows()).isEqualTo(6);
            assertThat(Arrays.stream(grid.weight()).filter(Double::isFinite).sum()).isCloseTo(1.0, within(1e-6));
            ScoreEvent.ModelMap map = ScoreEvent.ModelMap.of(grid, blurred.score());
            assertThat(map.worstCells()).hasSize(ScoreEvent.ModelMap.WORST_CELLS);
            assertThat(map.worstCells().stream().filter(c -> c % 8 < 4).count()).as("worst cells of %s", map.score())
                    .isGreaterThanOrEqualTo(ScoreEvent.ModelMap.WORST_CELLS - 1);
            double left = meanOfColumns(grid, 0, 4);
            assertThat(left).as("blurred half scores lower").isLessThan(meanOfColumns(grid, 4, 8) - 0.1);
            assertThat(meanOfColumns(clean.map(), 0, 4) - left).as("the blur lowered the left cells").isGreaterThan(0.1);
        }
    }

    @Test
    void batchedScoringCarriesTheSameMapAsAloneWithItsOwnCrops() throws Exception {
        RgbImage a = Images.resource("/frames/chelsea_320x240.png");
        RgbImage b = Images.boxBlur(a, 4, 2);
        try (NrScorer scorer = NrScorer.open(ModelRepository.bundled(), "maniqa-lite", runtime);
             BatchingNrScorer batcher = new BatchingNrScorer(scorer, io.frameq.metrics.FrameqMetrics.none(), 10, 200, 8)) {
            PatchMaps.Grid aloneA = scorer.score(a).map();
            PatchMaps.Grid aloneB = scorer.score(b).map();
            var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var fa = pool.submit(() -> batcher.score(a));
                var fb = pool.submit(() -> batcher.score(b));
                assertClose(fa.get().map(), aloneA);
                assertClose(fb.get().map(), aloneB);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static void assertClose(PatchMaps.Grid actual, PatchMaps.Grid expected) {
        double[] s = actual.score();
        double[] e = expected.score();
        for (int i = 0; i < s.length; i++) {
            assertThat(s[i]).as("cell %d", i).isCloseTo(e[i], within(1e-4));
        }
    }

    private static double meanOfColumns(PatchMaps.Grid g, int from, int to) {
        double[] s = g.score();
        double sum = 0;
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            if (i % g.cols() >= from && i % g.cols() < to && Double.isFinite(s[i])) {
                sum += s[i];
                n++;
            }
        }
        return sum / n;
    }

    /** Four copies of {@code tile} in a 2 x 2 square. */
    private static RgbImage tiled(RgbImage tile) {
        int w = tile.width();
        int h = tile.height();
        byte[] px = new byte[4 * w * h * 3];
        for (int y = 0; y < 2 * h; y++) {
            for (int copy = 0; copy < 2; copy++) {
                System.arraycopy(tile.pixels(), (y % h) * w * 3, px, (y * 2 * w + copy * w) * 3, w * 3);
            }
        }
        return new RgbImage(2 * w, 2 * h, px);
    }

    /** The left half of {@code left}, the right half of {@code right}. */
    private static RgbImage leftFrom(RgbImage left, RgbImage right) {
        int w = right.width();
        byte[] px = right.pixels().clone();
        byte[] l = left.pixels();
        for (int y = 0; y < right.height(); y++) {
            System.arraycopy(l, y * w * 3, px, y * w * 3, (w / 2) * 3);
        }
        return new RgbImage(w, right.height(), px);
    }
}
