package io.frameq.api;

import java.util.ArrayList;
import java.util.List;

/**
 * The topics {@link FrameqOperators#addTo} writes to (Processor API). The DSL entry point writes
 * nowhere: its caller decides with {@code to(...)}.
 *
 * @param scores score events (JSON, the {@code score-event} schema)
 * @param alerts alert events (JSON, the {@code alert-event} schema)
 * @param deadLetters records FrameQ could not process (original payload, error headers)
 * @param restored restored frames (JPEG); only used with restoration on, may be null otherwise
 */
public record FrameqTopics(String scores, String alerts, String deadLetters, String restored) {

    public static final FrameqTopics DEFAULTS = new FrameqTopics("frameq.scores", "frameq.alerts", "frameq.dlq", "frameq.restored");

    /** Plain messages for every missing or repeated topic; empty when these topics can be used. */
    List<String> problems(boolean restoring) {
        List<String> problems = new ArrayList<>();
        require(problems, "scores", scores);
        require(problems, "alerts", alerts);
        require(problems, "deadLetters", deadLetters);
        if (restoring) {
            require(problems, "restored", restored);
        }
        List<String> used = new ArrayList<>(List.of(String.valueOf(scores), String.valueOf(alerts), String.valueOf(deadLetters)));
        if (restoring) {
            used.add(String.valueOf(restored));
        }
        if (used.stream().distinct().count() != used.size()) {
            problems.add("topics: expected scores, alerts, deadLetters" + (restoring ? ", restored" : "")
                    + " to all differ, actual " + used);
        }
        return problems;
    }

    private static void require(List<String> problems, String field, String topic) {
        if (topic == null || topic.isBlank()) {
            problems.add("topics." + field + ": expected a topic name, actual " + (topic == null ? "null" : "'" + topic + "'"));
        }
    }
}
