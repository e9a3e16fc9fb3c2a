package io.frameq.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.frameq.frame.RgbImage;
import io.frameq.model.ModelDescriptor.Aggregate;
import io.frameq.model.ModelDescriptor.ColorOrder;
import io.frameq.model.ModelDescriptor.Crop;
import io.frameq.model.ModelDescriptor.CropPolicy;
import io.frameq.model.ModelDescriptor.Interpolation;
import io.frameq.model.ModelDescriptor.Layout;
import io.frameq.model.ModelDescriptor.Patches;
import io.frameq.model.ModelDescriptor.Preprocess;
import io.frameq.model.ModelDescriptor.Sampling;
import io.frameq.testing.Images;
import io.frameq.translate.PatchSampler.Patch;
import io.frameq.translate.PatchSampler.Plan;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PatchSamplerTest {

    private static final double[] MEAN = {0.485, 0.456, 0.406};
    private static final double[] STD = {0.229, 0.224, 0.225};

    private static Crop crop(int p, int count, int scales) {
        return new Crop(CropPolicy.PATCHES, p, p, Interpolation.BILINEAR, Optional.of(new Patches(count, scales, Sampling.HALTON)));
    }

    private static ImageNormalizer normalizer(Crop crop, ColorOrder order) {
        return new ImageNormalizer(new Preprocess(order, Layout.BNCHW, 255.0, MEAN, STD, crop, Aggregate.MEAN));
    }

    private static float[] extract(PatchSampler sampler, Plan plan, RgbImage image, ImageNormalizer n) {
        float[] out = new float[plan.patchLength()];
        sampler.extract(plan, image, n, out, 0);
        return out;
    }

    @Test
    void shouldComputeTheRadicalInverse() {
        assertThat(PatchSampler.halton(1, 2)).isEqualTo(0.5);
        assertThat(PatchSampler.halton(2, 2)).isEqualTo(0.25);
        assertThat(PatchSampler.halton(3, 2)).isEqualTo(0.75);
        assertThat(PatchSampler.halton(6, 2)).isEqualTo(0.375);
        assertThat(PatchSampler.halton(1, 3)).isCloseTo(1.0 / 3, within(1e-16));
        assertThat(PatchSampler.halton(5, 3)).isCloseTo(7.0 / 9, within(1e-16)); // 5 = 12 in base 3 -> 0.21
        assertThat(PatchSampler.halton(0, 2)).isEqualTo(0.0);
    }

    @Test
    void shouldPlaceTheFirstPatchesAsTheContractStates() {
        // the golden pair is 451x300 (W x H): level 0 patch 1 at y = floor(0.5 * 285), x = floor(1/3 * 436)
        Plan plan = new PatchSampler(crop(16, 256, 5)).plan(451, 300);

        assertThat(plan.countsPerScale()).containsExactly(165, 59, 21, 8, 3);
        assertThat(plan.count()).isEqualTo(256);
        Patch first = plan.patches().get(0);
        assertThat(first).isEqualTo(new Patch(0, 142, 145, (float) (150.0 / 292), (float) (153.0 / 443)));
        assertThat(plan.patches().get(165)).as("level 1 restarts the sequence")
                .isEqualTo(new Patch(1, 67, 70, (float) (75.0 / 142), (float) (78.0 / 217)));
        assertThat(plan.scales()).hasSize(512);
        assertThat(Arrays.copyOfRange(plan.scales(), 508, 512)).containsExactly(4, 4, 4, 4);
        assertThat(Arrays.copyOf(plan.positions(), 2)).containsExactly(first.u(), first.v());
    }

    @Test
    void shouldKeepEveryPatchInsideItsLevelAndEveryPositionInTheUnitInterval() {
        for (int[] size : new int[][] {{451, 300}, {1920, 1080}, {17, 16}, {100, 40}, {257, 1023}}) {
            Plan plan = new PatchSampler(crop(16, 256, 5)).plan(size[0], size[1]);
            assertThat(plan.count()).isEqualTo(256);
            for (Patch p : plan.patches()) {
                assertThat(p.y() + 16).isLessThanOrEqualTo(size[1] >> p.scale());
                assertThat(p.x() + 16).isLessThanOrEqualTo(size[0] >> p.scale());
                assertThat(p.u()).isBetween(0f, (float) PatchSampler.MAX_POSITION);
                assertThat(p.v()).isBetween(0f, (float) PatchSampler.MAX_POSITION);
            }
        }
    }

    @Test
    void shouldUseOnlyLevelsThatHoldAPatch() {
        PatchSampler sampler = new PatchSampler(crop(16, 256, 5));

        assertThat(sampler.usableLevels(100, 40)).isEqualTo(2); // heights 40, 20, 10
        assertThat(sampler.plan(100, 40).countsPerScale()).containsExactly(new Patches(256, 5, Sampling.HALTON).countsPerScale(2));
        assertThat(sampler.plan(16, 16).countsPerScale()).containsExactly(256);
        assertThat(sampler.plan(16, 16).patches()).allMatch(p -> p.x() == 0 && p.y() == 0);
        assertThatThrownBy(() -> sampler.plan(100, 15))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PatchSampler: image 100x15 is smaller than one 16x16 patch");
    }

    @Test
    void shouldDrawTheSamePatchesForTheSameSeedAndOthersForAnotherSeed() {
        Crop crop = crop(16, 256, 5);
        RgbImage image = Images.synthetic(451, 300, 7);
        ImageNormalizer n = normalizer(crop, ColorOrder.RGB);
        PatchSampler contract = new PatchSampler(crop);
        PatchSampler zero = new PatchSampler(crop, 0);
        PatchSampler seven = new PatchSampler(crop, 7);
        PatchSampler sevenAgain = new PatchSampler(crop, 7);
        PatchSampler eight = new PatchSampler(crop, 8);

        Plan p0 = contract.plan(451, 300);
        assertThat(zero.plan(451, 300)).isEqualTo(p0);
        assertThat(contract.plan(451, 300)).isEqualTo(p0);
        assertThat(extract(contract, p0, image, n)).isEqualTo(extract(zero, zero.plan(451, 300), image, n));

        Plan p7 = seven.plan(451, 300);
        assertThat(sevenAgain.plan(451, 300)).isEqualTo(p7);
        assertThat(extract(seven, p7, image, n)).isEqualTo(extract(sevenAgain, sevenAgain.plan(451, 300), image, n));
        assertThat(p7.countsPerScale()).containsExactly(p0.countsPerScale());

        assertThat(p7.patches()).isNotEqualTo(p0.patches());
        assertThat(eight.plan(451, 300).patches()).isNotEqualTo(p7.patches());
        assertThat(p7.positions()).isNotEqualTo(p0.positions());
        assertThat(extract(seven, p7, image, n)).isNotEqualTo(extract(contract, p0, image, n));
        assertThatThrownBy(() -> new PatchSampler(crop, -1)).hasMessage("PatchSampler: seed must be >= 0, got -1");
    }

    /**
     * The per-patch pooling must equal cutting from a whole-image pyramid built as the reference
     * builds it (float32, ((a + b) + c) + d times 0.25, odd last row/column dropped) — bit for bit,
     * on odd sizes and in BGR too.
     */
    @Test
    void shouldCutTheSameValuesAsAWholeImagePyramid() {
        for (ColorOrder order : ColorOrder.values()) {
            Crop crop = crop(8, 96, 4);
            RgbImage image = Images.synthetic(203, 157, 11);
            ImageNormalizer n = normalizer(crop, order);
            PatchSampler sampler = new PatchSampler(crop, 3);
            Plan plan = sampler.plan(image.width(), image.height());
            assertThat(plan.levels()).isEqualTo(4);

            float[][][] pyramid = pyramid(image, n, 4); // [level][channel][H_s * W_s]
            float[] expected = new float[plan.patchLength()];
            int o = 0;
            for (Patch p : plan.patches()) {
                int ws = image.width() >> p.scale();
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            expected[o++] = pyramid[p.scale()][c][(p.y() + y) * ws + p.x() + x];
                        }
                    }
                }
            }
            assertThat(extract(sampler, plan, image, n)).as(order.wire()).isEqualTo(expected);
        }
    }

    private static float[][][] pyramid(RgbImage image, ImageNormalizer n, int levels) {
        float[][][] out = new float[levels][3][];
        int w = image.width();
        int h = image.height();
        for (int c = 0; c < 3; c++) {
            out[0][c] = new float[w * h];
            n.writePlane(image, new CropSampler.Box(0, 0, w, h), c, out[0][c], 0);
        }
        for (int s = 1; s < levels; s++) {
            int pw = w >> (s - 1);
            int nw = w >> s;
            int nh = h >> s;
            for (int c = 0; c < 3; c++) {
                float[] prev = out[s - 1][c];
                float[] cur = new float[nw * nh];
                for (int y = 0; y < nh; y++) {
                    for (int x = 0; x < nw; x++) {
                        float a = prev[2 * y * pw + 2 * x];
                        float b = prev[2 * y * pw + 2 * x + 1];
                        float cc = prev[(2 * y + 1) * pw + 2 * x];
                        float d = prev[(2 * y + 1) * pw + 2 * x + 1];
                        cur[y * nw + x] = (((a + b) + cc) + d) * 0.25f;
                    }
                }
                out[s][c] = cur;
            }
        }
        return out;
    }

    @Test
    void shouldRefuseOtherCropPoliciesAndMismatchedImages() {
        assertThatThrownBy(() -> new PatchSampler(new Crop(CropPolicy.FIVE_POINT, 224, 224, Interpolation.BILINEAR)))
                .hasMessage("PatchSampler: expected crop policy patches, actual five-point");
        Crop crop = crop(16, 256, 5);
        PatchSampler sampler = new PatchSampler(crop);
        Plan plan = sampler.plan(64, 64);
        assertThatThrownBy(() -> sampler.extract(plan, Images.synthetic(65, 64, 1), normalizer(crop, ColorOrder.RGB),
                new float[plan.patchLength()], 0))
                .hasMessage("PatchSampler: plan for 64x64, image 65x64");
        assertThatThrownBy(() -> sampler.extract(plan, Images.synthetic(64, 64, 1), normalizer(crop, ColorOrder.RGB),
                new float[10], 0))
                .hasMessage("PatchSampler: 196608 floats at offset 0 exceed the buffer of 10");
    }
}
