package io.frameq.processor;

/**
 * What a stage of the no-reference chain hands on for one frame: typed, so neither the next
 * processor nor the DSL has to guess from an {@code Object}. A DSL stream of outcomes is split by
 * type ({@code instanceof}); the Processor API routes each type to its named child ({@link Outlet}).
 */
public sealed interface FrameOutcome
        permits DecodeProcessor.DecodedInput, AnalyzedFrame, ScoredFrame, RestoredFrame, DeadLettered {}
