package io.frameq.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import io.frameq.scoring.ModelSampling;
import io.frameq.scoring.ModelSamplingPolicy;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class ModelSamplingConfigTest {

    @Test
    void byDefaultTheModelSeesEveryFrame() {
        ModelSamplingPolicy p = ModelSamplingConfig.policy(FrameqConfig.of(Map.of("input.topics", "a")));
        assertThat(p).isEqualTo(ModelSamplingPolicy.EVERY_FRAME);
    }

    @Test
    void aFleetSamplesEvery30SecondsWithPerStreamOverrides() {
        ModelSamplingPolicy p = ModelSamplingConfig.policy(FrameqConfig.of(Map.of("input.topics", "a",
                "model.sample.every.ms", "30000", "model.sample.every.frames", "0",
                "model.sample.stream.overrides", "gate-1:5000:0, lab:0:1")));
        assertThat(p.of("cam-7")).isEqualTo(new ModelSampling(30_000, 0, 10_000, 1_000));
        assertThat(p.of("gate-1")).isEqualTo(new ModelSampling(5_000, 0, 10_000, 1_000));
        assertThat(p.of("lab").everyFrame()).isTrue();
    }

    @Test
    void theModelBudgetIsOffByDefaultAndARateWhenSet() {
        assertThat(ModelSamplingConfig.budget(FrameqConfig.of(Map.of("input.topics", "a"))).limited()).isFalse();
        io.frameq.scoring.ModelBudget b = ModelSamplingConfig.budget(FrameqConfig.of(Map.of("input.topics", "a",
                "model.sample.budget.per.second", "4")));
        assertThat(b.limited()).isTrue();
        assertThat(b.runsPerSecond()).isEqualTo(4.0);
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "model.sample.budget.per.second", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.sample.budget.per.second");
    }

    @Test
    void badSamplingIsRefusedAtStartNamingTheKey() {
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "model.sample.every.ms", "0",
                "model.sample.every.frames", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("model.sample.every.ms, model.sample.every.frames")
                .hasMessageContaining("expected at least one above 0");
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "model.sample.stream.overrides", "gate-1:5s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("model.sample.stream.overrides: expected stream:every_ms:every_frames, actual 'gate-1:5s'");
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "model.sample.stream.overrides", "g:x:1")))
                .hasMessageContaining("every_ms and every_frames must be whole numbers");
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "model.sample.stream.overrides", "g:1:1,g:2:1")))
                .hasMessageContaining("stream 'g' expected once, actual twice");
    }

    @Test
    void reducedDecodeIsRefusedWithRestoration() {
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "decode.jpeg.reduced.min.width", "640",
                "restore.enabled", "true")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("decode.jpeg.reduced.min.width")
                .hasMessageContaining("restore.enabled");
    }
}
