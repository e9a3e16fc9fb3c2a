package io.frameq.processor;

import io.frameq.errors.DeadLetter;
import io.frameq.frame.FrameSource;
import io.frameq.metrics.FrameqMetrics;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a record that a stage could not process to its dead-letter outlet, with the original
 * payload and error headers, and counts it. The failure of one record never stops the stream.
 */
final class DeadLetters {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final Outlet<DeadLettered> outlet;
    private final FrameqMetrics metrics;

    DeadLetters(String dlqChild, FrameqMetrics metrics) {
        this(toSink(dlqChild), metrics);
    }

    DeadLetters(Outlet<DeadLettered> outlet, FrameqMetrics metrics) {
        this.outlet = outlet;
        this.metrics = metrics;
    }

    /** The DLQ sink's form: the payload as the value, the letter in the headers. */
    static Outlet<DeadLettered> toSink(String dlqChild) {
        return Outlet.toChild(dlqChild, DeadLettered::payload);
    }

    void send(ProcessorContext<String, Object> context, Record<String, ?> in, byte[] payload, FrameSource source,
              String stage, String reason, Throwable error) {
        send(context, in, payload, source, stage, reason, error, false);
    }

    /**
     * @param published the frame's score event is published as well (a model failure): the frame is
     *     then counted once, as scored, and the DLQ only counts the reason
     */
    void send(ProcessorContext<String, Object> context, Record<String, ?> in, byte[] payload, FrameSource source,
              String stage, String reason, Throwable error, boolean published) {
        DeadLetter letter = DeadLetter.of(stage, reason, error, source.topic(), source.partition(), source.offset());
        LOG.warn("DLQ stage={} reason={} stream={} source={}: {}", stage, letter.reason(), in.key(), source.eventId(),
                letter.message());
        outlet.send(context, new Record<>(in.key(), new DeadLettered(letter, payload), in.timestamp(), letter.headers(in.headers())));
        if (published) {
            metrics.deadLetterAfterScoring(letter.reason(), stage);
        } else {
            metrics.deadLetter(in.key(), letter.reason(), stage);
        }
    }
}
