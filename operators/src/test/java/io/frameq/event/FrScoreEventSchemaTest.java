package io.frameq.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.frameq.testing.EventSchema;

import org.junit.jupiter.api.Test;

/** The published fr-score-event schema accepts what FrScoreEvent serialises to, and refuses inconsistent events. */
class FrScoreEventSchemaTest {

    private static final ScoreEvent.Source SRC = new ScoreEvent.Source("cdn.renditions-by-origin", 0, 12, 0);
    private static final ScoreEvent.Source ORIGIN = new ScoreEvent.Source("cdn.origin", 0, 7, 0);

    static FrScoreEvent matched() {
        return new FrScoreEvent("fr/cdn.renditions-by-origin/0/12/0", FrScoreEvent.TYPE, "movie@360p", "movie", 3, -1, 1000, 1200, SRC,
                ORIGIN, 320, 180, 640, 360, "bicubic", new ScoreEvent.ModelInfo("vtamiq-lite", 1, "fr-iqa", false), -0.01, 1.0,
                new FrScoreEvent.Classic(34.2, 0.95, 0.987), new FrScoreEvent.Join(true, null, null, 12.0),
                Map.of("score", 250.0, "classic", 260.0));
    }

    static FrScoreEvent unmatched() {
        return new FrScoreEvent("fr-unmatched/rendition/cdn.renditions-by-origin/0/13/0", FrScoreEvent.TYPE, "movie@360p", "movie", 4,
                -1, 1000, 1200, SRC, null, 320, 180, null, null, null, null, null, null, null,
                new FrScoreEvent.Join(false, FrScoreEvent.SIDE_RENDITION, "no_partner", 3000.0), Map.of());
    }

    private static ObjectNode tree(FrScoreEvent e) {
        return EventJson.mapper().valueToTree(e);
    }

    private static byte[] bytes(ObjectNode n) throws Exception {
        return EventJson.mapper().writeValueAsBytes(n);
    }

    @Test
    void matchedAndUnmatchedEventsConformAndRoundTrip() {
        EventSchema schema = EventSchema.frScoreEvent();
        assertThat(schema.violations(EventJson.toBytes(matched()))).isEmpty();
        assertThat(schema.violations(EventJson.toBytes(unmatched()))).isEmpty();
        assertThat(EventJson.fromBytes(EventJson.toBytes(matched()), FrScoreEvent.class)).isEqualTo(matched());
    }

    @Test
    void refusesAMatchedEventWithoutScoresAnUnmatchedOneWithoutReasonAndAnNrEvent() throws Exception {
        EventSchema schema = EventSchema.frScoreEvent();
        ObjectNode noScore = tree(matched());
        noScore.putNull("score");
        assertThat(schema.violations(bytes(noScore))).isNotEmpty();
        ObjectNode noReason = tree(unmatched());
        ((ObjectNode) noReason.get("fr")).putNull("reason");
        assertThat(schema.violations(bytes(noReason))).isNotEmpty();
        ObjectNode wrongType = tree(matched());
        wrongType.put("type", "nr");
        assertThat(schema.violations(bytes(wrongType))).isNotEmpty();
        ObjectNode extra = tree(matched());
        extra.put("verdict", "ok");
        assertThat(schema.violations(bytes(extra))).isNotEmpty();
    }
}
