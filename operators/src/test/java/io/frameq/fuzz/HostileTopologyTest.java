package io.frameq.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.errors.DeadLetter;
import io.frameq.frame.FrameDecoders;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.processor.VerdictPolicy;
import io.frameq.quality.NrScorer;
import io.frameq.testing.TestModels;
import io.frameq.topology.FrameqTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Hostile records through the whole no-reference topology (decode, detect, score with the tiny test
 * model): every input record is accounted for on the output topics — at least one score event that
 * names its offset, or exactly one DLQ record that names its offset and a reason — and none throws
 * out of the topology.
 */
@Tag("slow")
class HostileTopologyTest {

    private static final int RECORDS = 600;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    @Test
    void everyHostileRecordIsScoredOrDeadLetteredWithAReason() throws Exception {
        HostileInputs inputs = HostileInputs.load();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "frameq-hostile");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        try (OrtRuntime ort = OrtRuntime.create(ExecutionConfig.cpu().withThreads(1, 1));
             NrScorer scorer = NrScorer.open(ModelRepository.of(List.of(TestModels.REPO), false), "tiny-nr", ort);
             FrameDecoders decoders = new FrameDecoders(HostileInputs.LIMITS)) {
            FrameqTopology.Builder b = FrameqTopology.builder().inputPattern(Pattern.compile("frames\\..+")).decoders(decoders)
                    .detectors(new DetectorSuite(DetectorThresholds.DEFAULTS)).scorer(scorer).verdicts(new VerdictPolicy(0.5));
            try (TopologyTestDriver driver = new TopologyTestDriver(b.build(), p)) {
                TestInputTopic<String, byte[]> in = driver.createInputTopic("frames.hostile", new StringSerializer(),
                        new ByteArraySerializer());
                TestOutputTopic<String, byte[]> scores = driver.createOutputTopic("frameq.scores", new StringDeserializer(),
                        new ByteArrayDeserializer());
                TestOutputTopic<String, byte[]> dlq = driver.createOutputTopic("frameq.dlq", new StringDeserializer(),
                        new ByteArrayDeserializer());
                SplittableRandom seeds = new SplittableRandom(22_004);
                for (int i = 0; i < RECORDS; i++) {
                    HostileInputs.HostileRecord rec = inputs.draw(seeds.nextLong());
                    String key = i % 7 == 0 ? null : "cam-" + (i % 5); // now and then a record without its stream id
                    in.pipeInput(new TestRecord<>(key, rec.payload(), rec.headers(), 1_700_000_000_000L + i * 40L));
                }
                Map<Long, Integer> events = new HashMap<>();
                for (TestRecord<String, byte[]> e : scores.readRecordsToList()) {
                    JsonNode n = JSON.readTree(e.value());
                    events.merge(n.get("source").get("offset").asLong(), 1, Integer::sum);
                }
                Map<Long, String> dead = new HashMap<>();
                Map<String, Integer> reasons = new TreeMap<>();
                for (TestRecord<String, byte[]> d : dlq.readRecordsToList()) {
                    long offset = Long.parseLong(header(d, DeadLetter.H_OFFSET));
                    String reason = header(d, DeadLetter.H_REASON);
                    assertThat(reason).as("DLQ reason of offset %d", offset).isNotBlank();
                    assertThat(header(d, DeadLetter.H_MESSAGE)).as("DLQ message of offset %d", offset).isNotBlank();
                    assertThat(dead.put(offset, reason)).as("one DLQ record for offset %d", offset).isNull();
                    reasons.merge(reason, 1, Integer::sum);
                }
                for (long offset = 0; offset < RECORDS; offset++) {
                    boolean scored = events.containsKey(offset);
                    boolean deadLettered = dead.containsKey(offset);
                    assertThat(scored ^ deadLettered).as("offset %d: scored %s, dead-lettered %s", offset, scored, deadLettered)
                            .isTrue();
                }
                LoggerFactory.getLogger(HostileTopologyTest.class).info("{} hostile records: {} scored, DLQ by reason {}", RECORDS,
                        events.size(), reasons);
                assertThat(events).as("some mutants still decode and get scored").isNotEmpty();
            }
        }
    }

    private static String header(TestRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
