/**
 * FrameQ's errors: {@link io.frameq.errors.FrameqException}, the root of the exceptions FrameQ raises
 * itself, and {@link io.frameq.errors.DeadLetter}, the record a failed input becomes on the DLQ topic.
 * Depends on no other FrameQ package (only Kafka's header types), so every package may use it.
 */
package io.frameq.errors;
