package io.frameq.scoring;

import java.util.List;

import io.frameq.event.ScoreEvent;
import io.frameq.route.Route;
import io.frameq.verdict.StreamVerdict;

/**
 * What {@link FrameJudge} decided for one frame.
 *
 * @param reasons why the frame is degraded (detector codes, then {@code low_quality}); empty when it is fine
 * @param route where a degraded frame goes ({@link Route#NONE} for a fine one)
 * @param degradationType the degradation the route was chosen for, null when none
 * @param streamState the stream's verdict state after this frame; null without hysteresis
 * @param quality the frame's 0..1 quality: the model's quality calibrated with the detectors
 *     ({@link io.frameq.processor.VerdictPolicy#judge}); null when the model did not run
 */
public record FrameVerdict(List<String> reasons, Route route, String degradationType, StreamVerdict streamState,
                           Double quality) {

    public FrameVerdict {
        reasons = List.copyOf(reasons);
    }

    /** {@link ScoreEvent#OK} or {@link ScoreEvent#DEGRADED}. */
    public String verdict() {
        return reasons.isEmpty() ? ScoreEvent.OK : ScoreEvent.DEGRADED;
    }

    /** The stream's verdict on the wire: with hysteresis its state, otherwise the frame's own verdict. */
    public String streamVerdict() {
        return streamState == null ? verdict() : streamState.wire();
    }

    public boolean degraded() {
        return !reasons.isEmpty();
    }
}
