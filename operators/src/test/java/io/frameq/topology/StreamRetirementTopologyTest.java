package io.frameq.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.alert.AlertPolicy;
import io.frameq.api.FrameqNames;
import io.frameq.baseline.BaselineCodec;
import io.frameq.baseline.BaselineSettings;
import io.frameq.baseline.SceneMode;
import io.frameq.baseline.StreamBaseline;
import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.metrics.PrometheusMetrics;
import io.frameq.metrics.StreamLabels;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.processor.VerdictPolicy;
import io.frameq.quality.NrScorer;
import io.frameq.testing.EventSchema;
import io.frameq.testing.Fixtures;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retiring streams on TopologyTestDriver, with real decoders, detectors and the bundled model: a stream silent
 * past the TTL leaves every per-stream store (thumbnail, baseline, verdict hysteresis, alert state) and the
 * metrics, its open silent incident resolves with reason {@code retired}, and when it comes back it starts fresh.
 */
class StreamRetirementTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_700_000_000_000L;
    private static final long SILENT_MS = 30_000L;
    private static final long RETIRE_MS = 120_000L;
    private static final List<String> STORES = List.of(FrameqNames.THUMBNAIL_STORE, FrameqNames.BASELINE_STORE,
            FrameqNames.VERDICT_STORE, FrameqNames.ALERTS_STORE);
    private static OrtRuntime ort;
    private static NrScorer scorer;
    private static FrameDecoders decoders;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> frames;
    private TestOutputTopic<String, byte[]> alerts;
    private PrometheusRegistry registry;
    private PrometheusMetrics metrics;
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

    @BeforeEach
    void start() {
        registry = new PrometheusRegistry();
        // a cap of 2 named streams: the retired stream's slot must go to the next new one
        metrics = new PrometheusMetrics(registry, 2);
        var topology = FrameqTopology.builder()
                .inputPattern(Pattern.compile("frames\\..+"))
                .alerts(new AlertPolicy(10_000L, 0.5, 1, 0.2, 2, SILENT_MS, 0, 10_000L))
                .retireAfterMs(RETIRE_MS)
                .decoders(decoders)
                .detectors(new DetectorSuite(DetectorThresholds.DEFAULTS))
                .scorer(scorer)
                .metrics(metrics)
                .verdicts(new VerdictPolicy(0.05))
                .build();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "frameq-retire-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, p);
        frames = driver.createInputTopic("frames.site-a", new StringSerializer(), new ByteArraySerializer());
        alerts = driver.createOutputTopic("frameq.alerts", new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aStreamSilentPastItsTtlLeavesEveryStoreAndTheMetricsAndStartsFreshWhenItComesBack() {
        // cam-gone: 4 frames 1.5 s apart (capture time), so its baseline holds several samples
        for (int i = 0; i < 4; i++) {
            frame("cam-gone", T0 + 1_500L * i);
        }
        frame("cam-live", T0);
        for (String store : STORES) {
            assertThat(entry(store, "cam-gone")).as("%s of cam-gone before the silence", store).isNotNull();
        }
        int samplesBefore = baselineSamples("cam-gone");
        assertThat(samplesBefore).as("baseline samples of cam-gone before the silence").isGreaterThan(1);
        assertThat(streamsInMetrics()).containsExactlyInAnyOrder("cam-gone", "cam-live");

        // cam-live keeps sending every 20 s of wall clock; cam-gone sends nothing
        long captureTs = T0;
        for (long waited = 0; waited < RETIRE_MS - 20_000; waited += 20_000) {
            driver.advanceWallClockTime(Duration.ofSeconds(20));
            captureTs += 20_000;
            frame("cam-live", captureTs);
        }
        List<JsonNode> silent = readAlerts("cam-gone");
        assertThat(silent).as("cam-gone silent, not yet retired")
                .extracting(a -> a.get("stream").asText() + ":" + a.get("kind").asText() + ":" + a.get("state").asText())
                .containsExactly("cam-gone:silent:open");
        for (String store : STORES) {
            assertThat(entry(store, "cam-gone")).as("%s of cam-gone before its TTL", store).isNotNull();
        }

        driver.advanceWallClockTime(Duration.ofSeconds(25));
        frame("cam-live", captureTs + 25_000);

        List<JsonNode> retired = readAlerts("cam-gone");
        assertThat(retired).as("the open silent incident resolves with reason retired").singleElement().satisfies(a -> {
            assertThat(a.get("stream").asText()).isEqualTo("cam-gone");
            assertThat(a.get("kind").asText()).isEqualTo("silent");
            assertThat(a.get("state").asText()).isEqualTo("resolved");
            assertThat(a.get("reason").asText()).isEqualTo("retired");
            assertThat(a.get("alert_id").asText()).isEqualTo(silent.get(0).get("alert_id").asText());
        });
        for (String store : STORES) {
            assertThat(entry(store, "cam-gone")).as("%s of cam-gone after its TTL", store).isNull();
            assertThat(entry(store, "cam-live")).as("%s of cam-live, which kept sending", store).isNotNull();
        }
        assertThat(streamsInMetrics()).as("stream labels in the metrics after cam-gone retired").containsExactly("cam-live");
        assertThat(metrics.streamLabel("cam-new")).as("cam-gone's label slot is free again (cap 2)").isEqualTo("cam-new");

        // cam-gone comes back: no silent incident to resolve (its alert state is new), a new baseline, new series
        frame("cam-gone", T0 + 400_000);
        assertThat(readAlerts("cam-gone")).as("alerts of cam-gone when it comes back").isEmpty();
        assertThat(baselineSamples("cam-gone")).as("baseline samples of the returning cam-gone").isLessThan(samplesBefore)
                .isLessThanOrEqualTo(1);
        JsonNode alertState = read(entry(FrameqNames.ALERTS_STORE, "cam-gone"));
        assertThat(alertState.get("frames").asLong()).as("frames in cam-gone's fresh alert window").isEqualTo(1);
        assertThat(alertState.get("silent_alert_id").isNull()).isTrue();
        assertThat(streamsInMetrics()).as("cam-gone has series again, under the overflow label past the cap")
                .contains("cam-live", StreamLabels.OVERFLOW);
    }

    @Test
    void aTtlOfZeroKeepsEveryStream() {
        driver.close();
        var topology = FrameqTopology.builder()
                .inputPattern(Pattern.compile("frames\\..+"))
                .alerts(new AlertPolicy(10_000L, 0.5, 1, 0.2, 2, SILENT_MS, 0, 10_000L))
                .retireAfterMs(0)
                .decoders(decoders)
                .detectors(new DetectorSuite(DetectorThresholds.DEFAULTS))
                .scorer(scorer)
                .metrics(metrics)
                .build();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "frameq-retire-off-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("off").toString());
        driver = new TopologyTestDriver(topology, p);
        frames = driver.createInputTopic("frames.site-a", new StringSerializer(), new ByteArraySerializer());
        frame("cam-kept", T0);
        driver.advanceWallClockTime(Duration.ofDays(30));
        for (String store : STORES) {
            assertThat(entry(store, "cam-kept")).as("%s of cam-kept after 30 days without frames", store).isNotNull();
        }
    }

    @Test
    void aTtlNotLongerThanTheSilenceIsRejected() {
        var builder = FrameqTopology.builder()
                .inputPattern(Pattern.compile("frames\\..+"))
                .alerts(new AlertPolicy(10_000L, 0.5, 1, 0.2, 2, SILENT_MS, 0, 10_000L))
                .retireAfterMs(SILENT_MS)
                .decoders(decoders)
                .detectors(new DetectorSuite(DetectorThresholds.DEFAULTS))
                .scorer(scorer);
        org.assertj.core.api.Assertions.assertThatThrownBy(builder::build).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("optRetireAfterMs").hasMessageContaining("silentAfterMs");
    }

    private void frame(String stream, long captureTs) {
        frames.pipeInput(new TestRecord<>(stream, Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", ++seq, captureTs), captureTs));
    }

    private byte[] entry(String store, String stream) {
        KeyValueStore<String, byte[]> s = driver.getKeyValueStore(store);
        assertThat(s).as("store %s", store).isNotNull();
        return s.get(stream);
    }

    private int baselineSamples(String stream) {
        StreamBaseline b = BaselineCodec.decode(entry(FrameqNames.BASELINE_STORE, stream), BaselineSettings.DEFAULTS.capacity());
        return b.samples(SceneMode.DAY) + b.samples(SceneMode.NIGHT);
    }

    private Set<String> streamsInMetrics() {
        Set<String> streams = new TreeSet<>();
        for (MetricSnapshot m : registry.scrape()) {
            for (var point : m.getDataPoints()) {
                String s = point.getLabels().get("stream");
                if (s != null) {
                    streams.add(s);
                }
            }
        }
        return streams;
    }

    /** The stream's alerts published since the last call (cam-live's identical frames may open a frozen incident). */
    private List<JsonNode> readAlerts(String stream) {
        List<JsonNode> out = new ArrayList<>();
        EventSchema schema = EventSchema.alertEvent();
        for (TestRecord<String, byte[]> r : alerts.readRecordsToList()) {
            assertThat(schema.violations(r.value())).as(new String(r.value())).isEmpty();
            if (r.key().equals(stream)) {
                out.add(read(r.value()));
            }
        }
        return out;
    }

    private static JsonNode read(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
