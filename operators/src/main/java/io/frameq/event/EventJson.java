package io.frameq.event;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one JSON mapping of FrameQ's events: snake_case, no nulls dropped silently, UTF-8 bytes. */
public final class EventJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private EventJson() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] toBytes(Object event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialise " + event.getClass().getSimpleName(), e);
        }
    }

    public static String toJson(Object event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialise " + event.getClass().getSimpleName(), e);
        }
    }

    public static <T> T fromBytes(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("could not parse " + type.getSimpleName(), e);
        }
    }
}
