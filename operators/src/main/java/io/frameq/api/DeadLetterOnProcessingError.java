package io.frameq.api;

import io.frameq.errors.DeadLetter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' {@code processing.exception.handler} for a topology with FrameQ in it: a record
 * whose processing throws out of a processor — a poison record hitting a bug, in FrameQ or in the
 * embedding's own processors — goes to the dead-letter topic and the stream goes on with the next
 * record. Without it, the stream thread dies, is replaced, and meets the same record again.
 *
 * <p>The dead letter is FrameQ's ({@link DeadLetter}): the source record's raw key and value byte
 * for byte (what the topology read, whichever processor failed), its headers, and
 * {@code frameq-error-stage} = the failing processor's name, {@code frameq-error-reason} =
 * {@value #REASON}. FrameQ's own processors dead-letter their per-record failures themselves
 * (corrupt input, model errors); this is the net under everything else.
 *
 * <p>Configure with {@code processing.exception.handler} = this class and {@value #DLQ_TOPIC_CONFIG}
 * = the dead-letter topic; {@code frameq run} does both (policy {@code processing.error.policy}).
 */
public final class DeadLetterOnProcessingError implements ProcessingExceptionHandler {

    /** The Streams property naming the dead-letter topic. */
    public static final String DLQ_TOPIC_CONFIG = "frameq.dead.letter.topic";
    /** The dead letter's reason. */
    public static final String REASON = "processor_error";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterOnProcessingError.class);

    private String topic;

    @Override
    public void configure(Map<String, ?> configs) {
        Object t = configs.get(DLQ_TOPIC_CONFIG);
        if (!(t instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(DLQ_TOPIC_CONFIG + ": expected the dead-letter topic for "
                    + DeadLetterOnProcessingError.class.getSimpleName() + ", actual " + t);
        }
        this.topic = s;
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        Objects.requireNonNull(topic, "configure() was not called");
        DeadLetter letter = DeadLetter.of(context.processorNodeId(), REASON, exception, context.topic(), context.partition(),
                context.offset());
        LOG.warn("DLQ stage={} reason={} source={}/{}/{}: {}", context.processorNodeId(), REASON, context.topic(),
                context.partition(), context.offset(), letter.message(), exception);
        ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(topic, null, context.sourceRawKey(), context.sourceRawValue(),
                letter.headers(context.headers()));
        return Response.resume(List.of(dead));
    }
}
