package io.frameq.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.model.ModelDescriptor.Crop;
import io.frameq.model.ModelDescriptor.CropPolicy;
import io.frameq.model.ModelDescriptor.Interpolation;
import io.frameq.translate.CropSampler.Box;
import io.frameq.translate.CropSampler.Plan;
import org.junit.jupiter.api.Test;

class CropSamplerTest {

    private static CropSampler sampler(CropPolicy policy, int h, int w) {
        return new CropSampler(new Crop(policy, h, w, Interpolation.BILINEAR));
    }

    private static final CropSampler FIVE = sampler(CropPolicy.FIVE_POINT, 224, 224);

    @Test
    void shouldCutFivePointsInTheContractOrder() {
        // MODEL-JSON.md example: a 300x451 (H x W) frame -> [0,0] [0,227] [76,0] [76,227] [38,113] as [y, x].
        Plan p = FIVE.plan(451, 300);

        assertThat(p.rescaled()).isFalse();
        assertThat(p.boxes()).containsExactly(
                new Box(0, 0, 224, 224), new Box(227, 0, 224, 224), new Box(0, 76, 224, 224),
                new Box(227, 76, 224, 224), new Box(113, 38, 224, 224));
    }

    @Test
    void shouldFloorTheCentreOffsets() {
        assertThat(FIVE.plan(1920, 1080).boxes().get(4)).isEqualTo(new Box(848, 428, 224, 224));
        assertThat(FIVE.plan(225, 227).boxes().get(4)).isEqualTo(new Box(0, 1, 224, 224));
        assertThat(FIVE.plan(224, 224).boxes()).allSatisfy(b -> assertThat(b).isEqualTo(new Box(0, 0, 224, 224)));
    }

    @Test
    void shouldUpscaleFramesSmallerThanTheCropUntilTheyCoverIt() {
        Plan both = FIVE.plan(200, 150); // factor 224/150: 298.67 -> 299
        assertThat(both.rescaled()).isTrue();
        assertThat(both.scaledWidth()).isEqualTo(299);
        assertThat(both.scaledHeight()).isEqualTo(224);
        assertThat(both.boxes()).containsExactly(
                new Box(0, 0, 224, 224), new Box(75, 0, 224, 224), new Box(0, 0, 224, 224),
                new Box(75, 0, 224, 224), new Box(37, 0, 224, 224));

        Plan wide = FIVE.plan(640, 160); // only the height is short: 224/160 = 1.4 -> 896x224
        assertThat(wide.scaledWidth()).isEqualTo(896);
        assertThat(wide.scaledHeight()).isEqualTo(224);

        Plan tall = FIVE.plan(100, 300); // the width binds: 2.24 -> 224x672
        assertThat(tall.scaledWidth()).isEqualTo(224);
        assertThat(tall.scaledHeight()).isEqualTo(672);
        assertThat(tall.boxes().get(3)).isEqualTo(new Box(0, 448, 224, 224));

        Plan pixel = FIVE.plan(1, 1);
        assertThat(pixel.scaledWidth()).isEqualTo(224);
        assertThat(pixel.scaledHeight()).isEqualTo(224);
    }

    @Test
    void shouldRoundTheScaledSideHalfToEvenLikePython() {
        // 224/128 = 1.75; 134 * 1.75 = 234.5 -> Python round() gives 234 (half to even), not 235.
        assertThat(CropSampler.coverSize(134, 128, 224, 224)).containsExactly(234, 224);
        assertThat(CropSampler.coverSize(130, 128, 224, 224)).containsExactly(228, 224); // 227.5 -> 228
    }

    @Test
    void shouldCutOneCentreBox() {
        Plan p = sampler(CropPolicy.CENTRE, 224, 224).plan(451, 300);

        assertThat(p.boxes()).containsExactly(new Box(113, 38, 224, 224));
    }

    @Test
    void shouldResizeTheWholeFrame() {
        Plan p = sampler(CropPolicy.RESIZE, 224, 224).plan(1920, 1080);

        assertThat(p.scaledWidth()).isEqualTo(224);
        assertThat(p.scaledHeight()).isEqualTo(224);
        assertThat(p.boxes()).containsExactly(new Box(0, 0, 224, 224));
    }

    @Test
    void shouldTileEdgeToEdge() {
        Plan p = sampler(CropPolicy.TILES, 256, 256).plan(600, 300);

        // 3 columns over 600 (offsets 0, 172, 344), 2 rows over 300 (0, 44).
        assertThat(p.boxes()).containsExactly(
                new Box(0, 0, 256, 256), new Box(172, 0, 256, 256), new Box(344, 0, 256, 256),
                new Box(0, 44, 256, 256), new Box(172, 44, 256, 256), new Box(344, 44, 256, 256));
        assertThat(sampler(CropPolicy.TILES, 256, 256).plan(512, 256).boxes())
                .containsExactly(new Box(0, 0, 256, 256), new Box(256, 0, 256, 256));
    }

    @Test
    void shouldPassTheWholeFrameForPolicyNone() {
        Plan p = new CropSampler(new Crop(CropPolicy.NONE, 0, 0, Interpolation.BILINEAR)).plan(33, 17);

        assertThat(p.rescaled()).isFalse();
        assertThat(p.boxes()).containsExactly(new Box(0, 0, 33, 17));
    }

    @Test
    void shouldRejectImpossibleInput() {
        assertThatThrownBy(() -> FIVE.plan(0, 10)).hasMessage("CropSampler: frame size must be positive, got 0x10");
        assertThatThrownBy(() -> new CropSampler(new Crop(CropPolicy.CENTRE, 0, 0, Interpolation.BILINEAR)))
                .hasMessage("CropSampler: policy centre needs a positive size, got 0x0");
    }
}
