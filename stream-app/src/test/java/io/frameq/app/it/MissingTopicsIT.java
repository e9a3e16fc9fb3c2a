package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.frameq.app.broker.EmbeddedKafka;
import io.frameq.app.config.FrameqConfig;
import io.frameq.app.runtime.FrameqRuntime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user meets at start: a broker that does not create topics (as in the Compose stack), where the app
 * names every missing topic, and a state.dir that cannot be used, which it names too.
 */
class MissingTopicsIT {

    @TempDir
    Path stateDir;

    @Test
    void theAppRefusesToStartAndNamesEveryMissingTopicAndAnUnusableStateDir() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) { // auto.create.topics.enable=false
            kafka.createTopics(1, "frameq.frames.cams", "frameq.scores");
            Map<String, String> props = new HashMap<>();
            props.put(FrameqConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            props.put(FrameqConfig.APPLICATION_ID, "frameq-missing-topics-it");
            props.put(FrameqConfig.INPUT_TOPICS, "frameq.frames.cams,frameq.frames.typo");
            props.put(FrameqConfig.METRICS_PORT, "-1");
            props.put(FrameqConfig.STATE_DIR, stateDir.toString());

            assertThatThrownBy(() -> FrameqRuntime.open(FrameqConfig.of(props)).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("auto.create.topics.enable=false")
                    .hasMessageContaining("frameq.alerts (written)")
                    .hasMessageContaining("frameq.dlq (written)")
                    .hasMessageContaining("frameq.frames.typo (read)")
                    .hasMessageNotContaining("frameq.scores")
                    .hasMessageNotContaining("frameq.frames.cams ");

            // A state.dir that cannot be a folder (a file stands in its path) is named at start, before the models load.
            java.nio.file.Path file = java.nio.file.Files.writeString(stateDir.resolve("not-a-folder"), "x");
            Map<String, String> badState = new HashMap<>(props);
            badState.put(FrameqConfig.STATE_DIR, file.resolve("state").toString());
            assertThatThrownBy(() -> FrameqRuntime.open(FrameqConfig.of(badState)).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("state.dir " + file.resolve("state").toAbsolutePath())
                    .hasMessageContaining("not usable");

            kafka.createTopics(1, "frameq.alerts", "frameq.dlq", "frameq.frames.typo");
            try (FrameqRuntime runtime = FrameqRuntime.open(FrameqConfig.of(props))) {
                assertThat(runtime.streams()).as("opens once every topic exists").isNotNull();
            }
        }
    }
}
