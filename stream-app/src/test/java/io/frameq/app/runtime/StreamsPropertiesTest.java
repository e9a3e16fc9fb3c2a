package io.frameq.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameq.app.config.FrameqConfig;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {

    @Test
    void shouldSendScoreEventsWithoutStreamsHundredMillisecondLinger() {
        Properties p = FrameqRuntime.streamsProperties(FrameqConfig.of(Map.of(FrameqConfig.INPUT_TOPICS, "frames")), Map.of());
        assertThat(p.get("producer.linger.ms")).isEqualTo(5);
    }

    @Test
    void shouldLetKafkaOverridesReplaceTheLinger() {
        Properties p = FrameqRuntime.streamsProperties(FrameqConfig.of(Map.of(FrameqConfig.INPUT_TOPICS, "frames",
                "kafka.producer.linger.ms", "100")), Map.of());
        assertThat(p.get("producer.linger.ms")).isEqualTo("100");
    }

    @Test
    void shouldDeadLetterPoisonRecordsByDefaultAndLeaveKafkaStreamsDefaultOnFail() {
        Properties p = FrameqRuntime.streamsProperties(FrameqConfig.of(Map.of(FrameqConfig.INPUT_TOPICS, "frames",
                FrameqConfig.DLQ_TOPIC, "site.dlq")), Map.of());
        assertThat(p.get("processing.exception.handler")).isEqualTo(io.frameq.api.DeadLetterOnProcessingError.class.getName());
        assertThat(p.get(io.frameq.api.DeadLetterOnProcessingError.DLQ_TOPIC_CONFIG)).isEqualTo("site.dlq");

        Properties fail = FrameqRuntime.streamsProperties(FrameqConfig.of(Map.of(FrameqConfig.INPUT_TOPICS, "frames",
                FrameqConfig.PROCESSING_ERROR_POLICY, "fail")), Map.of());
        assertThat(fail).doesNotContainKey("processing.exception.handler");
    }
}
