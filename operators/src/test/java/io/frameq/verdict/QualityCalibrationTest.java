package io.frameq.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameq.detect.Degradation;
import io.frameq.detect.DetectorReadings;
import io.frameq.detect.DetectorReport;
import io.frameq.detect.Fault;
import io.frameq.detect.FaultType;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class QualityCalibrationTest {

    private static final QualityCalibration FITTED = QualityCalibration.DEFAULTS;
    private static final double THRESHOLD = 0.45;

    private static DetectorReport report(double meanLuma, double noiseSigma, List<Fault> faults) {
        DetectorReadings r = new DetectorReadings(500, noiseSigma, meanLuma, 0, 0, 40, 1, Double.NaN);
        EnumSet<Degradation> flags = EnumSet.noneOf(Degradation.class);
        faults.stream().filter(f -> f.type().isFault()).forEach(f -> flags.add(f.type().degradation()));
        return new DetectorReport(r, flags, new byte[0], null, faults);
    }

    private static final DetectorReport CLEAN = report(120, 0.5, List.of());

    @Test
    void theFittedModelTrustsTheModelOnACleanFrame() {
        assertThat(FITTED.wModel()).as("weight on the model's quality").isPositive();
        assertThat(FITTED.calibrate(0.85, true, CLEAN)).isGreaterThan(0.6);
        assertThat(FITTED.calibrate(0.5, true, CLEAN)).isLessThan(FITTED.calibrate(0.85, true, CLEAN));
    }

    @Test
    void aNearlyBlackFrameNoLongerScoresWellWhateverTheModelSays() {
        DetectorReport nearlyBlack = report(12, 1, List.of(new Fault(FaultType.DARK, 0.95, List.of(0, 1, 2))));
        assertThat(FITTED.calibrate(0.9, true, nearlyBlack)).isLessThan(THRESHOLD);
    }

    @Test
    void aBlackFrameReadsBelowTheVerdictThresholdAndBelowADarkOne() {
        // Real black bracket frames (mean luma 0) were scored 0.97-0.98 by the model and read 0.64-0.70.
        DetectorReadings r = new DetectorReadings(2, 0.1, 0.2, 1, 0, 1, 1, Double.NaN);
        DetectorReport black = new DetectorReport(r, EnumSet.of(Degradation.BLACK), new byte[0], null, List.of());
        DetectorReport dark = report(12, 1, List.of(new Fault(FaultType.DARK, 0.95, List.of(0, 1, 2))));
        assertThat(FITTED.calibrate(1.0, true, black)).isLessThan(THRESHOLD)
                .isLessThanOrEqualTo(FITTED.calibrate(0.98, true, dark))
                .as("the model's confidence on a black frame counts for nothing")
                .isEqualTo(FITTED.calibrate(0.2, true, black));
    }

    @Test
    void aConfidentFaultPullsQualityBelowTheVerdictThreshold() {
        DetectorReport fogged = report(150, 0.5, List.of(new Fault(FaultType.LOW_VISIBILITY, 0.95, List.of(4))));
        assertThat(FITTED.calibrate(0.8, true, fogged)).isLessThan(FITTED.calibrate(0.8, true, CLEAN));
        assertThat(FITTED.calibrate(0.6, true, fogged)).isLessThan(THRESHOLD);
    }

    @Test
    void irModeIsNotAFaultAndCostsNothing() {
        DetectorReport ir = report(120, 0.5, List.of(new Fault(FaultType.IR_MODE, 0.99, List.of(0))));
        assertThat(FITTED.calibrate(0.8, true, ir)).isEqualTo(FITTED.calibrate(0.8, true, CLEAN));
    }

    @Test
    void withoutAUsableModelQualityNothingIsInvented() {
        assertThat(FITTED.calibrate(null, true, CLEAN)).isNull();
        assertThat(FITTED.calibrate(0.3, false, CLEAN)).as("untrained: reported as is, never judged").isEqualTo(0.3);
        assertThat(QualityCalibration.MODEL_ONLY.calibrate(0.37, true, CLEAN)).isCloseTo(0.37, org.assertj.core.api.Assertions.within(1e-6));
    }
}
