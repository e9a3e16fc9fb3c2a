package io.frameq.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.errors.DeadLetter;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;
import io.frameq.join.JoinPolicy;
import io.frameq.join.OriginResolver;
import io.frameq.metrics.PrometheusMetrics;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.processor.VerdictPolicy;
import io.frameq.quality.FrScorer;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full-reference sub-topology on TopologyTestDriver with the real decoders, the bundled
 * vtamiq-lite through ONNX Runtime and a real photo (chelsea, 451x300) whose renditions are real
 * JPEG re-encodings, one of them at half resolution.
 */
class FrJoinTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_700_000_000_000L;
    private static OrtRuntime ort;
    private static NrScorer nr;
    private static FrScorer fr;
    private static FrameDecoders decoders;
    private static byte[] origin;
    private static byte[] good;
    private static byte[] poor;
    private static byte[] small;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> origins;
    private TestInputTopic<String, byte[]> renditions;
    private TestOutputTopic<String, byte[]> scores;
    private TestOutputTopic<String, byte[]> dlq;
    private PrometheusRegistry registry;

    @BeforeAll
    static void open() throws Exception {
        ort = OrtRuntime.create(ExecutionConfig.parse("cpu"));
        nr = NrScorer.open(ModelRepository.bundled(), "maniqa-lite", ort);
        fr = FrScorer.open(ModelRepository.bundled(), "vtamiq-lite", ort);
        decoders = new FrameDecoders(DecodeLimits.DEFAULT);
        origin = Fixtures.chelseaJpeg();
        RgbImage picture = decoders.decode(origin, Fixtures.headers("image/jpeg", -1, -1)).get(0).image();
        good = ImageEncoder.jpeg(picture, 90);
        poor = ImageEncoder.jpeg(picture, 8);
        small = ImageEncoder.jpeg(ImageEncoder.resize(picture, picture.width() / 2, picture.height() / 2), 90);
    }

    @AfterAll
    static void close() {
        decoders.close();
        fr.close();
        nr.close();
        ort.close();
    }

    private void start(JoinPolicy policy) {
        registry = new PrometheusRegistry();
        var topology = FrameqTopology.builder()
                .inputTopics(List.of("frames.cam"))
                .decoders(decoders)
                .detectors(new DetectorSuite(DetectorThresholds.DEFAULTS))
                .scorer(nr)
                .metrics(new PrometheusMetrics(registry, 10))
                .verdicts(new VerdictPolicy(0.5))
                .fullReference(new FrameqTopology.FullReference(List.of("cdn.origin"), List.of("cdn.renditions"),
                        "cdn.renditions-by-origin", policy, new OriginResolver("@"), fr))
                .build();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "frameq-fr-join-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(topology, p);
        origins = driver.createInputTopic("cdn.origin", new StringSerializer(), new ByteArraySerializer());
        renditions = driver.createInputTopic("cdn.renditions", new StringSerializer(), new ByteArraySerializer());
        scores = driver.createOutputTopic("frameq.scores", new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic("frameq.dlq", new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    private void origin(long seq, long ts) {
        origins.pipeInput(new TestRecord<>("cat", origin, Fixtures.headers("image/jpeg", seq, ts), ts));
    }

    private void rendition(String id, byte[] bytes, long seq, long ts) {
        renditions.pipeInput(new TestRecord<>(id, bytes, Fixtures.headers("image/jpeg", seq, ts), ts));
    }

    private List<JsonNode> events() throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (TestRecord<String, byte[]> r : scores.readRecordsToList()) {
            assertThat(Fixtures.header(r.headers(), "frameq-event-type")).isEqualTo("fr");
            assertThat(EventSchema.frScoreEvent().violations(r.value())).as(new String(r.value(), StandardCharsets.UTF_8)).isEmpty();
            out.add(JSON.readTree(r.value()));
        }
        return out;
    }

    private double unmatched(String side) {
        return registry.scrape().stream().filter(m -> m.getMetadata().getName().equals("frameq_fr_unmatched"))
                .map(m -> (CounterSnapshot) m).flatMap(c -> c.getDataPoints().stream())
                .filter(dp -> side.equals(dp.getLabels().get("side"))).mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
                .sum();
    }

    @Test
    void pairsARenditionWithItsOriginInsideTheWindowAndScoresItWithTheModelAndClassicMetrics() throws Exception {
        start(new JoinPolicy(1_000, 1_000, JoinPolicy.MatchOn.SEQ, 1 << 24));
        origin(1, T0);
        rendition("cat@hi", good, 1, T0 + 400);

        List<JsonNode> out = events();
        assertThat(out).hasSize(1);
        JsonNode e = out.get(0);
        assertThat(e.get("type").asText()).isEqualTo("fr");
        assertThat(e.get("stream").asText()).isEqualTo("cat@hi");
        assertThat(e.get("origin").asText()).isEqualTo("cat");
        assertThat(e.get("seq").asLong()).isEqualTo(1);
        assertThat(e.get("fr").get("matched").asBoolean()).isTrue();
        assertThat(e.get("rescaled").asText()).isEqualTo("none");
        assertThat(e.get("model").get("name").asText()).isEqualTo("vtamiq-lite");
        assertThat(e.get("quality").asDouble()).isBetween(0.0, 1.0);
        assertThat(e.get("classic").get("psnr").asDouble()).isBetween(25.0, 60.0);
        assertThat(e.get("classic").get("ms_ssim").asDouble()).isBetween(0.9, 1.0);
        assertThat(e.get("origin_source").get("topic").asText()).isEqualTo("cdn.origin");
        assertThat(e.get("event_id").asText()).startsWith("fr/cdn.renditions-by-origin/");
        assertThat(unmatched("origin") + unmatched("rendition")).isZero();
    }

    @Test
    void outOfOrderFramesStillPairAndOneOriginPairsWithEveryRendition() throws Exception {
        start(new JoinPolicy(1_000, 2_000, JoinPolicy.MatchOn.SEQ, 1 << 24));
        rendition("cat@hi", good, 2, T0 + 100);   // rendition before its origin
        rendition("cat@lo", poor, 2, T0 + 150);
        origin(3, T0 + 200);                      // origins out of order: 3 before 2
        origin(2, T0 + 100);
        rendition("cat@hi", good, 3, T0 + 250);

        List<JsonNode> out = events();
        assertThat(out).extracting(e -> e.get("stream").asText() + "#" + e.get("seq").asLong())
                .containsExactlyInAnyOrder("cat@hi#2", "cat@lo#2", "cat@hi#3");
        assertThat(out).allSatisfy(e -> assertThat(e.get("fr").get("matched").asBoolean()).isTrue());
        double hi = out.stream().filter(e -> e.get("stream").asText().equals("cat@hi") && e.get("seq").asLong() == 2)
                .findFirst().orElseThrow().get("classic").get("ms_ssim").asDouble();
        double lo = out.stream().filter(e -> e.get("stream").asText().equals("cat@lo")).findFirst().orElseThrow()
                .get("classic").get("ms_ssim").asDouble();
        assertThat(lo).as("JPEG q8 rendition against q90").isLessThan(hi);
    }

    @Test
    void aRenditionArrivingAfterWindowAndGraceIsReportedUnmatchedAndSoIsItsLonelyOrigin() throws Exception {
        start(new JoinPolicy(1_000, 1_000, JoinPolicy.MatchOn.SEQ, 1 << 24));
        origin(1, T0);
        origin(9, T0 + 10_000); // stream time moves 10 s on: origin 1 is evicted without a partner
        rendition("cat@hi", good, 1, T0 + 100); // its rendition comes after the grace

        List<JsonNode> out = events();
        assertThat(out).hasSize(2);
        JsonNode lonely = out.stream().filter(e -> e.get("fr").get("side").asText().equals("origin")).findFirst().orElseThrow();
        assertThat(lonely.get("fr").get("matched").asBoolean()).isFalse();
        assertThat(lonely.get("fr").get("reason").asText()).isEqualTo("no_partner");
        assertThat(lonely.get("seq").asLong()).isEqualTo(1);
        assertThat(lonely.get("score").isNull()).isTrue();
        JsonNode late = out.stream().filter(e -> e.get("fr").get("side").asText().equals("rendition")).findFirst().orElseThrow();
        assertThat(late.get("fr").get("reason").asText()).isEqualTo("late");
        assertThat(late.get("stream").asText()).isEqualTo("cat@hi");
        assertThat(unmatched("origin")).isEqualTo(1.0);
        assertThat(unmatched("rendition")).isEqualTo(1.0);
    }

    @Test
    void framesOutsideTheWindowDoNotPairAndUnmatchedFramesOfBothSidesAreCounted() throws Exception {
        start(new JoinPolicy(500, 500, JoinPolicy.MatchOn.SEQ, 1 << 24));
        origin(1, T0);
        rendition("cat@hi", good, 1, T0 + 900);      // same seq, but 900 ms apart: outside the 500 ms window
        rendition("cat@orphan", good, 5, T0 + 900);  // its origin never arrives
        origin(2, T0 + 5_000);
        rendition("cat@hi", good, 2, T0 + 5_000);    // a normal pair; stream time now evicts the rest

        List<JsonNode> out = events();
        assertThat(out.stream().filter(e -> e.get("fr").get("matched").asBoolean())).hasSize(1);
        assertThat(out.stream().filter(e -> !e.get("fr").get("matched").asBoolean()))
                .extracting(e -> e.get("fr").get("side").asText() + ":" + e.get("stream").asText() + "#" + e.get("seq").asLong())
                .containsExactlyInAnyOrder("origin:cat#1", "rendition:cat@hi#1", "rendition:cat@orphan#5");
        assertThat(unmatched("origin")).isEqualTo(1.0);
        assertThat(unmatched("rendition")).isEqualTo(2.0);
    }

    @Test
    void aLowerResolutionRenditionIsRescaledBicubicToTheOriginGrid() throws Exception {
        start(new JoinPolicy(1_000, 1_000, JoinPolicy.MatchOn.SEQ, 1 << 24));
        origin(1, T0);
        rendition("cat@240p", small, 1, T0);
        rendition("cat@hi", good, 1, T0);

        List<JsonNode> out = events();
        assertThat(out).hasSize(2);
        JsonNode low = out.stream().filter(e -> e.get("stream").asText().equals("cat@240p")).findFirst().orElseThrow();
        JsonNode high = out.stream().filter(e -> e.get("stream").asText().equals("cat@hi")).findFirst().orElseThrow();
        assertThat(low.get("rescaled").asText()).isEqualTo("bicubic");
        assertThat(low.get("width").asInt()).isEqualTo(225);
        assertThat(low.get("ref_width").asInt()).isEqualTo(451);
        assertThat(low.get("ref_height").asInt()).isEqualTo(300);
        assertThat(low.get("classic").get("ms_ssim").asDouble()).isLessThan(high.get("classic").get("ms_ssim").asDouble());
        assertThat(low.get("classic").get("psnr").asDouble()).isLessThan(high.get("classic").get("psnr").asDouble());
    }

    @Test
    void theStoreBoundEvictsTheOldestFramesAndReportsThem() throws Exception {
        start(new JoinPolicy(60_000, 0, JoinPolicy.MatchOn.SEQ, origin.length * 2L + 2048));
        origin(1, T0);
        origin(2, T0 + 10);
        origin(3, T0 + 20); // the bound holds two: seq 1 must go

        List<JsonNode> out = events();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).get("seq").asLong()).isEqualTo(1);
        assertThat(out.get(0).get("fr").get("reason").asText()).isEqualTo("buffer_full");
        rendition("cat@hi", good, 2, T0 + 30);
        assertThat(events()).singleElement().satisfies(e -> assertThat(e.get("fr").get("matched").asBoolean()).isTrue());
    }

    @Test
    void brokenAndOriginlessRenditionsGoToTheDlqWithTheirReason() throws Exception {
        start(JoinPolicy.DEFAULTS);
        Headers h = Fixtures.headers("image/jpeg", 1, T0);
        renditions.pipeInput(new TestRecord<>("no-separator", good, h, T0));
        renditions.pipeInput(new TestRecord<>("cat@hi", Fixtures.corruptJpeg(), Fixtures.headers("image/jpeg", 1, T0), T0));
        Headers named = Fixtures.headers("image/jpeg", 1, T0);
        named.add(OriginResolver.ORIGIN_HEADER, "cat".getBytes(StandardCharsets.UTF_8));
        renditions.pipeInput(new TestRecord<>("edge-7", good, named, T0)); // header names the origin
        origin(1, T0);

        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).extracting(r -> Fixtures.header(r.headers(), DeadLetter.H_REASON))
                .containsExactlyInAnyOrder("no_origin", "corrupt");
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.get("stream").asText()).isEqualTo("edge-7");
            assertThat(e.get("origin").asText()).isEqualTo("cat");
        });
    }
}
