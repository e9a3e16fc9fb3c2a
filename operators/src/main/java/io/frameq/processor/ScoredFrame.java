package io.frameq.processor;

import io.frameq.event.ScoreEvent;
import io.frameq.frame.Frame;

/** A frame with its published score event, on its way to restoration. */
public record ScoredFrame(Frame frame, ScoreEvent event) {}
