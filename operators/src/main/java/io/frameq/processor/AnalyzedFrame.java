package io.frameq.processor;

import io.frameq.detect.DetectorReport;
import io.frameq.frame.Frame;

/** A frame with its detector report, on its way to the model. */
public record AnalyzedFrame(Frame frame, DetectorReport report, long decodeNanos, long detectNanos) implements FrameOutcome {}
