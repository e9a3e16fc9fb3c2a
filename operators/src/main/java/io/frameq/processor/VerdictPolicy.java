package io.frameq.processor;

import java.util.ArrayList;
import java.util.List;

import io.frameq.detect.Degradation;
import io.frameq.detect.DetectorReport;
import io.frameq.verdict.QualityCalibration;

/**
 * Decides whether a frame is degraded and why, and what its 0..1 quality is: one judgement for the topology and
 * for {@code frameq score}. A detector flag (whole-frame or spatial fault) always counts. The model's quality is
 * fused with the detector readings by {@link QualityCalibration} and counts only when its weights are trained: an
 * untrained model's number is reported but never used to judge a frame.
 *
 * @param qualityThreshold frames with calibrated quality below this are {@code low_quality}
 * @param calibration      how the model's quality and the detectors make the reported quality
 */
public record VerdictPolicy(double qualityThreshold, QualityCalibration calibration) {

    public static final String LOW_QUALITY = "low_quality";

    public VerdictPolicy {
        if (!(qualityThreshold >= 0 && qualityThreshold <= 1)) {
            throw new IllegalArgumentException("VerdictPolicy: qualityThreshold must be in [0, 1], got " + qualityThreshold);
        }
        if (calibration == null) {
            throw new IllegalArgumentException("VerdictPolicy: calibration is required");
        }
    }

    /** A policy with the fitted {@link QualityCalibration#DEFAULTS}. */
    public VerdictPolicy(double qualityThreshold) {
        this(qualityThreshold, QualityCalibration.DEFAULTS);
    }

    /**
     * The verdict on one frame.
     *
     * @param quality the calibrated quality (null when no model scored the frame); the model's own quality when it
     *                is untrained, as before (never used for the verdict then)
     * @param reasons detector codes, then {@code low_quality}; empty for an ok frame
     */
    public record Judgement(Double quality, List<String> reasons) {
        public Judgement {
            reasons = List.copyOf(reasons);
        }

        public boolean ok() {
            return reasons.isEmpty();
        }
    }

    public Judgement judge(DetectorReport report, Double modelQuality, boolean modelTrained) {
        Double quality = calibration.calibrate(modelQuality, modelTrained, report);
        List<String> reasons = new ArrayList<>();
        for (Degradation d : report.flags()) {
            reasons.add(d.code());
        }
        if (modelTrained && quality != null && quality < qualityThreshold) {
            reasons.add(LOW_QUALITY);
        }
        return new Judgement(quality, reasons);
    }

    /** The reasons of {@link #judge}. */
    public List<String> reasons(DetectorReport report, Double quality, boolean modelTrained) {
        return judge(report, quality, modelTrained).reasons();
    }
}
