package io.frameq.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import io.frameq.detect.Degradation;
import io.frameq.detect.DetectorReadings;
import io.frameq.detect.DetectorReport;
import io.frameq.event.ScoreEvent;
import io.frameq.processor.VerdictPolicy;
import io.frameq.route.Route;
import io.frameq.route.RoutePolicy;
import io.frameq.verdict.HysteresisPolicy;
import io.frameq.verdict.StreamVerdict;

import org.junit.jupiter.api.Test;

/** Verdict, hysteresis and routing of one frame, as values: no Kafka. */
class FrameJudgeTest {

    private static final FrameJudge JUDGE = new FrameJudge(new VerdictPolicy(0.45), HysteresisPolicy.DEFAULTS, RoutePolicy.DEFAULTS);

    static DetectorReport report(Degradation... flags) {
        return new DetectorReport(new DetectorReadings(100, 1, 120, 0, 0, 50, 0, Double.NaN), Set.of(flags), new byte[0]);
    }

    @Test
    void aCleanFrameOfGoodQualityIsOkAndGoesNowhere() {
        FrameVerdict v = JUDGE.judge("cam", report(), 0.8, true, null);
        assertThat(v.verdict()).isEqualTo(ScoreEvent.OK);
        assertThat(v.reasons()).isEmpty();
        assertThat(v.route()).isEqualTo(Route.NONE);
        assertThat(v.degradationType()).isNull();
        assertThat(v.streamVerdict()).isEqualTo("ok");
    }

    @Test
    void lowQualityFromATrainedModelIsDegradedAndRoutedToTheQualityRestorer() {
        FrameVerdict v = JUDGE.judge("cam", report(), 0.2, true, StreamVerdict.INITIAL);
        assertThat(v.reasons()).containsExactly(VerdictPolicy.LOW_QUALITY);
        assertThat(v.verdict()).isEqualTo(ScoreEvent.DEGRADED);
        assertThat(v.route()).isEqualTo(Route.QUALITY);
        assertThat(v.degradationType()).isEqualTo("low_quality");
    }

    @Test
    void anUntrainedModelsQualityNeverJudges() {
        assertThat(JUDGE.judge("cam", report(), 0.01, false, null).degraded()).isFalse();
    }

    @Test
    void aFrozenFrameIsAlertOnly() {
        FrameVerdict v = JUDGE.judge("cam", report(Degradation.FROZEN), 0.9, true, null);
        assertThat(v.reasons()).containsExactly("frozen");
        assertThat(v.route()).isEqualTo(Route.ALERT_ONLY);
    }

    @Test
    void theStreamTurnsDegradedAtOnceAndRecoversOnlyAfterThreeGoodFrames() {
        // DEFAULTS: enter after 1 bad frame, leave after 3 good ones
        StreamVerdict s = JUDGE.judge("cam", report(Degradation.BLUR), 0.9, true, null).streamState();
        assertThat(s.degraded()).isTrue();
        for (int i = 1; i <= 2; i++) {
            FrameVerdict good = JUDGE.judge("cam", report(), 0.9, true, s);
            assertThat(good.verdict()).as("frame verdict after %d good frames", i).isEqualTo("ok");
            assertThat(good.streamVerdict()).as("stream verdict after %d good frames", i).isEqualTo("degraded");
            s = good.streamState();
        }
        assertThat(JUDGE.judge("cam", report(), 0.9, true, s).streamVerdict()).isEqualTo("ok");
    }

    @Test
    void withoutHysteresisTheStreamVerdictIsTheFramesAndNoStateIsKept() {
        FrameJudge plain = new FrameJudge(new VerdictPolicy(0.45), null, RoutePolicy.DEFAULTS);
        FrameVerdict v = plain.judge("cam", report(Degradation.BLUR), 0.9, true, null);
        assertThat(plain.keepsStreamState()).isFalse();
        assertThat(v.streamState()).isNull();
        assertThat(v.streamVerdict()).isEqualTo("degraded");
    }
}
