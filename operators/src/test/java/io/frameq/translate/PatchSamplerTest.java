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
        return crop(p, count, scales, Sampling.HALTON);
    }

    private static Crop crop(int p, int count, int scales, Sampling sampling) {
        return new Crop(CropPolicy.PATCHES, p, p, Interpolation.BILINEAR, Optional.of(new Patches(count, scales, sampling)));
    }

    /** A pair both languages can build: {@code ref = (7x + 3y + 50c) mod 256}; dist inverts rows 8..39, columns 16..55. */
    private static RgbImage[] crossLanguagePair() {
        int w = 120;
        int h = 80;
        byte[] ref = new byte[w * h * 3];
        byte[] dist = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    int v = (7 * x + 3 * y + 50 * c) % 256;
                    int i = (y * w + x) * 3 + c;
                    ref[i] = (byte) v;
                    dist[i] = (byte) (y >= 8 && y < 40 && x >= 16 && x < 56 ? 255 - v : v);
                }
            }
        }
        return new RgbImage[] {new RgbImage(w, h, ref), new RgbImage(w, h, dist)};
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

    @Test
    void shouldGenerateTheSplitMix64ReferenceSequence() {
        SplitMix64 zero = new SplitMix64(0);
        assertThat(zero.nextLong()).isEqualTo(0xE220A8397B1DCDAFL);
        assertThat(zero.nextLong()).isEqualTo(0x6E789E6AA1B965F4L);
        assertThat(zero.nextLong()).isEqualTo(0x06C45D188009454FL);
        SplitMix64 other = new SplitMix64(1234567);
        // same values as frameq_models.export.golden.SplitMix64
        assertThat(other.nextLong()).isEqualTo(0x599ED017FB08FC85L);
        assertThat(new SplitMix64(3).nextInt(1)).isZero();
        assertThatThrownBy(() -> new SplitMix64(3).nextInt(0)).hasMessage("SplitMix64: bound must be positive, got 0");
    }

    /** The patch places {@code frameq_models.export.golden.caps_placements} computes for the same pair (seed 5). */
    @Test
    void shouldPlaceCapsPatchesExactlyAsThePythonReference() {
        RgbImage[] pair = crossLanguagePair();
        PatchSampler sampler = new PatchSampler(crop(8, 24, 3, Sampling.CAPS), 5);

        Plan plan = sampler.plan(pair[0], pair[1]);

        assertThat(plan.countsPerScale()).containsExactly(15, 6, 3);
        int[][] python = {{0, 30, 81}, {0, 9, 27}, {0, 72, 91}, {0, 43, 57}, {0, 67, 39}, {0, 72, 11}, {0, 11, 88},
            {0, 72, 95}, {0, 13, 95}, {0, 11, 54}, {0, 17, 95}, {0, 31, 85}, {0, 27, 64}, {0, 4, 5}, {0, 34, 45},
            {1, 25, 31}, {1, 3, 43}, {1, 3, 22}, {1, 32, 19}, {1, 31, 2}, {1, 32, 2}, {2, 6, 4}, {2, 2, 12}, {2, 10, 20}};
        assertThat(plan.patches()).hasSize(python.length);
        for (int i = 0; i < python.length; i++) {
            Patch p = plan.patches().get(i);
            assertThat(new int[] {p.scale(), p.y(), p.x()}).as("patch %d", i).containsExactly(python[i]);
        }
        int[][] pythonSame = {{0, 38, 9}, {0, 9, 35}, {0, 72, 91}, {0, 43, 89}, {0, 67, 55}, {0, 72, 27}};
        Plan same = sampler.plan(pair[0], pair[0]);
        for (int i = 0; i < pythonSame.length; i++) {
            Patch p = same.patches().get(i);
            assertThat(new int[] {p.scale(), p.y(), p.x()}).as("identical pair, patch %d", i).containsExactly(pythonSame[i]);
        }
    }

    @Test
    void shouldDrawMoreCapsPatchesWhereTheImagesDiffer() {
        RgbImage ref = Images.synthetic(480, 320, 5);
        byte[] px = ref.pixels().clone();
        for (int y = 0; y < 96; y++) { // damage the top-left 96x96 corner, far from the centre bias
            for (int x = 0; x < 96 * 3; x++) {
                px[y * 480 * 3 + x] = (byte) (255 - px[y * 480 * 3 + x]);
            }
        }
        RgbImage damaged = new RgbImage(480, 320, px);
        PatchSampler sampler = new PatchSampler(crop(16, 256, 5, Sampling.CAPS));

        long inClean = level0In(sampler.plan(ref, ref), 96);
        long inDamaged = level0In(sampler.plan(ref, damaged), 96);

        assertThat(inDamaged).as("level-0 patches starting in the damaged corner (clean pair: %d)", inClean)
                .isGreaterThan(2 * inClean);
        assertThat(sampler.plan(ref, damaged)).as("deterministic").isEqualTo(sampler.plan(ref, damaged));
        assertThat(new PatchSampler(crop(16, 256, 5, Sampling.CAPS), 1).plan(ref, damaged))
                .isNotEqualTo(sampler.plan(ref, damaged));
    }

    private static long level0In(Plan plan, int corner) {
        return plan.patches().stream().filter(p -> p.scale() == 0 && p.y() < corner && p.x() < corner).count();
    }

    @Test
    void shouldKeepEveryCapsPatchInsideItsLevel() {
        for (int[] size : new int[][] {{451, 300}, {1280, 720}, {17, 16}, {100, 40}, {257, 1023}, {31, 47}}) {
            RgbImage a = Images.synthetic(size[0], size[1], 1);
            RgbImage b = Images.boxBlur(a, 1, 1);
            PatchSampler sampler = new PatchSampler(crop(16, 256, 5, Sampling.CAPS), 9);
            Plan plan = sampler.plan(a, b);
            assertThat(plan.count()).isEqualTo(256);
            assertThat(plan.countsPerScale()).containsExactly(sampler.countsFor(size[0], size[1]));
            for (Patch p : plan.patches()) {
                assertThat(p.y()).isBetween(0, (size[1] >> p.scale()) - 16);
                assertThat(p.x()).isBetween(0, (size[0] >> p.scale()) - 16);
                assertThat(p.u()).isBetween(0f, (float) PatchSampler.MAX_POSITION);
            }
        }
    }

    @Test
    void shouldRefuseACapsPlanWithoutPixelsAndPairsOfDifferentSizes() {
        PatchSampler sampler = new PatchSampler(crop(16, 256, 5, Sampling.CAPS));
        assertThatThrownBy(() -> sampler.plan(64, 64)).isInstanceOf(IllegalStateException.class)
                .hasMessage("PatchSampler: sampling caps places patches by content; call plan(reference, distorted)");
        assertThatThrownBy(() -> sampler.plan(Images.synthetic(64, 64, 1), Images.synthetic(65, 64, 1)))
                .hasMessage("CapsSampler: reference 64x64 and distorted 65x64 differ in size");
        assertThatThrownBy(() -> sampler.plan(Images.synthetic(64, 15, 1), Images.synthetic(64, 15, 1)))
                .hasMessage("PatchSampler: image 64x15 is smaller than one 16x16 patch");
    }
}
