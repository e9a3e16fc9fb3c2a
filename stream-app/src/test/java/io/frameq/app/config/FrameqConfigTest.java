package io.frameq.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.app.runtime.FrameqRuntime;
import io.frameq.frame.VideoFrameSkip;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameqConfigTest {

    @TempDir
    Path dir;

    @Test
    void fileThenEnvironmentOverrides() throws Exception {
        Path f = dir.resolve("frameq.properties");
        Files.writeString(f, "bootstrap.servers=k1:9092\ninput.topics=a,b\nscores.topic=from-file\nkafka.security.protocol=SSL\n");
        FrameqConfig c = FrameqConfig.load(f, Map.of("FRAMEQ_SCORES_TOPIC", "from-env", "FRAMEQ_KAFKA_SASL_MECHANISM", "PLAIN",
                "PATH", "/usr/bin"));
        assertThat(c.getString(FrameqConfig.SCORES_TOPIC)).isEqualTo("from-env");
        assertThat(c.inputTopics()).containsExactly("a", "b");
        assertThat(c.kafkaOverrides()).containsEntry("security.protocol", "SSL").containsEntry("sasl.mechanism", "PLAIN");
        assertThat(c.getString(FrameqConfig.MODEL_NR)).isEqualTo("maniqa-lite");
    }

    @Test
    void unknownKeyIsAnErrorWithASuggestion() {
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "scores.topik", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("scores.topik")
                .hasMessageContaining("did you mean 'scores.topic'");
    }

    @Test
    void exactlyOneInputSelectorIsRequired() {
        assertThatThrownBy(() -> FrameqConfig.of(Map.of())).hasMessageContaining("got neither");
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "input.pattern", "f.*")))
                .hasMessageContaining("got both");
        assertThat(FrameqConfig.of(Map.of("input.pattern", "frames\\..+")).inputPattern().matcher("frames.x").matches()).isTrue();
    }

    @Test
    void valuesAreTypedAndRangeChecked() {
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "stream.threads", "zero")))
                .hasMessageContaining("stream.threads");
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "quality.threshold", "1.5")))
                .hasMessageContaining("quality.threshold");
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "onnx.provider", "gpu")))
                .hasMessageContaining("expected cpu, cuda[:N] or tensorrt[:N]");
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.pattern", "(")))
                .hasMessageContaining("not a valid regex");
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "model.nr.crop", "center")))
                .hasMessageContaining("model.nr.crop")
                .hasMessageContaining("must be one of: model, five-point, centre, resize, tiles");
    }

    @Test
    void videoFrameSkipReachesTheDecodeLimitsAndAnUnknownModeIsRefused() {
        assertThat(FrameqRuntime.decodeLimits(FrameqConfig.of(Map.of("input.topics", "a"))).videoSkip())
                .isEqualTo(VideoFrameSkip.NONE);
        assertThat(FrameqRuntime.decodeLimits(FrameqConfig.of(Map.of("input.topics", "a", "decode.video.skip.frames", "nonref")))
                .videoSkip()).isEqualTo(VideoFrameSkip.NON_REFERENCE);
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "decode.video.skip.frames", "bframes")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("decode.video.skip.frames");
    }

    @Test
    void detectorThresholdsAreConfigurableAndValidated() {
        FrameqConfig c = FrameqConfig.of(Map.of("input.topics", "a", "detect.blur.sharpness.min", "80"));
        assertThat(c.detectorThresholds().blurBelowSharpness()).isEqualTo(80.0);
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "detect.blocky.max", "0.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("detect.*").hasMessageContaining("blockyAbove");
    }

    @Test
    void alertSettingsAreConfigurableAndValidated() {
        FrameqConfig defaults = FrameqConfig.of(Map.of("input.topics", "a"));
        assertThat(defaults.getString(FrameqConfig.ALERTS_TOPIC)).isEqualTo("frameq.alerts");
        assertThat(defaults.alertPolicy()).isEqualTo(io.frameq.alert.AlertPolicy.DEFAULTS);
        FrameqConfig c = FrameqConfig.of(Map.of("input.topics", "a", "alerts.window.ms", "5000", "alerts.open.windows", "3",
                "alerts.silent.after.ms", "60000"));
        assertThat(c.alertPolicy().windowMs()).isEqualTo(5000);
        assertThat(c.alertPolicy().openWindows()).isEqualTo(3);
        assertThat(c.alertPolicy().silentAfterMs()).isEqualTo(60000);
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "alerts.open.ratio", "0.1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("alerts.*").hasMessageContaining("resolveRatio");
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "alerts.topic", "frameq.scores")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("alerts.topic");
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "alerts.resolve.windows", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("alerts.resolve.windows");
    }

    @Test
    void startupWarmUpDefaultsToThreeSecondsZeroIsOffAndNegativeOrHugeIsRefused() {
        assertThat(FrameqConfig.of(Map.of("input.topics", "a")).getLong(FrameqConfig.STARTUP_WARMUP_MS)).isEqualTo(3000L);
        assertThat(FrameqConfig.of(Map.of("input.topics", "a", "startup.warmup.ms", "0"))
                .getLong(FrameqConfig.STARTUP_WARMUP_MS)).as("0: off").isZero();
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "startup.warmup.ms", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("startup.warmup.ms");
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "startup.warmup.ms", "600001")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("startup.warmup.ms");
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "startup.warmup.ms", "soon")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("startup.warmup.ms");
    }

    @Test
    void streamRetirementDefaultsToADayAndMustOutlastTheSilentAlert() {
        assertThat(FrameqConfig.of(Map.of("input.topics", "a")).getLong(FrameqConfig.STREAMS_RETIRE_AFTER_MS)).isEqualTo(86_400_000L);
        assertThat(FrameqConfig.of(Map.of("input.topics", "a", "streams.retire.after.ms", "0"))
                .getLong(FrameqConfig.STREAMS_RETIRE_AFTER_MS)).as("0: never retire").isZero();
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "streams.retire.after.ms", "30000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("streams.retire.after.ms")
                .hasMessageContaining("alerts.silent.after.ms (30000)");
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "streams.retire.after.ms", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("streams.retire.after.ms");
    }

    @Test
    void fullReferenceIsOffByDefaultAndValidatedWhenOn() {
        FrameqConfig off = FrameqConfig.of(Map.of("input.topics", "a"));
        assertThat(off.getBoolean(FrameqConfig.FR_ENABLED)).isFalse();
        FrameqConfig on = FrameqConfig.of(Map.of("input.topics", "a", "fr.enabled", "true", "fr.origin.topics", "cdn.origin",
                "fr.rendition.topics", "cdn.r1,cdn.r2", "fr.join.window.ms", "1500", "fr.join.grace.ms", "300", "fr.join.on", "pts"));
        assertThat(on.joinPolicy().windowMs()).isEqualTo(1500);
        assertThat(on.joinPolicy().graceMs()).isEqualTo(300);
        assertThat(on.joinPolicy().matchOn()).isEqualTo(io.frameq.join.JoinPolicy.MatchOn.PTS);
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "fr.enabled", "true", "fr.rendition.topics", "r")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fr.origin.topics");
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.pattern", "cdn\\..*", "fr.enabled", "true",
                "fr.origin.topics", "cdn.origin", "fr.rendition.topics", "r")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cdn.origin").hasMessageContaining("no-reference input");
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "fr.enabled", "true", "fr.origin.topics", "o",
                "fr.rendition.topics", "o")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must all differ");
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "fr.join.on", "offset")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fr.join.on");
        assertThatThrownBy(() -> FrameqConfig.of(Map.of("input.topics", "a", "fr.join.grace.ms", "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("fr.join.grace.ms");
    }

    @Test
    void readmeDocumentsEveryKey() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String key : FrameqConfig.DEF.names()) {
            assertThat(readme).as("README configuration table row for " + key).contains("| `" + key + "` |");
        }
    }
}
