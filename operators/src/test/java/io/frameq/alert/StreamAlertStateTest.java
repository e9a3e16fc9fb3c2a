package io.frameq.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.frameq.event.EventJson;

import org.junit.jupiter.api.Test;

class StreamAlertStateTest {

    @Test
    void windowStatisticsAndP10FromTheHistogram() {
        StreamAlertState s = new StreamAlertState();
        s.resetWindow(0);
        for (int i = 1; i <= 10; i++) {
            s.add(i / 10.0 - 0.01, i <= 3, i <= 3 ? List.of("blur", i == 1 ? "noise" : "blur") : List.of(), List.of());
        }
        s.add(null, false, List.of(), null);
        assertThat(s.frames).isEqualTo(11);
        assertThat(s.degradedShare()).isEqualTo(3 / 11.0);
        assertThat(s.min()).isCloseTo(0.09, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.mean()).isCloseTo(0.54, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(s.p10()).isBetween(0.09, 0.1);
        assertThat(s.topDegradations(3)).containsExactly("blur", "noise");
    }

    @Test
    void emptyWindowHasNoQuality() {
        StreamAlertState s = new StreamAlertState();
        assertThat(s.mean()).isNull();
        assertThat(s.p10()).isNull();
        assertThat(s.min()).isNull();
    }

    @Test
    void survivesTheStoreRoundTrip() {
        StreamAlertState s = new StreamAlertState();
        s.resetWindow(10_000);
        s.add(0.3, true, List.of("soiled"), List.of(new io.frameq.event.ScoreEvent.FaultInfo("soiled", 0.8, List.of(3, 4))));
        s.qualityAlertId = "cam/quality/0";
        StreamAlertState back = EventJson.fromBytes(EventJson.toBytes(s), StreamAlertState.class);
        assertThat(back.windowStart).isEqualTo(10_000);
        assertThat(back.p10()).isEqualTo(s.p10());
        assertThat(back.reasons).containsEntry("soiled", 1);
        assertThat(back.faults.summary()).containsExactly(new AlertEvent.FaultSummary("soiled", 1, List.of(3, 4)));
        assertThat(back.qualityAlertId).isEqualTo("cam/quality/0");
    }

    @Test
    void policyRejectsInconsistentRatios() {
        assertThatThrownBy(() -> new AlertPolicy(10_000, 0.2, 1, 0.5, 2, 30_000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resolveRatio");
        assertThatThrownBy(() -> new AlertPolicy(0, 0.5, 0, 0.2, 2, 30_000))
                .hasMessageContaining("windowMs").hasMessageContaining("openWindows");
    }
}
