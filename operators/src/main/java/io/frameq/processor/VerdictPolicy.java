package io.frameq.processor;

import java.util.ArrayList;
import java.util.List;

import io.frameq.detect.Degradation;
import io.frameq.detect.DetectorReport;

/**
 * Decides whether a frame is degraded and why. A detector flag always counts. The model's
 * quality counts only when its weights are trained: an untrained model's number is reported but
 * never used to judge a frame.
 *
 * @param qualityThreshold frames with normalised quality below this are {@code low_quality}
 */
public record VerdictPolicy(double qualityThreshold) {

    public static final String LOW_QUALITY = "low_quality";

    public VerdictPolicy {
        if (!(qualityThreshold >= 0 && qualityThreshold <= 1)) {
            throw new IllegalArgumentException("VerdictPolicy: qualityThreshold must be in [0, 1], got " + qualityThreshold);
        }
    }

    public List<String> reasons(DetectorReport report, Double quality, boolean modelTrained) {
        List<String> reasons = new ArrayList<>();
        for (Degradation d : report.flags()) {
            reasons.add(d.code());
        }
        if (modelTrained && quality != null && quality < qualityThreshold) {
            reasons.add(LOW_QUALITY);
        }
        return reasons;
    }
}
