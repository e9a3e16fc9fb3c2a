package io.frameq.processor;

import io.frameq.detect.DetectorReport;
import io.frameq.frame.Frame;
import io.frameq.frame.Reduction;

/**
 * A frame with its detector report, on its way to the model.
 *
 * @param baselineDeviation true when a reading strayed from the stream's baseline (a suspect for the model sampling,
 *     even when no flag stands)
 * @param reduction the picture's full size, and whether the frame's image was shrunk for the detectors (then the
 *     model needs the payload decoded again at full size)
 */
public record AnalyzedFrame(Frame frame, DetectorReport report, long decodeNanos, long detectNanos, boolean baselineDeviation,
                            Reduction reduction) implements FrameOutcome {

    /** A full-size frame without a baseline judgement (no deviation). */
    public AnalyzedFrame(Frame frame, DetectorReport report, long decodeNanos, long detectNanos) {
        this(frame, report, decodeNanos, detectNanos, false, Reduction.none(frame.width(), frame.height()));
    }
}
