package io.frameq.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.metrics.PrometheusMetrics;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.processor.VerdictPolicy;
import io.frameq.quality.BatchingNrScorer;
import io.frameq.quality.NrScorer;
import io.frameq.testing.EventSchema;
import io.frameq.testing.Fixtures;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Load shedding (shed.max.lag.ms) and the batching scorer in the topology, on TopologyTestDriver. */
class LoadSheddingTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long OLD = 1_700_000_000_000L;
    private static OrtRuntime ort;
    private static NrScorer scorer;
    private static FrameDecoders decoders;

    @TempDir
    Path stateDir;

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

    private TopologyTestDriver driver(FrameqTopology.Builder b) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "frameq-shed-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new TopologyTestDriver(b.build(), p);
    }

    private static FrameqTopology.Builder builder(PrometheusRegistry registry) {
        return builder(new PrometheusMetrics(registry, 10));
    }

    private static FrameqTopology.Builder builder(FrameqMetrics metrics) {
        return FrameqTopology.builder()
                .inputPattern(Pattern.compile("frames\\..+"))
                .decoders(decoders)
                .detectors(new DetectorSuite(DetectorThresholds.DEFAULTS))
                // What is tested comes after the detectors: judge each frame by its own flags, no warm-up.
                .baseline(io.frameq.baseline.BaselineSettings.OFF)
                .scorer(scorer)
                .metrics(metrics)
                .verdicts(new VerdictPolicy(0.5));
    }

    private static double shedCount(PrometheusRegistry registry, String stream) {
        return registry.scrape().stream().filter(m -> m.getMetadata().getName().equals("frameq_frames_shed"))
                .map(m -> (CounterSnapshot) m).flatMap(c -> c.getDataPoints().stream())
                .filter(dp -> stream.equals(dp.getLabels().get("stream"))).mapToDouble(dp -> dp.getValue()).sum();
    }

    @Test
    void oldCleanFramesSkipTheModelButStillPublishFreshAndSuspectFramesAreScored() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (TopologyTestDriver driver = driver(builder(registry).shedMaxLagMs(60_000))) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic("frames.site-a", new StringSerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, byte[]> scores = driver.createOutputTopic("frameq.scores", new StringDeserializer(),
                    new ByteArrayDeserializer());
            long now = System.currentTimeMillis();
            in.pipeInput(new TestRecord<>("cam-fresh", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 1, now), 1L));
            // a stream's first frame always runs the model (the sampling's rule 1), late or not
            in.pipeInput(new TestRecord<>("cam-old", Fixtures.coffeePng(), Fixtures.headers("image/png", 0, OLD - 1000), 2L));
            in.pipeInput(new TestRecord<>("cam-old", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 1, OLD), 2L));
            // the same picture again on the same stream: the freeze detector flags it, so it is scored despite its age
            in.pipeInput(new TestRecord<>("cam-old", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 2, OLD + 40), 3L));

            List<TestRecord<String, byte[]>> out = scores.readRecordsToList();
            assertThat(out).hasSize(4);
            for (TestRecord<String, byte[]> r : out) {
                assertThat(EventSchema.scoreEvent().violations(r.value())).isEmpty();
            }
            JsonNode fresh = JSON.readTree(out.get(0).value());
            assertThat(fresh.get("shed").asBoolean()).isFalse();
            assertThat(fresh.get("quality").isNumber()).isTrue();

            JsonNode first = JSON.readTree(out.get(1).value());
            assertThat(first.get("shed").asBoolean()).isFalse();
            assertThat(first.get("model_skipped").isNull()).isTrue();
            assertThat(first.get("quality").isNumber()).isTrue();

            JsonNode shed = JSON.readTree(out.get(2).value());
            assertThat(shed.get("degradations")).as("precondition: a clean frame").isEmpty();
            assertThat(shed.get("shed").asBoolean()).isTrue();
            assertThat(shed.get("model_skipped").asText()).isEqualTo("shed");
            assertThat(shed.get("score").isNull()).isTrue();
            assertThat(shed.get("quality").isNull()).isTrue();
            assertThat(shed.get("verdict").asText()).isEqualTo("ok");
            assertThat(shed.get("detectors").get("sharpness").isNumber()).as("detectors still ran").isTrue();
            assertThat(shed.get("model").get("name").asText()).isEqualTo("maniqa-lite");

            JsonNode suspect = JSON.readTree(out.get(3).value());
            assertThat(suspect.get("degradations").toString()).contains("frozen");
            assertThat(suspect.get("shed").asBoolean()).isFalse();
            assertThat(suspect.get("quality").isNumber()).isTrue();
            assertThat(suspect.get("verdict").asText()).isEqualTo("degraded");

            assertThat(shedCount(registry, "cam-old")).isEqualTo(1.0);
            assertThat(shedCount(registry, "cam-fresh")).isEqualTo(0.0);
        }
    }

    @Test
    void sheddingIsOffByDefault() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        try (TopologyTestDriver driver = driver(builder(registry))) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic("frames.site-a", new StringSerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, byte[]> scores = driver.createOutputTopic("frameq.scores", new StringDeserializer(),
                    new ByteArrayDeserializer());
            in.pipeInput(new TestRecord<>("cam-old", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 1, OLD), 1L));
            JsonNode e = JSON.readTree(scores.readValue());
            assertThat(e.get("shed").asBoolean()).isFalse();
            assertThat(e.get("quality").isNumber()).isTrue();
            assertThat(shedCount(registry, "cam-old")).isEqualTo(0.0);
        }
    }

    @Test
    void theTopologyScoresThroughTheBatcherLikeThroughTheScorer() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        double direct;
        try (TopologyTestDriver driver = driver(builder(registry))) {
            driver.createInputTopic("frames.site-a", new StringSerializer(), new ByteArraySerializer())
                    .pipeInput(new TestRecord<>("cam-1", Fixtures.coffeePng(), Fixtures.headers("image/png", 1, -1), 1L));
            direct = JSON.readTree(driver.createOutputTopic("frameq.scores", new StringDeserializer(),
                    new ByteArrayDeserializer()).readValue()).get("score").asDouble();
        }
        PrometheusRegistry batchedRegistry = new PrometheusRegistry();
        FrameqMetrics metrics = new PrometheusMetrics(batchedRegistry, 10);
        try (BatchingNrScorer batcher = new BatchingNrScorer(scorer, metrics, 20, 2, 64);
             TopologyTestDriver driver = driver(builder(metrics).scorer(batcher))) {
            driver.createInputTopic("frames.site-a", new StringSerializer(), new ByteArraySerializer())
                    .pipeInput(new TestRecord<>("cam-1", Fixtures.coffeePng(), Fixtures.headers("image/png", 1, -1), 1L));
            byte[] event = driver.createOutputTopic("frameq.scores", new StringDeserializer(), new ByteArrayDeserializer())
                    .readValue();
            assertThat(EventSchema.scoreEvent().violations(event)).isEmpty();
            assertThat(JSON.readTree(event).get("score").asDouble()).isCloseTo(direct, org.assertj.core.api.Assertions.within(1e-5));
            var sizes = (io.prometheus.metrics.model.snapshots.HistogramSnapshot) batchedRegistry.scrape().stream()
                    .filter(m -> m.getMetadata().getName().equals("frameq_batch_size")).findFirst().orElseThrow();
            assertThat(sizes.getDataPoints().get(0).getCount()).as("one observation per model run, none per frame").isEqualTo(1);
        }
    }
}
