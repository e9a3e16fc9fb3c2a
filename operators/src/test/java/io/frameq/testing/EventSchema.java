package io.frameq.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/** Validates JSON against the published event schemas under {@code frameq/schemas/}. */
public final class EventSchema {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonSchema schema;

    private EventSchema(JsonSchema schema) {
        this.schema = schema;
    }

    public static EventSchema scoreEvent() {
        return load("/frameq/schemas/score-event.schema.json");
    }

    public static EventSchema frScoreEvent() {
        return load("/frameq/schemas/fr-score-event.schema.json");
    }

    public static EventSchema alertEvent() {
        return load("/frameq/schemas/alert-event.schema.json");
    }

    static EventSchema load(String path) {
        try (InputStream in = EventSchema.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("schema missing: " + path);
            }
            return new EventSchema(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The schema violations of {@code json}; empty when it conforms. */
    public Set<ValidationMessage> violations(byte[] json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            return schema.validate(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
