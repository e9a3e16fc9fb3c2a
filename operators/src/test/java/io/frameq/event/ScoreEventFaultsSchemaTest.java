package io.frameq.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frameq.testing.EventSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The score-event schema accepts the spatial diagnosis ({@code faults}) ScoreEvent carries and refuses malformed ones. */
class ScoreEventFaultsSchemaTest {

    private static ScoreEvent event(List<ScoreEvent.FaultInfo> faults, List<String> degradations) {
        Map<String, Double> detectors = new java.util.LinkedHashMap<>();
        for (String k : io.frameq.detect.DetectorReadings.KEYS) {
            detectors.put(k, 1.0);
        }
        return new ScoreEvent("frameq.frames/0/12/0", "cam-1", 3, -1, 1000, 1200,
                new ScoreEvent.Source("frameq.frames", 0, 12, 0), 640, 480,
                new ScoreEvent.ModelInfo("maniqa-lite", 4, "nr-iqa", true), 0.3, 0.3,
                degradations.isEmpty() ? ScoreEvent.OK : ScoreEvent.DEGRADED, degradations, detectors,
                Map.of("decode", 1.0, "detect", 1.0, "score", 1.0, "pipeline", 3.0), false,
                degradations.isEmpty() ? ScoreEvent.OK : ScoreEvent.DEGRADED,
                degradations.isEmpty() ? null : degradations.get(0), degradations.isEmpty() ? "none" : "alert_only", faults);
    }

    private static ObjectNode tree(ScoreEvent e) throws Exception {
        return (ObjectNode) EventJson.mapper().readTree(EventJson.toBytes(e));
    }

    @Test
    void eventsWithFaultsAndConditionsConformAndRoundTrip() {
        ScoreEvent e = event(List.of(new ScoreEvent.FaultInfo("low_visibility", 0.91, List.of(0, 1, 47)),
                new ScoreEvent.FaultInfo("ir_mode", 0.99, List.of(5))), List.of("low_visibility", "low_quality"));
        EventSchema schema = EventSchema.scoreEvent();
        assertThat(schema.violations(EventJson.toBytes(e))).isEmpty();
        assertThat(EventJson.fromBytes(EventJson.toBytes(e), ScoreEvent.class)).isEqualTo(e);
        for (String type : List.of("covered", "soiled", "raindrops", "glare", "defocused", "colour_cast")) {
            assertThat(schema.violations(EventJson.toBytes(event(List.of(), List.of(type))))).as(type).isEmpty();
        }
    }

    @Test
    void refusesUnknownTypesConfidenceOutOfRangeAndCellsOffTheGrid() throws Exception {
        EventSchema schema = EventSchema.scoreEvent();
        ScoreEvent ok = event(List.of(new ScoreEvent.FaultInfo("glare", 0.7, List.of(3))), List.of("glare"));
        ObjectNode unknown = tree(ok);
        ((ObjectNode) unknown.get("faults").get(0)).put("type", "smudge");
        assertThat(schema.violations(EventJson.mapper().writeValueAsBytes(unknown))).isNotEmpty();
        ObjectNode tooSure = tree(ok);
        ((ObjectNode) tooSure.get("faults").get(0)).put("confidence", 1.5);
        assertThat(schema.violations(EventJson.mapper().writeValueAsBytes(tooSure))).isNotEmpty();
        ObjectNode offGrid = tree(ok);
        ((ArrayNode) offGrid.get("faults").get(0).get("cells")).add(48);
        assertThat(schema.violations(EventJson.mapper().writeValueAsBytes(offGrid))).isNotEmpty();
        ObjectNode olderProducer = tree(ok);
        olderProducer.remove("faults");
        assertThat(schema.violations(EventJson.mapper().writeValueAsBytes(olderProducer))).as("faults is optional").isEmpty();
    }
}
