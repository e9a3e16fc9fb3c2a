package io.frameq.api;

import io.frameq.event.FrScoreEvent;
import io.frameq.processor.DeadLettered;

import org.apache.kafka.streams.kstream.KStream;

/**
 * The typed streams {@link FrameqOperators#scoreFullReference} returns.
 *
 * @param scores one event per scored pair, keyed by rendition id, and one per frame that never paired
 *     ({@code fr.matched: false}); the scores topic's JSON with {@link FrameqSerdes#frScoreEvent()}
 * @param deadLetters every record the full-reference stages could not process
 */
public record FrameqFrStreams(KStream<String, FrScoreEvent> scores, KStream<String, DeadLettered> deadLetters) {}
