package io.frameq.processor;

import io.frameq.errors.DeadLetter;
import io.frameq.frame.FrameSource;
import io.frameq.metrics.FrameqMetrics;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a record that a stage could not process to the DLQ sink, with the original payload and
 * error headers, and counts it. The failure of one record never stops the stream.
 */
final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final String dlqChild;
    private final FrameqMetrics metrics;

    DeadLetters(String dlqChild, FrameqMetrics metrics) {
        this.dlqChild = dlqChild;
        this.metrics = metrics;
    }

    void send(ProcessorContext<String, Object> context, Record<String, ?> in, byte[] payload, FrameSource source,
              String stage, String reason, Throwable error) {
        DeadLetter letter = DeadLetter.of(stage, reason, error, source.topic(), source.partition(), source.offset());
        LOG.warn("DLQ stage={} reason={} stream={} source={}: {}", stage, letter.reason(), in.key(), source.eventId(),
                letter.message());
        context.forward(new Record<String, Object>(in.key(), payload, in.timestamp(), letter.headers(in.headers())), dlqChild);
        metrics.deadLetter(in.key(), letter.reason(), stage);
    }
}
