package io.frameq.verdict;

import io.frameq.detect.DetectorReport;
import io.frameq.detect.Fault;

/**
 * One calibrated 0..1 quality from the model's quality and the detectors: a tiny logistic model
 * {@code quality = sigmoid(bias + wModel * logit(modelQuality) + wFault * faultConfidence + wDark * darkness)}
 * whose weights were fitted (logistic regression, scikit-learn) on the fit half of the real development set: clean
 * photos and clean camera frames (label 1) against real fault photos, real noisy photos and real low-light photos
 * (label 0), then the bias raised, where needed, until at most 2 % of the clean fit-half photos and 2 % of the clean
 * fit-half clip frames fall below the verdict threshold (0.45).
 * So a nearly black frame or a fogged lens, which the model alone scores 0.85-0.95, no longer reads as good, while
 * clean frames keep the model's ordering (the weight on the model is positive; all other inputs are 0 on a clean
 * frame). See {@code models/EVAL.md} for the fit and the check-half numbers.
 *
 * @param bias           intercept
 * @param wModel         weight of logit(model quality)
 * @param wFault         weight of the largest confidence among the diagnosed faults (conditions such as IR mode
 *                       excluded); a black frame counts as a fault of confidence 1, and the model's term is
 *                       left out for it
 * @param wDark          weight of darkness, {@code max(0, 40 - mean luma) / 40}
 *
 * <p>The noise estimate was tried as a fourth input and dropped: on the real noisy PolyU photos it reads as low as on
 * their clean references (0.4 luma levels), and its fitted weight came out positive (clean camera footage is
 * noisier than those crops), which would have ranked noisier frames higher.
 */
public record QualityCalibration(double bias, double wModel, double wFault, double wDark) {

    /** Fitted; see the class comment. */
    public static final QualityCalibration DEFAULTS = new QualityCalibration(FittedCalibration.BIAS,
            FittedCalibration.W_MODEL, FittedCalibration.W_FAULT, FittedCalibration.W_DARK);

    /** The identity: quality is the model's quality. */
    public static final QualityCalibration MODEL_ONLY = new QualityCalibration(0, 1, 0, 0);

    /** Keeps a quality of exactly 0 or 1 finite in logit space. */
    private static final double EPS = 1e-4;

    /**
     * The calibrated quality, or null when there is no usable model quality (model skipped or untrained): the
     * verdict then rests on the detectors alone.
     */
    public Double calibrate(Double modelQuality, boolean modelTrained, DetectorReport report) {
        if (modelQuality == null || !modelTrained || modelQuality.isNaN()) {
            return modelQuality == null || modelQuality.isNaN() ? null : modelQuality;
        }
        double q = Math.max(EPS, Math.min(1 - EPS, modelQuality));
        // A black frame shows the model nothing to judge (it scored real black bracket frames 0.97-1.00): its term
        // is left out there, and the frame counts as a certain fault.
        double model = report.has(io.frameq.detect.Degradation.BLACK) ? 0 : wModel * Math.log(q / (1 - q));
        double z = bias + model + wFault * faultConfidence(report) + wDark * darkness(report);
        return 1 / (1 + Math.exp(-z));
    }

    static double faultConfidence(DetectorReport report) {
        // BLACK is a whole-frame flag, not a spatial fault, so it is not in faults().
        if (report.has(io.frameq.detect.Degradation.BLACK)) {
            return 1.0;
        }
        return report.faults().stream().filter(f -> f.type().isFault()).mapToDouble(Fault::confidence).max().orElse(0);
    }

    static double darkness(DetectorReport report) {
        return Math.max(0, 40 - report.readings().meanLuma()) / 40;
    }
}
