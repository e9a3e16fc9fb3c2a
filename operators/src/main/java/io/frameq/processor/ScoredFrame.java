package io.frameq.processor;

import io.frameq.event.ScoreEvent;
import io.frameq.frame.Frame;

/** A frame with its published score event: to the scores topic, alerts and restoration. */
public record ScoredFrame(Frame frame, ScoreEvent event) implements FrameOutcome {}
