package io.frameq.processor;

import io.frameq.detect.DetectorReport;
import io.frameq.frame.Frame;

/**
 * A frame with its detector report, on its way to the model.
 *
 * @param baselineDeviation true when a reading strayed from the stream's baseline (a suspect for the model sampling,
 *     even when no flag stands)
 */
public record AnalyzedFrame(Frame frame, DetectorReport report, long decodeNanos, long detectNanos, boolean baselineDeviation)
        implements FrameOutcome {

    /** Without a baseline judgement (no deviation). */
    public AnalyzedFrame(Frame frame, DetectorReport report, long decodeNanos, long detectNanos) {
        this(frame, report, decodeNanos, detectNanos, false);
    }
}
