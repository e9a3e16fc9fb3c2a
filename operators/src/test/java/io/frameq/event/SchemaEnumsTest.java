package io.frameq.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameq.detect.Degradation;
import io.frameq.detect.FaultType;
import org.junit.jupiter.api.Test;

/**
 * The published schemas name every type the code can put in an event: a type added to {@link Degradation} or
 * {@link FaultType} without its schema entry would make every event that carries it invalid for consumers.
 */
class SchemaEnumsTest {

    private static final Set<String> DEGRADATIONS = codes(Arrays.stream(Degradation.values()).map(Degradation::code).toList(),
            "low_quality");
    private static final Set<String> FAULT_TYPES = codes(Arrays.stream(FaultType.values()).map(FaultType::code).toList());

    @Test
    void scoreEventsNameEveryDegradationAndFaultType() throws IOException {
        JsonNode props = schema("score-event").get("properties");
        assertThat(enumOf(props.get("degradations").get("items"))).isEqualTo(DEGRADATIONS);
        Set<String> routed = enumOf(props.get("degradation_type"));
        routed.remove("null");
        assertThat(routed).isEqualTo(DEGRADATIONS);
        assertThat(enumOf(props.get("faults").get("items").get("properties").get("type"))).isEqualTo(FAULT_TYPES);
    }

    @Test
    void scoreEventsNameEveryReasonTheModelCanBeSkippedFor() throws IOException {
        Set<String> skipped = enumOf(schema("score-event").get("properties").get("model_skipped"));
        assertThat(skipped).isEqualTo(codes(io.frameq.scoring.ModelDecision.SKIP_REASONS, "null"));
    }

    @Test
    void alertsNameEveryDegradationAndEveryFaultThatCanOpenOne() throws IOException {
        JsonNode props = schema("alert-event").get("properties");
        assertThat(enumOf(props.get("top_degradations").get("items"))).isEqualTo(DEGRADATIONS);
        Set<String> alertFaults = codes(Arrays.stream(FaultType.values()).filter(FaultType::isFault).map(FaultType::code).toList(),
                "black", "frozen", "moved");
        assertThat(enumOf(props.get("faults").get("items").get("properties").get("type"))).isEqualTo(alertFaults);
    }

    private static Set<String> codes(List<String> codes, String... more) {
        Set<String> out = new TreeSet<>(codes);
        out.addAll(List.of(more));
        return out;
    }

    private static Set<String> enumOf(JsonNode node) {
        List<String> values = new ArrayList<>();
        node.get("enum").forEach(v -> values.add(v.isNull() ? "null" : v.asText()));
        return new TreeSet<>(values);
    }

    private static JsonNode schema(String name) throws IOException {
        try (InputStream in = SchemaEnumsTest.class.getResourceAsStream("/frameq/schemas/" + name + ".schema.json")) {
            assertThat(in).as(name).isNotNull();
            return EventJson.mapper().readTree(in);
        }
    }
}
