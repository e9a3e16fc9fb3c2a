package io.frameq.verdict;

/**
 * The weights of {@link QualityCalibration#DEFAULTS}, as printed by
 * {@code python models/python/frameq_models/fault_bench.py --data DATA --jar stream-app/target/frameq.jar --out DIR
 * --reuse --fit-calibration} on the fit half of the real development set (models/EVAL.md, "Fault diagnosis on real
 * footage"): maniqa-lite v4, FaultRules as committed with this file.
 */
final class FittedCalibration {
    static final double BIAS = 0.3416;
    static final double W_MODEL = 0.6213;
    static final double W_FAULT = -1.7637;
    static final double W_DARK = -2.0319;

    private FittedCalibration() {
    }
}
