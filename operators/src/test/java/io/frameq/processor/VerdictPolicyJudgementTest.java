package io.frameq.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameq.detect.Degradation;
import io.frameq.detect.DetectorReadings;
import io.frameq.detect.DetectorReport;
import io.frameq.detect.Fault;
import io.frameq.detect.FaultType;
import io.frameq.verdict.QualityCalibration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictPolicyJudgementTest {

    private static DetectorReport report(EnumSet<Degradation> flags, List<Fault> faults) {
        return new DetectorReport(new DetectorReadings(500, 0.5, 120, 0, 0, 40, 1, Double.NaN), flags, new byte[0], null,
                faults);
    }

    @Test
    void faultsAreReasonsAndConditionsAreNot() {
        VerdictPolicy policy = new VerdictPolicy(0.45);
        VerdictPolicy.Judgement ir = policy.judge(report(EnumSet.noneOf(Degradation.class),
                List.of(new Fault(FaultType.IR_MODE, 0.9, List.of(1)))), 0.8, true);
        assertThat(ir.ok()).isTrue();
        VerdictPolicy.Judgement covered = policy.judge(report(EnumSet.of(Degradation.COVERED),
                List.of(new Fault(FaultType.COVERED, 0.9, List.of(1)))), 0.8, true);
        assertThat(covered.reasons()).startsWith("covered");
    }

    @Test
    void lowQualityIsJudgedOnTheCalibratedQuality() {
        VerdictPolicy modelOnly = new VerdictPolicy(0.45, QualityCalibration.MODEL_ONLY);
        DetectorReport clean = report(EnumSet.noneOf(Degradation.class), List.of());
        assertThat(modelOnly.judge(clean, 0.4, true).reasons()).containsExactly(VerdictPolicy.LOW_QUALITY);
        assertThat(modelOnly.judge(clean, 0.4, false).reasons()).as("untrained model").isEmpty();
        VerdictPolicy harsh = new VerdictPolicy(0.45, new QualityCalibration(-3, 1, 0, 0));
        VerdictPolicy.Judgement j = harsh.judge(clean, 0.8, true);
        assertThat(j.quality()).isLessThan(0.45);
        assertThat(j.reasons()).containsExactly(VerdictPolicy.LOW_QUALITY);
        assertThat(harsh.reasons(clean, 0.8, true)).isEqualTo(j.reasons());
    }
}
