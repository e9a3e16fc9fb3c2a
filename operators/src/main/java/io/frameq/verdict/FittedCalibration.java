package io.frameq.verdict;

/** The weights of {@link QualityCalibration#DEFAULTS}, as fitted by {@code fault_bench.py --fit-calibration}. */
final class FittedCalibration {
    static final double BIAS = 0.0;
    static final double W_MODEL = 1.0;
    static final double W_FAULT = 0.0;
    static final double W_DARK = 0.0;
    static final double W_NOISE = 0.0;

    private FittedCalibration() {
    }
}
