package io.frameq.api;

import io.frameq.alert.AlertEvent;
import io.frameq.event.ScoreEvent;
import io.frameq.processor.DeadLettered;
import io.frameq.processor.RestoredFrame;
import io.frameq.processor.ScoredFrame;

import org.apache.kafka.streams.kstream.KStream;

/**
 * The typed streams {@link FrameqOperators#score} returns, keyed by stream id. Write them with
 * {@link FrameqSerdes}, or keep going in your own topology. Record headers travel with the values
 * (a score event's {@code frameq-event-id}, a dead letter's {@code frameq-error-*}).
 *
 * @param scores one event per frame (the scores topic's JSON with {@link FrameqSerdes#scoreEvent()})
 * @param scoredFrames the same, with the decoded frame (its pixels, the original payload) for your own stages
 * @param alerts an event only when an incident opens or resolves
 * @param restored restored frames; an empty stream unless restoration is on
 * @param deadLetters every record a stage could not process, from any stage
 */
public record FrameqStreams(KStream<String, ScoreEvent> scores, KStream<String, ScoredFrame> scoredFrames,
                            KStream<String, AlertEvent> alerts, KStream<String, RestoredFrame> restored,
                            KStream<String, DeadLettered> deadLetters) {}
