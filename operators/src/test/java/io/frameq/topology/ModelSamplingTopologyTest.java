package io.frameq.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.metrics.PrometheusMetrics;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.processor.VerdictPolicy;
import io.frameq.quality.NrScorer;
import io.frameq.scoring.ModelBudget;
import io.frameq.scoring.ModelSampling;
import io.frameq.scoring.ModelSamplingPolicy;
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

/**
 * Model sampling in the topology, with the real model on a real clip: every frame gets its event,
 * sampled-out frames say so, suspects always get the model, and the metrics count both.
 */
class ModelSamplingTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long EVERY_MS = 1000;
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

    private TopologyTestDriver driver(PrometheusRegistry registry, ModelSamplingPolicy sampling) {
        return driver(registry, sampling, 0);
    }

    private TopologyTestDriver driver(PrometheusRegistry registry, ModelSamplingPolicy sampling, int reducedMinWidth) {
        return driver(registry, sampling, reducedMinWidth, ModelBudget.unlimited());
    }

    private TopologyTestDriver driver(PrometheusRegistry registry, ModelSamplingPolicy sampling, int reducedMinWidth,
                                      ModelBudget budget) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "frameq-sampling-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new TopologyTestDriver(FrameqTopology.builder()
                .inputPattern(Pattern.compile("frames\\..+"))
                .decoders(decoders)
                .detectors(new DetectorSuite(DetectorThresholds.DEFAULTS))
                .baseline(io.frameq.baseline.BaselineSettings.OFF)
                .scorer(scorer)
                .metrics(new PrometheusMetrics(registry, 10))
                .verdicts(new VerdictPolicy(0.5))
                .modelSampling(sampling)
                .modelBudget(budget)
                .reducedDecodeMinWidth(reducedMinWidth)
                .build(), p);
    }

    private static double counter(PrometheusRegistry registry, String name, Map<String, String> labels) {
        return registry.scrape().stream().filter(m -> m.getMetadata().getName().equals(name))
                .map(m -> (CounterSnapshot) m).flatMap(c -> c.getDataPoints().stream())
                .filter(dp -> labels.entrySet().stream().allMatch(e -> e.getValue().equals(dp.getLabels().get(e.getKey()))))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
    }

    @Test
    void sampledOutFramesStillGetTheirEventAndSuspectsAlwaysGetTheModel() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        ModelSamplingPolicy sampling = new ModelSamplingPolicy(new ModelSampling(EVERY_MS, 0, 10_000, 5_000), Map.of());
        try (TopologyTestDriver driver = driver(registry, sampling)) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic("frames.site-a", new StringSerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, byte[]> scores = driver.createOutputTopic("frameq.scores", new StringDeserializer(),
                    new ByteArrayDeserializer());
            long t0 = System.currentTimeMillis() - 60_000;
            // a real clip: one segment, many frames a few tens of ms apart
            in.pipeInput(new TestRecord<>("plaza", Fixtures.resource("/frames/plaza_320x240_h264.mp4"),
                    Fixtures.headers("video/mp4", 1, t0), t0));
            List<JsonNode> clip = read(scores);
            long clipEnd = clip.get(clip.size() - 1).get("capture_ts").asLong();
            // then a still, and the same still again 100 ms later: the freeze detector flags it, a suspect
            in.pipeInput(new TestRecord<>("plaza", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 2, clipEnd + 100), t0));
            in.pipeInput(new TestRecord<>("plaza", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 3, clipEnd + 200), t0));
            List<JsonNode> events = new ArrayList<>(clip);
            events.addAll(read(scores));

            assertThat(clip.size()).as("precondition: the clip has several frames per sampling interval").isGreaterThan(10);
            int ran = 0;
            int sampledOut = 0;
            long lastRun = Long.MIN_VALUE;
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < events.size(); i++) {
                JsonNode e = events.get(i);
                long ts = e.get("capture_ts").asLong();
                String flags = e.get("degradations").toString();
                boolean modelRan = e.get("model_skipped").isNull();
                assertThat(modelRan).as("frame %d: quality present exactly when the model ran", i)
                        .isEqualTo(e.get("quality").isNumber());
                assertThat(e.get("shed").asBoolean()).isFalse();
                boolean neverSeen = false;
                for (JsonNode d : e.get("degradations")) {
                    neverSeen |= seen.add(d.asText());
                }
                if (i == 0 || neverSeen) {
                    assertThat(modelRan).as("frame %d (first, or a suspect with a flag never seen %s) runs the model", i, flags)
                            .isTrue();
                } else if ("[]".equals(flags) && ran >= 2 && ts - lastRun < EVERY_MS) {
                    // (after the second run: the first interval is shortened by the stream's phase)
                    assertThat(e.get("model_skipped").asText()).as("frame %d, %d ms after the last run", i, ts - lastRun)
                            .isEqualTo("sampled_out");
                }
                if (modelRan) {
                    ran++;
                    lastRun = ts;
                } else {
                    sampledOut++;
                    assertThat(e.get("detectors").get("sharpness").isNumber()).as("the detectors still ran").isTrue();
                    assertThat(e.get("verdict").asText()).isIn("ok", "degraded");
                }
            }
            JsonNode frozen = events.get(events.size() - 1);
            assertThat(frozen.get("degradations").toString()).as("precondition: the repeated still is a suspect").contains("frozen");
            assertThat(frozen.get("quality").isNumber()).isTrue();
            assertThat(sampledOut).as("most frames of a 1 s sampling are sampled out").isGreaterThan(ran);

            assertThat(counter(registry, "frameq_model_skipped", Map.of("stream", "plaza", "reason", "sampled_out")))
                    .isEqualTo(sampledOut);
            assertThat(counter(registry, "frameq_frames", Map.of("stream", "plaza"))).as("every frame counts")
                    .isEqualTo(events.size());
            assertThat(counter(registry, "frameq_frames_shed", Map.of("stream", "plaza"))).isZero();
        }
    }

    @Test
    void withReducedDecodeTheDetectorsGetAHalfSizeFrameAndTheModelTheFullOne() throws Exception {
        byte[] cat = hd(Fixtures.chelseaJpeg());
        byte[] coffee = hd(Fixtures.coffeePng());
        ModelSamplingPolicy sampling = new ModelSamplingPolicy(new ModelSampling(60_000, 0, 10_000, 5_000), Map.of());
        long t0 = System.currentTimeMillis() - 10_000;
        List<JsonNode> reduced;
        List<JsonNode> full;
        try (TopologyTestDriver driver = driver(new PrometheusRegistry(), sampling, 640)) {
            reduced = pipe(driver, cat, coffee, t0);
        }
        try (TopologyTestDriver driver = driver(new PrometheusRegistry(), sampling, 0)) {
            full = pipe(driver, cat, coffee, t0);
        }
        for (JsonNode e : reduced) {
            assertThat(e.get("width").asInt()).as("the event reports the picture's full size").isEqualTo(1920);
            assertThat(e.get("height").asInt()).isEqualTo(1080);
        }
        assertThat(reduced.get(0).get("model_skipped").isNull()).as("first frame: the model ran").isTrue();
        assertThat(reduced.get(0).get("score").asDouble()).as("on the full-size picture, as without reduced decode")
                .isEqualTo(full.get(0).get("score").asDouble());
        assertThat(reduced.get(1).get("model_skipped").asText()).isEqualTo("sampled_out");
        assertThat(reduced.get(1).get("verdict").asText()).isEqualTo(full.get(1).get("verdict").asText());
    }

    /**
     * Three cameras start together on an instance whose budget banks one model run: the first camera's first frame
     * gets it, the others' events say {@code budget} (verdict from the detectors, counted), and each owed camera
     * gets its run on a later frame, the longest owed first, as the budget refills.
     */
    @Test
    void overBudgetFirstFramesAreDeferredNotLostAndServedOldestFirst() throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        long[] clock = {1_000_000};
        ModelBudget budget = new ModelBudget(0.5, () -> clock[0]); // a run every 2 s, one banked
        ModelSamplingPolicy sampling = new ModelSamplingPolicy(new ModelSampling(60_000, 0, 10_000, 5_000), Map.of());
        // the picture changes every round, so no frame is a frozen suspect
        List<byte[]> pictures = List.of(Fixtures.chelseaJpeg(), Fixtures.coffeePng(), Fixtures.chelseaJpeg());
        List<String> types = List.of("image/jpeg", "image/png", "image/jpeg");
        try (TopologyTestDriver driver = driver(registry, sampling, 0, budget)) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic("frames.site-a", new StringSerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, byte[]> scores = driver.createOutputTopic("frameq.scores", new StringDeserializer(),
                    new ByteArrayDeserializer());
            long t0 = System.currentTimeMillis() - 60_000;
            List<String> cams = List.of("cam-a", "cam-b", "cam-c");
            Map<String, List<String>> skipped = new java.util.TreeMap<>();
            for (int round = 0; round < 3; round++) {
                clock[0] = 1_000_000 + round * 2_000L; // one more run banked each round
                for (int c = 0; c < cams.size(); c++) {
                    long ts = t0 + round * 1000L + c;
                    in.pipeInput(new TestRecord<>(cams.get(c), pictures.get(round), Fixtures.headers(types.get(round), round, ts), ts));
                }
                for (JsonNode e : read(scores)) {
                    skipped.computeIfAbsent(e.get("stream").asText(), k -> new ArrayList<>())
                            .add(e.get("model_skipped").isNull() ? "ran" : e.get("model_skipped").asText());
                    assertThat(e.get("quality").isNumber()).isEqualTo(e.get("model_skipped").isNull());
                    assertThat(e.get("degradations")).as("precondition: no suspects").isEmpty();
                    assertThat(e.get("verdict").asText()).isIn("ok", "degraded");
                }
            }
            assertThat(skipped).isEqualTo(Map.of(
                    "cam-a", List.of("ran", "sampled_out", "sampled_out"),
                    "cam-b", List.of("budget", "ran", "sampled_out"),
                    "cam-c", List.of("budget", "budget", "ran")));
            assertThat(counter(registry, "frameq_model_skipped", Map.of("reason", "budget"))).isEqualTo(3);
            assertThat(counter(registry, "frameq_model_skipped", Map.of("stream", "cam-c", "reason", "budget"))).isEqualTo(2);
            assertThat(budget.owedStreams()).isZero();
        }
    }

    /**
     * A real photo enlarged to 1920x1080 by repeating its pixels, as a JPEG: its edges stay about one pixel wide, as a
     * sharp 1080p camera shows them. (A smooth enlargement spreads them over six pixels: blur at the picture's own
     * scale, which only the full decode sees, see io.frameq.detect.FineEdges; the verdicts would then differ.)
     */
    private static byte[] hd(byte[] encoded) {
        io.frameq.frame.RgbImage img = decoders.decode(encoded, io.frameq.frame.FrameMetadata.of(io.frameq.frame.ContentType
                .sniff(encoded).orElseThrow())).get(0).image();
        int w = img.width();
        int h = img.height();
        byte[] out = new byte[1920 * 1080 * 3];
        for (int y = 0; y < 1080; y++) {
            for (int x = 0; x < 1920; x++) {
                System.arraycopy(img.pixels(), ((y * h / 1080) * w + x * w / 1920) * 3, out, (y * 1920 + x) * 3, 3);
            }
        }
        return io.frameq.frame.ImageEncoder.jpeg(new io.frameq.frame.RgbImage(1920, 1080, out), 85);
    }

    /** Two different pictures of one stream 1 s apart. */
    private static List<JsonNode> pipe(TopologyTestDriver driver, byte[] first, byte[] second, long t0) throws Exception {
        TestInputTopic<String, byte[]> in = driver.createInputTopic("frames.site-a", new StringSerializer(), new ByteArraySerializer());
        TestOutputTopic<String, byte[]> scores = driver.createOutputTopic("frameq.scores", new StringDeserializer(),
                new ByteArrayDeserializer());
        in.pipeInput(new TestRecord<>("gate", first, Fixtures.headers("image/jpeg", 1, t0), t0));
        in.pipeInput(new TestRecord<>("gate", second, Fixtures.headers("image/jpeg", 2, t0 + 1000), t0));
        return read(scores);
    }

    private static List<JsonNode> read(TestOutputTopic<String, byte[]> scores) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (byte[] v : scores.readValuesToList()) {
            assertThat(EventSchema.scoreEvent().violations(v)).isEmpty();
            events.add(JSON.readTree(v));
        }
        return events;
    }
}
