package io.frameq.api;

import java.nio.charset.StandardCharsets;

import io.frameq.alert.AlertEvent;
import io.frameq.errors.DeadLetter;
import io.frameq.event.EventJson;
import io.frameq.event.FrScoreEvent;
import io.frameq.event.ScoreEvent;
import io.frameq.processor.DeadLettered;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serdes for the values of {@link FrameqStreams}. The JSON ones write exactly what FrameQ's own
 * topics carry (the schemas under {@code frameq/schemas}), so a consumer of the app's topics reads
 * an embedding's topics too.
 */
public final class FrameqSerdes {

    private FrameqSerdes() {}

    /** A {@link ScoreEvent} as the scores topic's JSON. */
    public static Serde<ScoreEvent> scoreEvent() {
        return json(ScoreEvent.class);
    }

    /** A full-reference {@link FrScoreEvent} as the scores topic's JSON ({@code type: "fr"}). */
    public static Serde<FrScoreEvent> frScoreEvent() {
        return json(FrScoreEvent.class);
    }

    /** An {@link AlertEvent} as the alerts topic's JSON. */
    public static Serde<AlertEvent> alertEvent() {
        return json(AlertEvent.class);
    }

    /**
     * A dead letter as the DLQ topic has it: the value is the original payload, the letter is in
     * the record's headers (put there by the stage that failed; read back from them here).
     */
    public static Serde<DeadLettered> deadLetter() {
        Serializer<DeadLettered> serializer = new Serializer<>() {
            @Override
            public byte[] serialize(String topic, DeadLettered letter) {
                return letter == null ? null : letter.payload();
            }
        };
        Deserializer<DeadLettered> deserializer = new Deserializer<>() {
            @Override
            public DeadLettered deserialize(String topic, byte[] payload) {
                throw new UnsupportedOperationException("a dead letter is read with its headers: deserialize(topic, headers, data)");
            }

            @Override
            public DeadLettered deserialize(String topic, Headers headers, byte[] payload) {
                return payload == null ? null : new DeadLettered(letterFrom(headers), payload);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static DeadLetter letterFrom(Headers headers) {
        return new DeadLetter(text(headers, DeadLetter.H_STAGE), text(headers, DeadLetter.H_REASON), text(headers, DeadLetter.H_CLASS),
                text(headers, DeadLetter.H_MESSAGE), text(headers, DeadLetter.H_TOPIC), (int) number(headers, DeadLetter.H_PARTITION),
                number(headers, DeadLetter.H_OFFSET));
    }

    private static String text(Headers headers, String name) {
        Header h = headers == null ? null : headers.lastHeader(name);
        return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static long number(Headers headers, String name) {
        String s = text(headers, name);
        try {
            return s.isEmpty() ? -1 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static <T> Serde<T> json(Class<T> type) {
        Serializer<T> serializer = (topic, value) -> value == null ? null : EventJson.toBytes(value);
        Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : EventJson.fromBytes(bytes, type);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
