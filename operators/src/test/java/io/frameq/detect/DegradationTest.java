package io.frameq.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DegradationTest {

    @Test
    void codesAreStableLowerCaseLabels() {
        assertThat(Arrays.stream(Degradation.values()).map(Degradation::code))
                .containsExactly("blur", "noise", "dark", "overexposed", "black", "frozen", "blocky", "covered", "soiled",
                        "raindrops", "low_visibility", "glare", "defocused", "colour_cast", "moved");
    }

    @Test
    void readingsMapHasStableKeysInFixedOrder() {
        DetectorReadings r = new DetectorReadings(1, 2, 3, 0.4, 0.5, 6, 7, Double.NaN);
        Map<String, Double> m = r.asMap();
        assertThat(m.keySet()).containsExactly("sharpness", "noise_sigma", "mean_luma", "clipped_dark",
                "clipped_bright", "contrast", "blockiness", "frozen_diff");
        assertThat(m.keySet()).containsExactlyElementsOf(DetectorReadings.KEYS);
        assertThat(m.values()).containsExactly(1.0, 2.0, 3.0, 0.4, 0.5, 6.0, 7.0, Double.NaN);
        assertThatThrownBy(() -> m.put("x", 1.0)).isInstanceOf(UnsupportedOperationException.class);
    }
}
