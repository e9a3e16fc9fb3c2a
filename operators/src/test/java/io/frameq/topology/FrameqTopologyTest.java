package io.frameq.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.errors.DeadLetter;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.metrics.PrometheusMetrics;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.processor.VerdictPolicy;
import io.frameq.quality.NrScorer;
import io.frameq.testing.EventSchema;
import io.frameq.testing.Fixtures;

import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NR topology on TopologyTestDriver with the real decoders, detectors and bundled ONNX model. */
class FrameqTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static OrtRuntime ort;
    private static NrScorer scorer;
    private static FrameDecoders decoders;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> siteA;
    private TestInputTopic<String, byte[]> siteB;
    private TestOutputTopic<String, byte[]> scores;
    private TestOutputTopic<String, byte[]> dlq;
    private PrometheusRegistry registry;

    @BeforeAll
    static void openModel() {
        ort = OrtRuntime.create(ExecutionConfig.parse("cpu"));
        scorer = NrScorer.open(ModelRepository.bundled(), "maniqa-lite", ort);
        decoders = new FrameDecoders(DecodeLimits.DEFAULT);
    }

    @AfterAll
    static void closeModel() throws Exception {
        decoders.close();
        scorer.close();
        ort.close();
    }

    @BeforeEach
    void start() {
        registry = new PrometheusRegistry();
        var topology = FrameqTopology.builder()
                .inputPattern(Pattern.compile("frames\\..+"))
                .decoders(decoders)
                .detectors(new DetectorSuite(DetectorThresholds.DEFAULTS))
                .scorer(scorer)
                .metrics(new PrometheusMetrics(registry, 10))
                .verdicts(new VerdictPolicy(0.5))
                .build();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "frameq-topology-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, p);
        siteA = driver.createInputTopic("frames.site-a", new StringSerializer(), new ByteArraySerializer());
        siteB = driver.createInputTopic("frames.site-b", new StringSerializer(), new ByteArraySerializer());
        scores = driver.createOutputTopic("frameq.scores", new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic("frameq.dlq", new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void scoresAJpegIntoOneSchemaValidEvent() throws Exception {
        siteA.pipeInput(new TestRecord<>("cam-1", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 7, 1_700_000_000_000L), 1L));

        List<TestRecord<String, byte[]>> out = scores.readRecordsToList();
        assertThat(out).hasSize(1);
        assertThat(EventSchema.scoreEvent().violations(out.get(0).value())).isEmpty();
        JsonNode e = JSON.readTree(out.get(0).value());
        assertThat(e.get("stream").asText()).isEqualTo("cam-1");
        assertThat(e.get("seq").asLong()).isEqualTo(7);
        assertThat(e.get("capture_ts").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(e.get("width").asInt()).isEqualTo(451);
        assertThat(e.get("model").get("name").asText()).isEqualTo("maniqa-lite");
        assertThat(e.get("model").get("trained").asBoolean()).isEqualTo(scorer.descriptor().trained());
        assertThat(e.get("quality").asDouble()).isBetween(0.0, 1.0);
        assertThat(e.get("detectors").get("frozen_diff").isNull()).as("no previous frame yet").isTrue();
        assertThat(Fixtures.header(out.get(0).headers(), "frameq-event-id")).isEqualTo(e.get("event_id").asText());
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void corruptFrameGoesToDlqWithReasonAndTheStreamKeepsFlowing() {
        byte[] bad = Fixtures.corruptJpeg();
        siteA.pipeInput(new TestRecord<>("cam-1", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 1, -1), 1L));
        siteA.pipeInput(new TestRecord<>("cam-1", bad, Fixtures.headers("image/jpeg", 2, -1), 2L));
        siteA.pipeInput(new TestRecord<>("cam-1", Fixtures.coffeePng(), Fixtures.headers("image/png", 3, -1), 3L));

        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        TestRecord<String, byte[]> letter = dead.get(0);
        assertThat(letter.key()).isEqualTo("cam-1");
        assertThat(letter.value()).as("original bytes, unchanged").isEqualTo(bad);
        assertThat(Fixtures.header(letter.headers(), DeadLetter.H_STAGE)).isEqualTo("decode");
        assertThat(Fixtures.header(letter.headers(), DeadLetter.H_REASON)).isEqualTo("corrupt");
        assertThat(Fixtures.header(letter.headers(), DeadLetter.H_MESSAGE)).isNotBlank();
        assertThat(Fixtures.header(letter.headers(), DeadLetter.H_TOPIC)).isEqualTo("frames.site-a");
        assertThat(Fixtures.header(letter.headers(), DeadLetter.H_OFFSET)).isEqualTo("1");
        assertThat(Fixtures.header(letter.headers(), "frameq-seq")).as("input headers kept").isEqualTo("2");
        assertThat(scores.readRecordsToList()).extracting(r -> seqOf(r.value())).containsExactly(1L, 3L);
    }

    @Test
    void recordsWithoutKeyOrValueAreDeadLetteredNotDropped() {
        siteB.pipeInput(new TestRecord<>(null, Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 1, -1), 1L));
        siteB.pipeInput(new TestRecord<>("cam-2", new byte[0], Fixtures.headers("image/jpeg", 2, -1), 2L));
        siteB.pipeInput(new TestRecord<>("cam-2", "hello".getBytes(), Fixtures.headers(null, 3, -1), 3L));

        assertThat(dlq.readRecordsToList())
                .extracting(r -> Fixtures.header(r.headers(), DeadLetter.H_REASON))
                .containsExactly("missing_key", "empty", "unknown_content_type");
        assertThat(scores.isEmpty()).isTrue();
    }

    @Test
    void aPictureUnchangedForTwoSecondsIsFrozenButARepeatedFrameIsNot() throws Exception {
        // Capture times 0.5 s apart: a recorder repeating one frame is live; 2 s unchanged is a frozen feed.
        for (int seq = 1; seq <= 6; seq++) {
            siteA.pipeInput(new TestRecord<>("cam-3", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", seq, -1), 500L * seq));
            if (seq == 2) {
                // Another stream's frame in between must not count as cam-3's previous frame.
                siteA.pipeInput(new TestRecord<>("cam-4", Fixtures.coffeePng(), Fixtures.headers("image/png", 1, -1), 1_000L));
            }
        }
        siteA.pipeInput(new TestRecord<>("cam-3", Fixtures.coffeePng(), Fixtures.headers("image/png", 7, -1), 3_500L));

        List<JsonNode> events = scores.readRecordsToList().stream().map(r -> read(r.value())).toList();
        List<JsonNode> cam3 = events.stream().filter(e -> e.get("stream").asText().equals("cam-3")).toList();
        JsonNode cam4 = events.stream().filter(e -> e.get("stream").asText().equals("cam-4")).findFirst().orElseThrow();
        assertThat(cam3).hasSize(7);
        assertThat(degradations(cam3.get(1))).as("one repeat at 1.0 s").doesNotContain("frozen");
        assertThat(degradations(cam3.get(4))).as("unchanged since 1.0 s, at 2.5 s").doesNotContain("frozen");
        assertThat(degradations(cam3.get(5))).as("unchanged since 1.0 s, at 3.0 s").contains("frozen");
        assertThat(cam3.get(5).get("verdict").asText()).isEqualTo("degraded");
        assertThat(degradations(cam4)).as("cam-4 first frame").doesNotContain("frozen");
        assertThat(degradations(cam3.get(6))).as("cam-3 changed picture").doesNotContain("frozen");
        assertThat(driver.getKeyValueStore(FrameqTopology.THUMBNAIL_STORE).get("cam-3")).isNotNull();
        assertThat(driver.getKeyValueStore(FrameqTopology.BASELINE_STORE).get("cam-3")).as("cam-3's learnt normal").isNotNull();
    }

    @Test
    void rawFramesNeedTheirSizeHeaders() {
        var noSize = Fixtures.headers("video/x-raw;format=rgb24", 1, -1);
        siteA.pipeInput(new TestRecord<>("cam-5", new byte[64 * 48 * 3], noSize, 1L));
        var sized = Fixtures.headers("video/x-raw;format=rgb24", 2, -1);
        sized.add("frameq-width", "64".getBytes());
        sized.add("frameq-height", "48".getBytes());
        siteA.pipeInput(new TestRecord<>("cam-5", new byte[64 * 48 * 3], sized, 2L));

        assertThat(dlq.readRecordsToList()).extracting(r -> Fixtures.header(r.headers(), DeadLetter.H_REASON))
                .containsExactly("missing_header");
        List<JsonNode> events = scores.readRecordsToList().stream().map(r -> read(r.value())).toList();
        assertThat(events).hasSize(1);
        assertThat(degradations(events.get(0))).contains("black");
    }

    @Test
    void videoSegmentExpandsIntoOneEventPerFrameWithItsIndex() throws Exception {
        byte[] mp4 = Fixtures.resource("/frames/plaza_320x240_h264.mp4");
        siteB.pipeInput(new TestRecord<>("cam-v", mp4, Fixtures.headers("video/mp4", 10, 1_700_000_000_000L), 1L));

        List<JsonNode> events = scores.readRecordsToList().stream().map(r -> read(r.value())).toList();
        assertThat(events).hasSize(45);
        assertThat(events).extracting(e -> e.get("source").get("frame_index").asInt())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 45).boxed().toList());
        assertThat(events).extracting(e -> e.get("event_id").asText()).doesNotHaveDuplicates();
        assertThat(events.get(0).get("capture_ts").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(events.get(44).get("capture_ts").asLong()).as("later frames carry their time inside the segment")
                .isGreaterThan(1_700_000_000_000L);
        assertThat(events.get(1).get("detectors").get("frozen_diff").isNumber()).as("previous frame from the same segment")
                .isTrue();
    }

    @Test
    void malformedHeaderNumberIsDeadLetteredAsBadHeader() {
        var headers = Fixtures.headers("image/jpeg", -1, -1);
        headers.add("frameq-seq", "seven".getBytes());
        siteA.pipeInput(new TestRecord<>("cam-1", Fixtures.chelseaJpeg(), headers, 1L));

        assertThat(dlq.readRecordsToList()).extracting(r -> Fixtures.header(r.headers(), DeadLetter.H_REASON))
                .containsExactly("bad_header");
    }

    @Test
    void metricsCountEveryOutcomePerStream() {
        siteA.pipeInput(new TestRecord<>("cam-1", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 1, -1), 1L));
        siteA.pipeInput(new TestRecord<>("cam-1", Fixtures.corruptJpeg(), Fixtures.headers("image/jpeg", 2, -1), 2L));

        var snapshot = registry.scrape();
        String text = snapshot.stream().map(m -> m.getMetadata().getPrometheusName()).toList().toString();
        assertThat(text).contains("frameq_frames", "frameq_quality_score", "frameq_dlq", "frameq_stage_duration_seconds");
        var frames = snapshot.stream().filter(m -> m.getMetadata().getPrometheusName().equals("frameq_frames")).findFirst()
                .orElseThrow();
        assertThat(frames.getDataPoints()).extracting(dp -> dp.getLabels().get("outcome")).contains("dlq");
        assertThat(frames.getDataPoints()).extracting(dp -> dp.getLabels().get("stream")).containsOnly("cam-1");
        var quality = (io.prometheus.metrics.model.snapshots.HistogramSnapshot) snapshot.stream()
                .filter(m -> m.getMetadata().getPrometheusName().equals("frameq_quality_score")).findFirst().orElseThrow();
        var exemplars = quality.getDataPoints().get(0).getExemplars();
        assertThat(exemplars.size()).as("quality observations carry a {stream, frame_id} exemplar").isPositive();
        assertThat(exemplars.iterator().next().getLabels().get("frame_id")).isEqualTo("frames.site-a/0/0/0");
    }

    @Test
    void builderNamesEveryProblemAtOnce() {
        assertThatThrownBy(() -> FrameqTopology.builder().scoresTopic("x").dlqTopic("x").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one of inputTopics or inputPattern")
                .hasMessageContaining("must differ")
                .hasMessageContaining("decoders is required")
                .hasMessageContaining("scorer is required");
        assertThatThrownBy(() -> FrameqTopology.builder().inputTopics(List.of("frameq.scores")).build())
                .hasMessageContaining("would loop");
    }

    @Test
    void topologyNamesEveryNode() {
        String description = FrameqTopology.builder().inputTopics(List.of("frames.a")).decoders(decoders)
                .detectors(new DetectorSuite(DetectorThresholds.DEFAULTS)).scorer(scorer)
                .metrics(new PrometheusMetrics(new PrometheusRegistry(), 10)).build().describe().toString();
        assertThat(description).contains(FrameqTopology.SOURCE, FrameqTopology.DECODE, FrameqTopology.DETECT, FrameqTopology.SCORE,
                FrameqTopology.SCORES_SINK, FrameqTopology.DLQ_SINK, FrameqTopology.THUMBNAIL_STORE);
        assertThat(Files.exists(stateDir)).isTrue();
    }

    private static long seqOf(byte[] json) {
        return read(json).get("seq").asLong();
    }

    private static List<String> degradations(JsonNode e) {
        return java.util.stream.StreamSupport.stream(e.get("degradations").spliterator(), false).map(JsonNode::asText).toList();
    }

    private static JsonNode read(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
