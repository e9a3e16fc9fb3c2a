package io.frameq.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import io.frameq.model.FloatTensor;
import io.frameq.translate.CropSampler.Box;
import io.frameq.translate.CropSampler.Plan;
import org.junit.jupiter.api.Test;

class PatchMapsTest {

    /** An 800x600 frame, one 200x200 crop in its top-left corner and one in its bottom-right, 2x2 patches each. */
    private static final Plan PLAN = new Plan(800, 600, 800, 600, List.of(new Box(0, 0, 200, 200), new Box(600, 400, 200, 200)));

    @Test
    void eachPatchLandsInTheCellOfItsCentreAndCellsNoCropReachesStayEmpty() {
        FloatTensor scores = new FloatTensor(new float[] {0.2f, 0.4f, 0.6f, 0.8f, 1f, 1f, 1f, 1f}, new long[] {2, 2, 2});
        FloatTensor weights = new FloatTensor(new float[] {1, 1, 1, 1, 2, 2, 2, 2}, new long[] {2, 2, 2});

        PatchMaps.Grid g = PatchMaps.project(PLAN, scores, weights);

        assertThat(g.cols()).isEqualTo(8);
        assertThat(g.rows()).isEqualTo(6);
        // 100 px cells: the first crop's patch centres (50, 50), (150, 50), (50, 150), (150, 150) fall in four cells
        assertThat(g.score()[0]).isCloseTo(0.2, within(1e-6));
        assertThat(g.score()[1]).isCloseTo(0.4, within(1e-6));
        assertThat(g.score()[8]).isCloseTo(0.6, within(1e-6));
        assertThat(g.score()[9]).isCloseTo(0.8, within(1e-6));
        assertThat(g.score()[47]).isCloseTo(1.0, within(1e-6));
        assertThat(g.weight()[47]).isCloseTo(2.0 / 12, within(1e-9));
        assertThat(g.weight()[0]).isCloseTo(1.0 / 12, within(1e-9));
        assertThat(g.score()[20]).as("no crop reached the centre").isNaN();
        assertThat(g.weight()[20]).isNaN();
    }

    @Test
    void portraitFramesGetTheFaultGridsPortraitShapeAndMismatchedMapsAreRefused() {
        Plan portrait = new Plan(600, 800, 600, 800, List.of(new Box(0, 0, 600, 800)));
        FloatTensor one = new FloatTensor(new float[] {0.5f}, new long[] {1, 1, 1});
        PatchMaps.Grid g = PatchMaps.project(portrait, one, one);
        assertThat(g.cols()).isEqualTo(6);
        assertThat(g.rows()).isEqualTo(8);

        FloatTensor wrong = new FloatTensor(new float[] {0.5f, 0.5f}, new long[] {1, 1, 2});
        assertThatThrownBy(() -> PatchMaps.project(portrait, one, wrong)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1, 1, 1]").hasMessageContaining("[1, 1, 2]");
    }
}
