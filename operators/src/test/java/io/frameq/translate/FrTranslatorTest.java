package io.frameq.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.frameq.frame.RgbImage;
import io.frameq.model.FloatTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelDescriptorParser;
import io.frameq.model.ModelLoadException;
import io.frameq.model.Tensor;
import io.frameq.testing.Images;
import io.frameq.testing.TestModels;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrTranslatorTest {

    private static final ModelDescriptor VTAMIQ = ModelDescriptorParser.parse(TestModels.vtamiqJson(n -> { }),
            URI.create("file:/r/vtamiq-lite/model.json"));

    @Test
    void shouldMakeTheFourPatchSetInputs() {
        FrTranslator t = new FrTranslator(VTAMIQ);
        RgbImage ref = Images.synthetic(512, 288, 1);
        RgbImage dist = Images.synthetic(512, 288, 2);

        FrTranslator.Batch b = t.preprocess(ref, dist);

        Map<String, Tensor> in = b.inputs();
        assertThat(in).containsOnlyKeys("patches_ref", "patches_dist", "positions", "scales");
        assertThat(in.get("patches_ref").shape()).containsExactly(1, 256, 3, 16, 16);
        assertThat(in.get("patches_dist").shape()).containsExactly(1, 256, 3, 16, 16);
        assertThat(in.get("positions").shape()).containsExactly(1, 256, 2);
        assertThat(in.get("positions").dtype()).isEqualTo("float32");
        assertThat(in.get("scales").shape()).containsExactly(1, 256, 2);
        assertThat(in.get("scales").dtype()).isEqualTo("int64");
        assertThat(b.resized()).isFalse();
        assertThat(b.plan().countsPerScale()).containsExactly(165, 59, 21, 8, 3);
        assertThat(b.positions().data()).containsExactly(b.plan().positions());
        assertThat(b.scales().data()).containsExactly(b.plan().scales());
        assertThat(b.patchesRef().data()).isNotEqualTo(b.patchesDist().data());
        assertThat(new FrTranslator(VTAMIQ).preprocess(Images.synthetic(320, 240, 1), Images.synthetic(320, 240, 2))
                .plan().countsPerScale()).as("level 4 of 320x240 is 20x15: four usable levels").containsExactly(166, 60, 22, 8);
    }

    @Test
    void shouldCutTheSamePlacesFromBothImages() {
        FrTranslator t = new FrTranslator(VTAMIQ);
        RgbImage ref = Images.synthetic(300, 200, 3);

        RgbImage blurred = Images.boxBlur(ref, 3, 2);
        FrTranslator.Batch same = t.preprocess(ref, ref);
        FrTranslator.Batch other = t.preprocess(ref, blurred);

        assertThat(t.sampler().sampling()).as("the shipped contract").isEqualTo(ModelDescriptor.Sampling.CAPS);
        assertThat(same.patchesDist().data()).isEqualTo(same.patchesRef().data());
        PatchSampler.Plan plan = other.plan();
        float[] fromRef = new float[plan.patchLength()];
        float[] fromDist = new float[plan.patchLength()];
        t.sampler().extract(plan, ref, t.normalizer(), fromRef, 0);
        t.sampler().extract(plan, blurred, t.normalizer(), fromDist, 0);
        assertThat(other.patchesRef().data()).isEqualTo(fromRef);
        assertThat(other.patchesDist().data()).isEqualTo(fromDist);
        assertThat(other.patchesDist().data()).isNotEqualTo(other.patchesRef().data());
        assertThat(other.positions().data()).as("caps follows the difference").isNotEqualTo(same.positions().data());
    }

    @Test
    void shouldResizeALowerResolutionRenditionToTheReferenceGrid() {
        FrTranslator t = new FrTranslator(VTAMIQ);
        RgbImage ref = Images.synthetic(640, 360, 4);
        RgbImage low = BilinearResampler.resize(ref, 320, 180);
        RgbImage ladder = BilinearResampler.resize(ref, 426, 240); // 1.775 vs 1.778: a rounded rendition

        FrTranslator.Batch b = t.preprocess(ref, low);

        assertThat(b.resized()).isTrue();
        assertThat(b.plan().width()).isEqualTo(640);
        FrTranslator.Batch explicit = t.preprocess(ref, BilinearResampler.resize(low, 640, 360));
        assertThat(explicit.resized()).isFalse();
        assertThat(b.patchesDist().data()).isEqualTo(explicit.patchesDist().data());
        assertThat(FrTranslator.toReferenceGrid(ref, ladder).width()).isEqualTo(640);
        assertThat(FrTranslator.toReferenceGrid(ref, ref)).isSameAs(ref);
    }

    @Test
    void shouldRefuseImagesThatAreNotARenditionOrTooSmall() {
        FrTranslator t = new FrTranslator(VTAMIQ);

        assertThatThrownBy(() -> t.preprocess(Images.synthetic(640, 360, 1), Images.synthetic(480, 360, 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("full-reference pair: distorted 480x360 is not a rendition of reference 640x360 "
                        + "(aspect ratios differ by more than 2 %)");
        assertThatThrownBy(() -> t.preprocess(Images.synthetic(15, 15, 1), Images.synthetic(15, 15, 1)))
                .hasMessage("PatchSampler: image 15x15 is smaller than one 16x16 patch");
    }

    @Test
    void shouldWriteIntoReusedBuffersOfTheRightLength() {
        FrTranslator t = new FrTranslator(VTAMIQ);
        float[] ref = new float[256 * 3 * 16 * 16];
        float[] dist = new float[256 * 3 * 16 * 16];

        FrTranslator.Batch b = t.preprocess(Images.synthetic(200, 100, 1), Images.synthetic(200, 100, 2), ref, dist);

        assertThat(b.patchesRef().data()).isSameAs(ref);
        assertThat(b.patchesDist().data()).isSameAs(dist);
        FrTranslator.Batch fresh = t.preprocess(Images.synthetic(200, 100, 1), Images.synthetic(200, 100, 2), new float[3], ref);
        assertThat(fresh.patchesRef().data()).hasSize(ref.length).isNotSameAs(ref);
        assertThat(fresh.patchesDist().data()).isSameAs(ref);
    }

    @Test
    void shouldMapTheScoreToQualityLowerIsBetter() {
        FrTranslator t = new FrTranslator(VTAMIQ);

        FrTranslator.Scores s = t.postprocess(Map.of("score", new FloatTensor(new float[] {0.25f}, new long[] {1})));

        assertThat(s.score()).isEqualTo(0.25);
        assertThat(s.quality()).isEqualTo(0.75);
        assertThat(t.quality(0.0)).isEqualTo(1.0);
        assertThat(t.quality(1.0)).isEqualTo(0.0);
        assertThat(t.quality(-0.1)).isEqualTo(1.0);
        assertThat(t.quality(0.3)).isCloseTo(0.7, within(1e-12));
    }

    @Test
    void shouldRejectBadOutputs() {
        FrTranslator t = new FrTranslator(VTAMIQ);

        assertThatThrownBy(() -> t.postprocess(Map.of()))
                .hasMessage("model 'vtamiq-lite': output 'score' expected, actual outputs []");
        assertThatThrownBy(() -> t.postprocess(Map.of("score", new FloatTensor(new float[2], new long[] {2}))))
                .hasMessage("model 'vtamiq-lite': output 'score' expected 1 value (one per pair), actual shape [2]");
        assertThatThrownBy(() -> t.postprocess(Map.of("score", new FloatTensor(new float[] {Float.NaN}, new long[] {1}))))
                .isInstanceOf(ArithmeticException.class)
                .hasMessage("model 'vtamiq-lite': pair scored NaN");
    }

    @Test
    void shouldRefuseModelsOfAnotherFamily() {
        ModelDescriptor nr = ModelDescriptorParser.parse(TestModels.tinyJson(n -> { }), URI.create("file:/r/tiny-nr/model.json"));

        assertThatThrownBy(() -> new FrTranslator(nr))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("model 'tiny-nr': field 'family': expected fr-iqa (for a full-reference scorer), actual nr-iqa");
        assertThatThrownBy(() -> new NrTranslator(VTAMIQ))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("model 'vtamiq-lite': field 'family': expected nr-iqa (for a no-reference scorer), actual fr-iqa");
    }
}
