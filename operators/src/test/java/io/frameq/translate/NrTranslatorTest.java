package io.frameq.translate;

import static io.frameq.testing.TestModels.tinyJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frameq.model.FloatTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelDescriptorParser;
import io.frameq.model.ModelLoadException;
import io.frameq.testing.Images;
import java.net.URI;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class NrTranslatorTest {

    private static NrTranslator translator(Consumer<ObjectNode> edit) {
        return new NrTranslator(ModelDescriptorParser.parse(tinyJson(edit), URI.create("file:/r/tiny-nr/model.json")));
    }

    private static ObjectNode score(ObjectNode n) {
        return (ObjectNode) n.get("score");
    }

    private static Map<String, FloatTensor> scores(float... s) {
        return Map.of("score", new FloatTensor(s, new long[] {s.length}));
    }

    @Test
    void shouldBuildOneBatchOfFiveCrops() {
        NrTranslator t = translator(n -> { });

        NrTranslator.Batch b = t.preprocess(Images.synthetic(320, 256, 1), null);

        assertThat(b.plan().units()).isEqualTo(5);
        assertThat(b.tensor().shape()).containsExactly(5, 3, 224, 224);
        assertThat(t.inputName()).isEqualTo("image");
        assertThat(t.scoreOutput()).isEqualTo("score");
    }

    @Test
    void shouldReuseABufferOfTheRightLength() {
        NrTranslator t = translator(n -> { });
        float[] reuse = new float[5 * 3 * 224 * 224];

        assertThat(t.preprocess(Images.synthetic(300, 300, 2), reuse).tensor().data()).isSameAs(reuse);
        assertThat(t.preprocess(Images.synthetic(300, 300, 2), new float[7]).tensor().data()).hasSize(reuse.length);
    }

    @Test
    void shouldAverageCropScoresAndMapThemToQuality() {
        NrTranslator t = translator(n -> { }); // linear quality, low 0.2, high 0.8, higher is better

        NrTranslator.Scores s = t.postprocess(scores(0.3f, 0.5f, 0.7f, 0.5f, 0.5f), 5);

        assertThat(s.cropScores()).containsExactly(new double[] {0.3f, 0.5f, 0.7f, 0.5f, 0.5f}, within(0.0));
        assertThat(s.score()).isCloseTo(0.5, within(1e-7));
        assertThat(s.quality()).isCloseTo(0.5, within(1e-6));
    }

    @Test
    void shouldClampQuality() {
        NrTranslator t = translator(n -> { });

        assertThat(t.quality(0.1)).isEqualTo(0.0);
        assertThat(t.quality(0.95)).isEqualTo(1.0);
        assertThat(t.quality(0.65)).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void shouldMapLowerIsBetterScoresByTheirInvertedQualityRange() {
        // model.json contract: quality = clamp((score - low) / (high - low)); lower-is-better states low > high
        NrTranslator t = translator(n -> {
            score(n).put("direction", "lower-is-better").putArray("range").add(0).add(100);
            ((ObjectNode) score(n).get("quality")).put("low", 100).put("high", 0);
        });

        assertThat(t.quality(0)).isEqualTo(1.0);
        assertThat(t.quality(25)).isEqualTo(0.75);
        assertThat(t.quality(100)).isEqualTo(0.0);
        assertThat(t.quality(140)).isEqualTo(0.0);
    }

    @Test
    void shouldRejectOutputsOfTheWrongSizeOrNonFiniteScores() {
        NrTranslator t = translator(n -> { });

        assertThatThrownBy(() -> t.postprocess(scores(0.1f, 0.2f), 5))
                .hasMessage("model 'tiny-nr': output 'score' expected 5 values (one per crop), actual shape [2]");
        assertThatThrownBy(() -> t.postprocess(Map.of(), 5))
                .hasMessage("model 'tiny-nr': output 'score' expected, actual outputs []");
        assertThatThrownBy(() -> t.postprocess(scores(0.1f, Float.NaN), 2))
                .isInstanceOf(ArithmeticException.class)
                .hasMessage("model 'tiny-nr': crop 1 scored NaN");
    }

    @Test
    void shouldRefuseModelsOfAnotherFamily() {
        ModelDescriptor restore = ModelDescriptorParser.parse(tinyJson(n -> n.put("family", "restore")),
                URI.create("file:/r/tiny-nr/model.json"));

        assertThatThrownBy(() -> new NrTranslator(restore))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("model 'tiny-nr': field 'family': expected nr-iqa (for a no-reference scorer), actual restore");
    }
}
