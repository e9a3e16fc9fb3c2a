package io.frameq.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.frameq.frame.RgbImage;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.testing.Images;
import io.frameq.testing.TestModels;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tiling with overlap and raised-cosine blending, on the shipped lpienet-lite through real ONNX Runtime. */
@org.junit.jupiter.api.Tag("slow")
class TiledRestorerTest {

    private static OrtRuntime runtime;
    private static Restorer lpienet;

    @BeforeAll
    static void open() {
        runtime = OrtRuntime.create(ExecutionConfig.cpu().withThreads(2, 1));
        lpienet = Restorer.open(ModelRepository.of(List.of(TestModels.PROJECT_REPO), false), "lpienet-lite", runtime);
    }

    @AfterAll
    static void close() {
        lpienet.close();
        runtime.close();
    }

    @Test
    void shouldPlanAlignedOverlappingTilesThatCoverTheAxis() {
        TileAxis a = TileAxis.plan(3840, 512, 64, 16);
        assertThat(a.starts()).containsExactly(0, 448, 896, 1344, 1792, 2240, 2688, 3136, 3328);
        float[] sum = a.sum();
        for (int x = 0; x < 3840; x++) {
            assertThat(sum[x]).as("weight total at %d", x).isGreaterThan(0f);
        }
        // Neighbours with equal overlaps form an exact partition of unity.
        for (int x = 0; x < 3136; x++) {
            assertThat(sum[x]).as("x=%d", x).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
        }
        assertThat(TileAxis.plan(300, 512, 64, 16).starts()).containsExactly(0);
        assertThatThrownBy(() -> TileAxis.plan(100, 64, 32, 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tile >= 2 * overlap + align");
    }

    @Test
    void shouldShowNoSeamsAgainstTheWholeFrameRunAwayFromTheBorders() {
        RgbImage img = Images.resource("/detect/coffee.png"); // 384 x 256
        RgbImage whole = lpienet.restore(img).image();
        TiledRestorer.Result blended = new TiledRestorer(lpienet, 160, 48).restore(img);
        assertThat(blended.stats().tiles()).isEqualTo(3 * 2);
        assertThat(blended.stats().maxTensorElements()).isEqualTo(3L * 160 * 160);
        double[] d = diff(whole, blended.image(), 16);
        System.out.printf("seam check (tile 160, overlap 48): max |tiled - whole| = %.0f, mean = %.4f (8-bit levels)%n", d[0], d[1]);
        assertThat(d[0]).as("max difference, 8-bit levels").isLessThanOrEqualTo(4);
        assertThat(d[1]).as("mean difference, 8-bit levels").isLessThan(0.25);

        // The same tiles butted together without blending do show their seams: the check above can fail.
        TiledRestorer.Result butted = new TiledRestorer(lpienet, 160, 0).restore(img);
        double[] b = diff(whole, butted.image(), 16);
        System.out.printf("without overlap: max = %.0f, mean = %.4f%n", b[0], b[1]);
        assertThat(b[0]).isGreaterThan(d[0]);
    }

    @Test
    void shouldRestoreA4kFrameWithTileBoundedMemory() {
        RgbImage img = Images.synthetic(3840, 2160, 7);
        TiledRestorer tiled = new TiledRestorer(lpienet, 512, 64);
        TiledRestorer.Result r = tiled.restore(img);
        assertThat(r.image().width()).isEqualTo(3840);
        assertThat(r.image().height()).isEqualTo(2160);
        // 9 tile columns (starts 0, 448, ..., 3136, 3328) x 5 tile rows (0, 448, 896, 1344, 1648).
        assertThat(r.stats().tiles()).isEqualTo(45);
        assertThat(r.stats().maxTensorElements()).as("largest model tensor, floats").isEqualTo(3L * 512 * 512);
        assertThat(r.stats().bandElements()).as("blending band, floats").isEqualTo(3L * 512 * 3840);
        assertThat(r.stats().maxTensorElements()).isLessThan(3L * 3840 * 2160 / 30);
    }

    /** {max, mean} absolute difference in 8-bit levels, ignoring {@code border} pixels on each side. */
    private static double[] diff(RgbImage a, RgbImage b, int border) {
        double max = 0;
        double sum = 0;
        long n = 0;
        for (int y = border; y < a.height() - border; y++) {
            for (int x = border; x < a.width() - border; x++) {
                for (int c = 0; c < 3; c++) {
                    int i = (y * a.width() + x) * 3 + c;
                    int d = Math.abs((a.pixels()[i] & 0xff) - (b.pixels()[i] & 0xff));
                    max = Math.max(max, d);
                    sum += d;
                    n++;
                }
            }
        }
        return new double[] {max, sum / n};
    }
}
