package io.frameq.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import io.frameq.route.Route;
import io.frameq.verdict.HysteresisPolicy;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RouteRestoreConfigTest {

    private static FrameqConfig config(String... kv) {
        Map<String, String> m = new HashMap<>(Map.of("input.topics", "a"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return FrameqConfig.of(m);
    }

    @Test
    void defaultsGiveTheOperatorsDefaultsAndRestorationOff() {
        FrameqConfig c = config();
        assertThat(c.getBoolean(RouteRestoreConfig.RESTORE_ENABLED)).isFalse();
        assertThat(RouteRestoreConfig.hysteresis(c)).isEqualTo(HysteresisPolicy.DEFAULTS);
        assertThat(RouteRestoreConfig.routes(c)).isEqualTo(io.frameq.route.RoutePolicy.DEFAULTS);
        assertThat(RouteRestoreConfig.budget(c)).isEqualTo(io.frameq.route.BudgetPolicy.DEFAULTS);
    }

    @Test
    void perStreamThresholdsAndRoutesAreParsed() {
        FrameqConfig c = config("verdict.stream.thresholds", "cam-7:0.3:0.4, cam-8:0.5:0.9",
                "route.quality.types", "noise", "route.latency.types", "blur,dark", "route.alert.only.types", "black,frozen");
        assertThat(RouteRestoreConfig.hysteresis(c).thresholds("cam-7").high()).isEqualTo(0.4);
        assertThat(RouteRestoreConfig.hysteresis(c).thresholds("cam-1").low()).isEqualTo(0.45);
        assertThat(RouteRestoreConfig.routes(c).route(java.util.List.of("dark"))).isEqualTo(Route.LATENCY);
    }

    @Test
    void mistakesStopTheStartWithAPlainMessageNamingTheKey() {
        assertThatThrownBy(() -> config("verdict.quality.low", "0.6", "verdict.quality.high", "0.5"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("verdict.quality.low (0.6) must be below verdict.quality.high");
        assertThatThrownBy(() -> config("verdict.stream.thresholds", "cam-7:0.3"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected stream:low:high, actual 'cam-7:0.3'");
        assertThatThrownBy(() -> config("verdict.stream.thresholds", "cam-7:0.5:0.4"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cam-7").hasMessageContaining("low < high");
        assertThatThrownBy(() -> config("route.latency.types", "blur,blurr"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("route.*").hasMessageContaining("'blurr'");
        assertThatThrownBy(() -> config("route.quality.types", "noise,blur"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'blur' is in more than one route");
        assertThatThrownBy(() -> config("restore.tile.size", "128", "restore.tile.overlap", "64"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("restore.tile.overlap").hasMessageContaining("56");
        assertThatThrownBy(() -> config("restore.topic", "frameq.scores"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("restore.topic").hasMessageContaining("scores.topic");
        assertThatThrownBy(() -> config("restore.jpeg.quality", "0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("restore.jpeg.quality");
    }
}
