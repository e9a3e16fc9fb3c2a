package io.frameq.verdict;

import java.util.List;
import java.util.Map;

/**
 * Per-stream verdict with hysteresis, so a stream whose quality hovers around a threshold does not
 * flap between ok and degraded.
 *
 * <p>A frame is <em>bad</em> when a detector flagged it or the (trained) model's quality is below
 * the stream's {@code low}; <em>good</em> when no detector flagged it and its quality is above
 * {@code high} (or there is no usable quality: shed frame, untrained model); otherwise neutral. An ok
 * stream turns degraded after {@code enterFrames} consecutive bad frames, a degraded stream turns ok
 * after {@code leaveFrames} consecutive good frames; a neutral frame breaks either streak.
 *
 * @param defaults thresholds of streams without an override
 * @param perStream overrides by stream id
 * @param enterFrames consecutive bad frames that make an ok stream degraded
 * @param leaveFrames consecutive good frames that make a degraded stream ok
 */
public record HysteresisPolicy(Thresholds defaults, Map<String, Thresholds> perStream, int enterFrames, int leaveFrames) {

    /** Low at the per-frame threshold (0.45), high 0.1 above it; one bad frame enters, three good frames leave. */
    public static final HysteresisPolicy DEFAULTS = new HysteresisPolicy(new Thresholds(0.45, 0.55), Map.of(), 1, 3);

    public HysteresisPolicy {
        perStream = Map.copyOf(perStream);
        if (defaults == null) {
            throw new IllegalArgumentException("HysteresisPolicy: defaults is required");
        }
        if (enterFrames < 1 || leaveFrames < 1) {
            throw new IllegalArgumentException("HysteresisPolicy: enterFrames and leaveFrames must be >= 1, actual "
                    + enterFrames + " and " + leaveFrames);
        }
    }

    public Thresholds thresholds(String stream) {
        return perStream.getOrDefault(stream, defaults);
    }

    /** What one frame says about its stream. */
    public enum Evidence { BAD, NEUTRAL, GOOD }

    /**
     * @param detectorFlags detector codes flagged on the frame
     * @param quality normalised quality, or null when the model was skipped
     * @param modelTrained false: quality carries no meaning and is ignored
     */
    public Evidence evidence(String stream, List<String> detectorFlags, Double quality, boolean modelTrained) {
        Thresholds t = thresholds(stream);
        boolean usable = modelTrained && quality != null;
        if (!detectorFlags.isEmpty() || (usable && quality < t.low())) {
            return Evidence.BAD;
        }
        if (!usable || quality > t.high()) {
            return Evidence.GOOD;
        }
        return Evidence.NEUTRAL;
    }

    /** The stream's state after one more frame. */
    public StreamVerdict next(StreamVerdict state, Evidence e) {
        if (state.degraded()) {
            int streak = e == Evidence.GOOD ? state.streak() + 1 : 0;
            return streak >= leaveFrames ? new StreamVerdict(false, 0, state.transitions() + 1) : new StreamVerdict(true, streak,
                    state.transitions());
        }
        int streak = e == Evidence.BAD ? state.streak() + 1 : 0;
        return streak >= enterFrames ? new StreamVerdict(true, 0, state.transitions() + 1) : new StreamVerdict(false, streak,
                state.transitions());
    }
}
