package io.frameq.verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HysteresisPolicyTest {

    private static final HysteresisPolicy POLICY = new HysteresisPolicy(new Thresholds(0.40, 0.50),
            Map.of("cam-strict", new Thresholds(0.60, 0.70)), 2, 3);

    private static List<String> run(String stream, double... qualities) {
        StreamVerdict s = StreamVerdict.INITIAL;
        List<String> out = new ArrayList<>();
        for (double q : qualities) {
            s = POLICY.next(s, POLICY.evidence(stream, List.of(), q, true));
            out.add(s.wire());
        }
        return out;
    }

    @Test
    void shouldNotFlapWhileQualityWandersInsideTheBand() {
        // around the low threshold: dips below 0.40 never twice in a row, so the stream stays ok
        assertThat(run("cam-1", 0.39, 0.41, 0.38, 0.45, 0.39, 0.49, 0.39)).containsOnly("ok");
        // two frames below 0.40 enter; values inside the band (0.40..0.50) never leave
        assertThat(run("cam-1", 0.3, 0.3, 0.45, 0.49, 0.47, 0.45, 0.48, 0.46))
                .containsExactly("ok", "degraded", "degraded", "degraded", "degraded", "degraded", "degraded", "degraded");
        // three frames above 0.50 in a row leave; a neutral frame in between resets the count
        assertThat(run("cam-1", 0.3, 0.3, 0.6, 0.6, 0.45, 0.6, 0.6, 0.6))
                .containsExactly("ok", "degraded", "degraded", "degraded", "degraded", "degraded", "degraded", "ok");
    }

    @Test
    void shouldUseTheStreamsOwnThresholds() {
        assertThat(run("cam-strict", 0.55, 0.55)).containsExactly("ok", "degraded");
        assertThat(run("cam-other", 0.55, 0.55)).containsExactly("ok", "ok");
    }

    @Test
    void shouldCountDetectorFlagsAsBadAndIgnoreUntrainedOrMissingQuality() {
        assertThat(POLICY.evidence("cam-1", List.of("blur"), 0.9, true)).isEqualTo(HysteresisPolicy.Evidence.BAD);
        assertThat(POLICY.evidence("cam-1", List.of(), 0.1, false)).isEqualTo(HysteresisPolicy.Evidence.GOOD);
        assertThat(POLICY.evidence("cam-1", List.of(), null, true)).isEqualTo(HysteresisPolicy.Evidence.GOOD);
        assertThat(POLICY.evidence("cam-1", List.of(), 0.45, true)).isEqualTo(HysteresisPolicy.Evidence.NEUTRAL);
    }

    @Test
    void shouldRoundTripTheStoredState() {
        StreamVerdict s = new StreamVerdict(true, 2, 17);
        assertThat(StreamVerdict.fromBytes(s.toBytes())).isEqualTo(s);
        assertThat(StreamVerdict.fromBytes(new byte[] {9})).isEqualTo(StreamVerdict.INITIAL);
    }

    @Test
    void shouldRefuseAnEmptyOrInvertedBand() {
        assertThatThrownBy(() -> new Thresholds(0.5, 0.5)).hasMessageContaining("low < high");
        assertThatThrownBy(() -> new HysteresisPolicy(new Thresholds(0.1, 0.2), Map.of(), 0, 1))
                .hasMessageContaining("enterFrames");
    }
}
