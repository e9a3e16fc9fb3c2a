package io.frameq.scoring;

import java.util.List;
import java.util.Objects;

import io.frameq.detect.Degradation;
import io.frameq.detect.DetectorReport;
import io.frameq.processor.VerdictPolicy;
import io.frameq.route.Route;
import io.frameq.route.RoutePolicy;
import io.frameq.verdict.HysteresisPolicy;
import io.frameq.verdict.StreamVerdict;

/**
 * Judges one scored frame: its verdict and reasons ({@link VerdictPolicy}), its route
 * ({@link RoutePolicy}) and, with hysteresis, the stream's next verdict state. Pure: the caller
 * loads the stream's previous state and stores the next one.
 *
 * @param hysteresis null: the stream's verdict is each frame's verdict (no state kept)
 */
public record FrameJudge(VerdictPolicy verdicts, HysteresisPolicy hysteresis, RoutePolicy routes) {

    public FrameJudge {
        Objects.requireNonNull(verdicts, "verdicts");
        Objects.requireNonNull(routes, "routes");
    }

    public boolean keepsStreamState() {
        return hysteresis != null;
    }

    /**
     * @param quality the model's quality in [0, 1], null when the model did not run (shed); the verdict's
     *     quality is this calibrated with the detectors
     * @param modelTrained whether the model's quality may judge a frame (an untrained one's may not)
     * @param previous the stream's state before this frame (null: none yet); ignored without hysteresis
     */
    public FrameVerdict judge(String stream, DetectorReport report, Double quality, boolean modelTrained, StreamVerdict previous) {
        VerdictPolicy.Judgement judgement = verdicts.judge(report, quality, modelTrained);
        Double calibrated = judgement.quality(); // the model's quality fused with the detectors
        List<String> reasons = judgement.reasons();
        Route route = routes.route(reasons);
        StreamVerdict next = null;
        if (hysteresis != null) {
            List<String> flags = report.flags().stream().map(Degradation::code).toList();
            next = hysteresis.next(previous == null ? StreamVerdict.INITIAL : previous,
                    hysteresis.evidence(stream, flags, calibrated, modelTrained));
        }
        return new FrameVerdict(reasons, route, routes.primaryType(reasons, route), next, calibrated);
    }
}
