package io.frameq.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.alert.AlertPolicy;
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
import io.frameq.testing.EventSchema;
import io.frameq.testing.Fixtures;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;

import org.apache.kafka.common.header.Headers;
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

/** The per-stream alerts stage on TopologyTestDriver, fed by real decoders, detectors and the bundled model. */
class AlertsTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A multiple of the 10 s window. */
    private static final long T0 = 1_700_000_000_000L;
    private static final long WINDOW = 10_000L;
    private static OrtRuntime ort;
    private static NrScorer scorer;
    private static FrameDecoders decoders;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> frames;
    private TestOutputTopic<String, byte[]> scores;
    private TestOutputTopic<String, byte[]> alerts;
    private PrometheusRegistry registry;
    private long seq;

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

    /** The windows alone: black frames would also open tamper incidents, tested on their own below. */
    private static final AlertPolicy WINDOWS_ONLY = new AlertPolicy(10_000L, 0.5, 1, 0.2, 2, 30_000L, 0, 10_000L);

    @BeforeEach
    void start() {
        startWith(WINDOWS_ONLY);
    }

    private void startWith(AlertPolicy policy) {
        registry = new PrometheusRegistry();
        var topology = FrameqTopology.builder()
                .inputPattern(Pattern.compile("frames\\..+"))
                .alerts(policy)
                .decoders(decoders)
                .detectors(new DetectorSuite(DetectorThresholds.DEFAULTS))
                .scorer(scorer)
                .metrics(new PrometheusMetrics(registry, 10))
                // Quality alone must not flag the clean fixtures: the detectors decide here.
                .verdicts(new VerdictPolicy(0.05))
                .build();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "frameq-alerts-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, p);
        frames = driver.createInputTopic("frames.site-a", new StringSerializer(), new ByteArraySerializer());
        scores = driver.createOutputTopic("frameq.scores", new StringDeserializer(), new ByteArrayDeserializer());
        alerts = driver.createOutputTopic("frameq.alerts", new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void incidentOfBlackFramesOpensOnceAndResolvesOnceAfterCleanWindows() {
        for (int i = 0; i < 4; i++) {
            black("cam-1", T0 + i * 1000L);
        }
        assertThat(alerts.isEmpty()).as("the window is still open").isTrue();
        clean("cam-1", T0 + WINDOW, 0);
        clean("cam-1", T0 + WINDOW + 1000, 1);
        clean("cam-1", T0 + WINDOW + 2000, 2);

        List<JsonNode> opened = readAlerts();
        assertThat(opened).hasSize(1);
        JsonNode open = opened.get(0);
        assertThat(open.get("kind").asText()).isEqualTo("quality");
        assertThat(open.get("state").asText()).isEqualTo("open");
        assertThat(open.get("stream").asText()).isEqualTo("cam-1");
        assertThat(open.get("window_start").asLong()).isEqualTo(T0);
        assertThat(open.get("window_end").asLong()).isEqualTo(T0 + WINDOW);
        assertThat(open.get("frames").asLong()).isEqualTo(4);
        assertThat(open.get("degraded_share").asDouble()).isEqualTo(1.0);
        assertThat(open.get("top_degradations").get(0).asText()).isEqualTo("black");
        assertThat(open.get("faults")).as("what and where: black is a whole-frame fault").hasSize(1);
        assertThat(open.get("faults").get(0).get("type").asText()).isEqualTo("black");
        assertThat(open.get("faults").get(0).get("frames").asLong()).isEqualTo(4);
        assertThat(open.get("faults").get(0).get("cells")).isEmpty();
        double min = open.get("min_quality").asDouble();
        assertThat(open.get("p10_quality").asDouble()).isBetween(min, open.get("mean_quality").asDouble() + 0.05);

        // One clean window is not enough (resolve.windows=2); the second one resolves.
        clean("cam-1", T0 + 2 * WINDOW, 3);
        clean("cam-1", T0 + 2 * WINDOW + 500, 4);
        assertThat(readAlerts()).isEmpty();
        clean("cam-1", T0 + 3 * WINDOW, 5);
        List<JsonNode> resolved = readAlerts();
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0).get("state").asText()).isEqualTo("resolved");
        assertThat(resolved.get(0).get("alert_id").asText()).isEqualTo(open.get("alert_id").asText());
        assertThat(resolved.get(0).get("window_start").asLong()).isEqualTo(T0 + 2 * WINDOW);
        assertThat(resolved.get(0).get("degraded_share").asDouble()).isEqualTo(0.0);

        // More clean windows: nothing further.
        clean("cam-1", T0 + 4 * WINDOW, 6);
        clean("cam-1", T0 + 5 * WINDOW, 7);
        assertThat(readAlerts()).isEmpty();
        assertThat(scores.readRecordsToList()).as("scores output unchanged: one event per frame").hasSize(12);
        assertThat(alertCount("quality", "open")).isEqualTo(1.0);
        assertThat(alertCount("quality", "resolved")).isEqualTo(1.0);
        assertThat(driver.getKeyValueStore(FrameqTopology.ALERTS_STORE).get("cam-1")).isNotNull();
    }

    @Test
    void aCameraBlackOnEveryFrameForASecondOpensATamperIncidentAtOnceAndResolvesAfterTenClearSeconds() {
        driver.close();
        startWith(AlertPolicy.DEFAULTS);
        black("cam-t", T0);
        black("cam-t", T0 + 500);
        assertThat(readAlerts()).as("0.5 s of black frames").isEmpty();
        black("cam-t", T0 + 1000);
        List<JsonNode> opened = readAlerts();
        assertThat(opened).hasSize(1);
        JsonNode open = opened.get(0);
        assertThat(open.get("kind").asText()).isEqualTo("tamper");
        assertThat(open.get("state").asText()).isEqualTo("open");
        assertThat(open.get("window_start").asLong()).as("its first black frame").isEqualTo(T0);
        assertThat(open.get("window_end").asLong()).isEqualTo(T0 + 1000);
        assertThat(open.get("frames").asLong()).isEqualTo(3);
        assertThat(open.get("top_degradations").get(0).asText()).isEqualTo("black");
        assertThat(open.get("faults")).as("what and where: black is a whole-frame fault").hasSize(1);
        assertThat(open.get("faults").get(0).get("type").asText()).isEqualTo("black");
        assertThat(open.get("faults").get(0).get("frames").asLong()).isEqualTo(3);
        assertThat(open.get("faults").get(0).get("cells")).isEmpty();

        black("cam-t", T0 + 3000);
        clean("cam-t", T0 + 4000, 0);
        clean("cam-t", T0 + 9000, 1);
        assertThat(readAlerts()).as("5 s clear; the quality window of the black frames may open, no tamper event")
                .noneMatch(a -> a.get("kind").asText().equals("tamper"));
        clean("cam-t", T0 + 14_000, 2);
        List<JsonNode> later = readAlerts().stream().filter(a -> a.get("kind").asText().equals("tamper")).toList();
        assertThat(later).hasSize(1);
        assertThat(later.get(0).get("state").asText()).isEqualTo("resolved");
        assertThat(later.get(0).get("alert_id").asText()).isEqualTo(open.get("alert_id").asText());
        assertThat(alertCount("tamper", "open")).isEqualTo(1.0);
    }

    @Test
    void oneDegradedFrameBelowTheRatioOpensNothing() {
        clean("cam-2", T0, 0);
        black("cam-2", T0 + 1000);
        clean("cam-2", T0 + 2000, 1);
        clean("cam-2", T0 + 3000, 2);
        clean("cam-2", T0 + 4000, 3);
        clean("cam-2", T0 + WINDOW, 4);
        clean("cam-2", T0 + 2 * WINDOW, 5);

        List<JsonNode> events = scores.readRecordsToList().stream().map(r -> read(r.value())).toList();
        assertThat(events).extracting(e -> e.get("verdict").asText())
                .containsExactly("ok", "degraded", "ok", "ok", "ok", "ok", "ok");
        assertThat(readAlerts()).isEmpty();
    }

    @Test
    void aDegradedStreamDoesNotAlertAnother() {
        for (int i = 0; i < 3; i++) {
            black("cam-bad", T0 + i * 1000L);
            clean("cam-good", T0 + i * 1000L, i);
        }
        clean("cam-good", T0 + WINDOW, 3);
        assertThat(readAlerts()).as("cam-bad's window is not closed yet").isEmpty();
        black("cam-bad", T0 + WINDOW);
        assertThat(readAlerts()).extracting(a -> a.get("stream").asText()).containsExactly("cam-bad");
    }

    @Test
    void silentStreamOpensOnceAndResolvesWhenFramesArriveAgain() {
        clean("cam-3", T0, 0);
        driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(readAlerts()).isEmpty();

        driver.advanceWallClockTime(Duration.ofSeconds(25));
        List<JsonNode> opened = readAlerts();
        assertThat(opened).hasSize(1);
        assertThat(opened.get(0).get("kind").asText()).isEqualTo("silent");
        assertThat(opened.get(0).get("state").asText()).isEqualTo("open");
        assertThat(opened.get(0).get("stream").asText()).isEqualTo("cam-3");
        assertThat(opened.get(0).get("window_start").asLong()).as("last frame's capture time").isEqualTo(T0);
        assertThat(opened.get(0).get("frames").asLong()).isZero();

        driver.advanceWallClockTime(Duration.ofSeconds(60));
        assertThat(readAlerts()).as("still silent: no repeat").isEmpty();

        clean("cam-3", T0 + 95_000, 1);
        List<JsonNode> resolved = readAlerts();
        assertThat(resolved).hasSize(1);
        assertThat(resolved.get(0).get("kind").asText()).isEqualTo("silent");
        assertThat(resolved.get(0).get("state").asText()).isEqualTo("resolved");
        assertThat(resolved.get(0).get("alert_id").asText()).isEqualTo(opened.get(0).get("alert_id").asText());

        driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertThat(readAlerts()).isEmpty();
        assertThat(alertCount("silent", "open")).isEqualTo(1.0);
        assertThat(alertCount("silent", "resolved")).isEqualTo(1.0);
    }

    private void clean(String stream, long captureTs, int n) {
        boolean jpeg = n % 2 == 0;
        frames.pipeInput(new TestRecord<>(stream, jpeg ? Fixtures.chelseaJpeg() : Fixtures.coffeePng(),
                Fixtures.headers(jpeg ? "image/jpeg" : "image/png", ++seq, captureTs), captureTs));
    }

    private void black(String stream, long captureTs) {
        Headers h = Fixtures.headers("video/x-raw;format=rgb24", ++seq, captureTs);
        h.add("frameq-width", "64".getBytes());
        h.add("frameq-height", "48".getBytes());
        frames.pipeInput(new TestRecord<>(stream, new byte[64 * 48 * 3], h, captureTs));
    }

    /** The alerts published so far, each checked against the schema and its frameq-alert-id header. */
    private List<JsonNode> readAlerts() {
        List<JsonNode> out = new ArrayList<>();
        EventSchema schema = EventSchema.alertEvent();
        for (TestRecord<String, byte[]> r : alerts.readRecordsToList()) {
            assertThat(schema.violations(r.value())).as(new String(r.value())).isEmpty();
            JsonNode node = read(r.value());
            assertThat(r.key()).isEqualTo(node.get("stream").asText());
            assertThat(Fixtures.header(r.headers(), "frameq-alert-id")).isEqualTo(node.get("alert_id").asText());
            out.add(node);
        }
        return out;
    }

    private double alertCount(String kind, String state) {
        return registry.scrape().stream()
                .filter(m -> m.getMetadata().getName().equals("frameq_alerts"))
                .flatMap(m -> ((CounterSnapshot) m).getDataPoints().stream())
                .filter(d -> kind.equals(d.getLabels().get("kind")) && state.equals(d.getLabels().get("state")))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
    }

    private static JsonNode read(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
