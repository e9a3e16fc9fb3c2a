package io.frameq.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Properties;

import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.quality.NrScorer;
import io.frameq.testing.Fixtures;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An embedding that exports no metrics leaves {@code metrics(..)} out: the topology still scores and dead-letters. */
class NoMetricsTopologyTest {

    @TempDir
    Path stateDir;

    @Test
    void scoresAndDeadLettersWithoutAMetricsBinding() throws Exception {
        try (OrtRuntime ort = OrtRuntime.create(ExecutionConfig.parse("cpu"));
             NrScorer scorer = NrScorer.open(ModelRepository.bundled(), "maniqa-lite", ort);
             FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            var topology = FrameqTopology.builder()
                    .inputTopics(java.util.List.of("frames"))
                    .decoders(decoders)
                    .detectors(new DetectorSuite(DetectorThresholds.DEFAULTS))
                    .scorer(scorer)
                    .build();
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "frameq-no-metrics-test");
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            try (TopologyTestDriver driver = new TopologyTestDriver(topology, p)) {
                TestInputTopic<String, byte[]> frames = driver.createInputTopic("frames", new StringSerializer(),
                        new ByteArraySerializer());
                TestOutputTopic<String, byte[]> scores = driver.createOutputTopic("frameq.scores", new StringDeserializer(),
                        new ByteArrayDeserializer());
                TestOutputTopic<String, byte[]> dlq = driver.createOutputTopic("frameq.dlq", new StringDeserializer(),
                        new ByteArrayDeserializer());

                frames.pipeInput(new TestRecord<>("cam-1", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 1, -1), 1L));
                frames.pipeInput(new TestRecord<>("cam-1", Fixtures.corruptJpeg(), Fixtures.headers("image/jpeg", 2, -1), 2L));

                assertThat(scores.readRecordsToList()).hasSize(1);
                assertThat(dlq.readRecordsToList()).hasSize(1);
            }
        }
    }
}
