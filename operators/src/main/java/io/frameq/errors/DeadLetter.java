package io.frameq.errors;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A record FrameQ could not process, bound for the DLQ topic. The value is the original payload,
 * byte for byte; the input record's headers are kept and the error headers below are added, so
 * an operator can inspect, fix and replay it.
 */
public record DeadLetter(String stage, String reason, String errorClass, String message,
                         String sourceTopic, int sourcePartition, long sourceOffset) {

    public static final String H_STAGE = "frameq-error-stage";
    public static final String H_REASON = "frameq-error-reason";
    public static final String H_CLASS = "frameq-error-class";
    public static final String H_MESSAGE = "frameq-error-message";
    public static final String H_TOPIC = "frameq-source-topic";
    public static final String H_PARTITION = "frameq-source-partition";
    public static final String H_OFFSET = "frameq-source-offset";

    /** Longest error message copied into a header; stack traces stay in the logs. */
    private static final int MAX_MESSAGE = 1000;

    public static DeadLetter of(String stage, String reason, Throwable error, String topic, int partition, long offset) {
        String msg = error.getMessage() == null ? error.toString() : error.getMessage();
        return new DeadLetter(stage, reason.toLowerCase(Locale.ROOT), error.getClass().getName(), msg, topic, partition, offset);
    }

    /** The input headers plus this letter's error headers (replacing earlier error headers). */
    public Headers headers(Headers original) {
        RecordHeaders h = new RecordHeaders(original == null ? new RecordHeaders().toArray() : original.toArray());
        for (String name : new String[] {H_STAGE, H_REASON, H_CLASS, H_MESSAGE, H_TOPIC, H_PARTITION, H_OFFSET}) {
            h.remove(name);
        }
        h.add(H_STAGE, utf8(stage));
        h.add(H_REASON, utf8(reason));
        h.add(H_CLASS, utf8(errorClass));
        h.add(H_MESSAGE, utf8(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message));
        h.add(H_TOPIC, utf8(sourceTopic));
        h.add(H_PARTITION, utf8(String.valueOf(sourcePartition)));
        h.add(H_OFFSET, utf8(String.valueOf(sourceOffset)));
        return h;
    }

    private static byte[] utf8(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
