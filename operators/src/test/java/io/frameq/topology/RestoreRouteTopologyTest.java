package io.frameq.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.alert.AlertPolicy;
import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;
import io.frameq.metrics.PrometheusMetrics;
import io.frameq.metrics.PrometheusRestoreMetrics;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.processor.RestoreProcessor;
import io.frameq.processor.RestoreSettings;
import io.frameq.processor.VerdictPolicy;
import io.frameq.quality.NrScorer;
import io.frameq.restore.Restorer;
import io.frameq.restore.TiledRestorer;
import io.frameq.route.BudgetPolicy;
import io.frameq.route.RoutePolicy;
import io.frameq.testing.EventSchema;
import io.frameq.testing.Fixtures;
import io.frameq.testing.Images;
import io.frameq.testing.TestModels;
import io.frameq.verdict.HysteresisPolicy;
import io.frameq.verdict.Thresholds;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;

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
 * Verdict hysteresis, routing, budgets and the restore branch on TopologyTestDriver, with real
 * decoders and detectors, the test NR model tiny-nr (untrained, so verdicts rest on the detectors
 * and are deterministic) and the shipped restorers lpienet-lite and mirnet-v2-lite on ONNX Runtime.
 */
class RestoreRouteTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_700_000_000_000L;
    private static OrtRuntime ort;
    private static NrScorer scorer;
    private static Restorer lpienet;
    private static Restorer mirnet;
    private static FrameDecoders decoders;
    private static RgbImage clean;

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> frames;
    private TestOutputTopic<String, byte[]> scores;
    private TestOutputTopic<String, byte[]> restored;
    private TestOutputTopic<String, byte[]> dlq;
    private PrometheusRegistry registry;
    private io.frameq.deadline.FrameDeadlines deadlines = io.frameq.deadline.FrameDeadlines.NONE;

    @BeforeAll
    static void open() {
        ort = OrtRuntime.create(ExecutionConfig.cpu().withThreads(2, 1));
        scorer = NrScorer.open(ModelRepository.of(List.of(TestModels.REPO), false), "tiny-nr", ort);
        ModelRepository project = ModelRepository.of(List.of(TestModels.PROJECT_REPO), false);
        lpienet = Restorer.open(project, "lpienet-lite", ort);
        mirnet = Restorer.open(project, "mirnet-v2-lite", ort);
        decoders = new FrameDecoders(DecodeLimits.DEFAULT);
        clean = Images.resource("/detect/coffee.png");
    }

    @AfterAll
    static void close() throws Exception {
        decoders.close();
        mirnet.close();
        lpienet.close();
        scorer.close();
        ort.close();
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    private void start(HysteresisPolicy hysteresis, RestoreSettings restore) {
        registry = new PrometheusRegistry();
        PrometheusMetrics metrics = new PrometheusMetrics(registry, 10);
        FrameqTopology.Builder b = FrameqTopology.builder()
                .inputPattern(Pattern.compile("frames\\..+"))
                .alerts(AlertPolicy.DEFAULTS)
                .decoders(decoders)
                .detectors(new DetectorSuite(DetectorThresholds.DEFAULTS))
                // What is tested comes after the detectors: judge each frame by its own flags, no warm-up.
                .baseline(io.frameq.baseline.BaselineSettings.OFF)
                .scorer(scorer)
                .metrics(metrics)
                .verdicts(new VerdictPolicy(0.45))
                .hysteresis(hysteresis)
                .routes(RoutePolicy.DEFAULTS)
                .deadlines(deadlines);
        if (restore != null) {
            b.restore(restore).restoreMetrics(new PrometheusRestoreMetrics(registry, metrics));
        }
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "frameq-restore-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(b.build(), p);
        frames = driver.createInputTopic("frames.site-a", new StringSerializer(), new ByteArraySerializer());
        scores = driver.createOutputTopic("frameq.scores", new StringDeserializer(), new ByteArrayDeserializer());
        restored = driver.createOutputTopic("frameq.restored", new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic("frameq.dlq", new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static RestoreSettings settings(TiledRestorer latency, BudgetPolicy budget) {
        return new RestoreSettings(new TiledRestorer(mirnet, 256, 32), latency, 85, budget);
    }

    private void send(String stream, RgbImage img, long seq, long ts) {
        frames.pipeInput(new TestRecord<>(stream, ImageEncoder.png(img), Fixtures.headers("image/png", seq, ts), ts));
    }

    private static RgbImage blurred() {
        return Images.boxBlur(clean, 4, 3);
    }

    private static RgbImage noisy(long seed) {
        Random rnd = new Random(seed);
        byte[] px = clean.pixels().clone();
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.max(0, Math.min(255, (px[i] & 0xff) + (int) Math.round(rnd.nextGaussian() * 25)));
        }
        return new RgbImage(clean.width(), clean.height(), px);
    }

    private static RgbImage scaled(double gain) {
        byte[] px = clean.pixels().clone();
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.min(255, (int) Math.round((px[i] & 0xff) * gain));
        }
        return new RgbImage(clean.width(), clean.height(), px);
    }

    private static RgbImage black() {
        return new RgbImage(clean.width(), clean.height(), new byte[clean.width() * clean.height() * 3]);
    }

    private static JsonNode json(byte[] b) {
        try {
            return JSON.readTree(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String header(Headers h, String name) {
        return Fixtures.header(h, name);
    }

    private double counter(String name, Map<String, String> labels) {
        return registry.scrape().stream().filter(s -> s.getMetadata().getPrometheusName().equals(name)
                        || (s.getMetadata().getPrometheusName() + "_total").equals(name))
                .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
                .filter(d -> labels.entrySet().stream().allMatch(e -> e.getValue().equals(d.getLabels().get(e.getKey()))))
                .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
    }

    @Test
    void streamVerdictDoesNotFlapWhenFramesAlternateAroundTheThreshold() {
        start(new HysteresisPolicy(new Thresholds(0.45, 0.55), Map.of(), 1, 3), null);
        RgbImage blur = blurred();
        // bad, good, bad, good, ... : the frame verdict flips every frame.
        for (int i = 0; i < 10; i++) {
            send("cam-1", i % 2 == 0 ? blur : clean, i, T0 + i * 200L);
        }
        // then a clean run long enough to leave (3 good frames)
        // (different clean photos: the same one twice in a row would be a frozen feed)
        List<RgbImage> photos = List.of(Images.resource("/detect/rocket.png"), clean, Images.resource("/detect/chelsea.png"),
                Images.resource("/detect/rocket.png"));
        for (int i = 10; i < 14; i++) {
            send("cam-1", photos.get(i - 10), i, T0 + i * 200L);
        }
        List<JsonNode> events = scores.readValuesToList().stream().map(RestoreRouteTopologyTest::json).toList();
        assertThat(events).hasSize(14);
        List<String> frameVerdicts = events.stream().map(e -> e.get("verdict").asText()).toList();
        List<String> streamVerdicts = events.stream().map(e -> e.get("stream_verdict").asText()).toList();
        assertThat(frameVerdicts.subList(0, 10)).containsExactly("degraded", "ok", "degraded", "ok", "degraded", "ok",
                "degraded", "ok", "degraded", "ok");
        assertThat(transitions(frameVerdicts)).isGreaterThanOrEqualTo(9);
        // The stream enters on the first bad frame and leaves only after three good frames in a row: two transitions.
        assertThat(streamVerdicts.subList(0, 10)).containsOnly("degraded");
        assertThat(streamVerdicts.get(13)).isEqualTo("ok");
        assertThat(transitions(streamVerdicts)).isEqualTo(1);
        assertThat(events.get(0).get("degradation_type").asText()).isEqualTo("blur");
        assertThat(events.get(0).get("route").asText()).isEqualTo("latency");
        assertThat(events.get(1).get("degradation_type").isNull()).isTrue();
        assertThat(events.get(1).get("route").asText()).isEqualTo("none");
        for (byte[] b : List.of(EventJsonBytes.of(events.get(0)), EventJsonBytes.of(events.get(13)))) {
            assertThat(EventSchema.scoreEvent().violations(b)).isEmpty();
        }
    }

    @Test
    void aRestorationPastItsDeadlineIsAbandonedToTheDlqAfterItsScoreWasPublished() {
        // 1 ms: far below one lpienet-lite tile, so the watchdog terminates the restorer's run
        deadlines = new io.frameq.deadline.FrameDeadlines(0, 0, 1);
        start(HysteresisPolicy.DEFAULTS, settings(new TiledRestorer(lpienet, 256, 32), new BudgetPolicy(1.0, 10, 1.0, 10_000)));
        send("cam-blur", blurred(), 0, T0);

        List<JsonNode> events = scores.readValuesToList().stream().map(RestoreRouteTopologyTest::json).toList();
        assertThat(events).singleElement().satisfies(e -> assertThat(e.get("route").asText()).isEqualTo("latency"));
        assertThat(restored.isEmpty()).as("nothing restored").isTrue();
        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(header(d.headers(), "frameq-error-stage")).isEqualTo("restore");
            assertThat(header(d.headers(), "frameq-error-reason")).isEqualTo("timeout");
            assertThat(header(d.headers(), "frameq-error-message")).contains("stage 'restore' deadline: expected at most 1 ms");
        });
    }

    @Test
    void streamVerdictStateIsPerStream() {
        start(new HysteresisPolicy(new Thresholds(0.45, 0.55), Map.of(), 2, 1), null);
        send("cam-a", blurred(), 0, T0);       // one bad frame: enterFrames=2, not yet degraded
        send("cam-b", blurred(), 0, T0);
        send("cam-a", blurred(), 1, T0 + 200); // second bad frame of cam-a: degraded
        send("cam-b", clean, 1, T0 + 200);     // cam-b's streak is broken
        List<JsonNode> e = scores.readValuesToList().stream().map(RestoreRouteTopologyTest::json).toList();
        assertThat(e.stream().map(n -> n.get("stream").asText() + ":" + n.get("stream_verdict").asText()).toList())
                .containsExactly("cam-a:ok", "cam-b:ok", "cam-a:degraded", "cam-b:ok");
    }

    @Test
    void eachDegradationGoesWhereThePolicySaysAndNonRestorableOnesOnlyAlert() {
        start(HysteresisPolicy.DEFAULTS, settings(new TiledRestorer(lpienet, 256, 32), new BudgetPolicy(1.0, 10, 1.0, 10_000)));
        send("cam-blur", blurred(), 0, T0);
        send("cam-noise", noisy(1), 0, T0);
        send("cam-dark", scaled(0.25), 0, T0);
        send("cam-black", black(), 0, T0);
        send("cam-frozen", clean, 0, T0);
        send("cam-frozen", clean, 1, T0 + 200);

        Map<String, JsonNode> byStream = new java.util.HashMap<>();
        for (byte[] b : scores.readValuesToList()) {
            JsonNode n = json(b);
            byStream.put(n.get("stream").asText(), n);
            assertThat(EventSchema.scoreEvent().violations(b)).isEmpty();
        }
        assertThat(byStream.get("cam-blur").get("degradations").toString()).contains("blur");
        assertThat(byStream.get("cam-blur").get("route").asText()).isEqualTo("latency");
        assertThat(byStream.get("cam-noise").get("degradation_type").asText()).isEqualTo("noise");
        assertThat(byStream.get("cam-noise").get("route").asText()).isEqualTo("quality");
        assertThat(byStream.get("cam-dark").get("degradation_type").asText()).isEqualTo("dark");
        assertThat(byStream.get("cam-dark").get("route").asText()).isEqualTo("quality");
        assertThat(byStream.get("cam-black").get("degradation_type").asText()).isEqualTo("black");
        assertThat(byStream.get("cam-black").get("route").asText()).isEqualTo("alert_only");
        assertThat(byStream.get("cam-frozen").get("degradation_type").asText()).isEqualTo("frozen");
        assertThat(byStream.get("cam-frozen").get("route").asText()).isEqualTo("alert_only");

        Map<String, TestRecord<String, byte[]>> out = new java.util.HashMap<>();
        for (TestRecord<String, byte[]> r : restored.readRecordsToList()) {
            out.put(r.key(), r);
        }
        assertThat(out.keySet()).containsExactlyInAnyOrder("cam-blur", "cam-noise", "cam-dark");
        assertThat(header(out.get("cam-blur").headers(), RestoreProcessor.H_RESTORER)).isEqualTo("lpienet-lite");
        assertThat(header(out.get("cam-noise").headers(), RestoreProcessor.H_RESTORER)).isEqualTo("mirnet-v2-lite");
        assertThat(header(out.get("cam-dark").headers(), RestoreProcessor.H_RESTORER)).isEqualTo("mirnet-v2-lite");
        for (TestRecord<String, byte[]> r : out.values()) {
            Headers h = r.headers();
            assertThat(header(h, "content-type")).isEqualTo("image/jpeg");
            assertThat(r.value()[0] & 0xff).isEqualTo(0xFF); // JPEG SOI
            assertThat(r.value()[1] & 0xff).isEqualTo(0xD8);
            double before = Double.parseDouble(header(h, RestoreProcessor.H_QUALITY_BEFORE));
            double after = Double.parseDouble(header(h, RestoreProcessor.H_QUALITY_AFTER));
            assertThat(Double.parseDouble(header(h, RestoreProcessor.H_QUALITY_GAIN))).isCloseTo(after - before,
                    org.assertj.core.data.Offset.offset(2e-6));
            assertThat(header(h, RestoreProcessor.H_SCORE_BEFORE)).isEqualTo(String.format(java.util.Locale.ROOT, "%.6f",
                    byStream.get(r.key()).get("score").asDouble()));
            assertThat(header(h, RestoreProcessor.H_SCORE_AFTER)).isNotBlank();
            assertThat(header(h, "frameq-event-id")).isEqualTo(byStream.get(r.key()).get("event_id").asText());
            assertThat(header(h, RestoreProcessor.H_TILES)).isEqualTo("2"); // 384x256 at tile 256: 2 x 1
        }
        assertThat(counter("frameq_restorations_total", Map.of("result", "ok"))).isEqualTo(3);
        HistogramSnapshot gain = (HistogramSnapshot) registry.scrape().stream()
                .filter(s -> s.getMetadata().getPrometheusName().equals("frameq_restoration_gain")).findFirst().orElseThrow();
        assertThat(gain.getDataPoints().stream().mapToLong(HistogramSnapshot.HistogramDataPointSnapshot::getCount).sum())
                .isEqualTo(3);
    }

    @Test
    void frameShareIsNeverExceededAndFramesOverBudgetAreCounted() {
        // At most 2 of any 5 consecutive frames; compute unlimited.
        start(HysteresisPolicy.DEFAULTS, settings(new TiledRestorer(lpienet, 512, 32), new BudgetPolicy(0.4, 5, 1.0, 10_000)));
        List<RgbImage> blurs = threeBlurredPhotos();
        int n = 12;
        for (int i = 0; i < n; i++) {
            // frames 3 and 4 are clean: they count in the window but want no restoration
            send("cam-1", i == 3 ? clean : i == 4 ? Images.resource("/detect/rocket.png") : blurs.get(i % 3), i, T0 + i * 200L);
        }
        boolean[] wasRestored = new boolean[n];
        List<TestRecord<String, byte[]>> out = restored.readRecordsToList();
        for (TestRecord<String, byte[]> r : out) {
            wasRestored[Integer.parseInt(header(r.headers(), "frameq-seq"))] = true;
        }
        for (int start = 0; start + 5 <= n; start++) {
            int inWindow = 0;
            for (int i = start; i < start + 5; i++) {
                inWindow += wasRestored[i] ? 1 : 0;
            }
            assertThat(inWindow).as("restored frames in window starting at %d", start).isLessThanOrEqualTo(2);
        }
        int restorable = n - 2;
        // window of the last 5 frames: 0, 1 in; 2 over; 3, 4 clean; 5, 6 in; 7, 8, 9 over; 10, 11 in
        assertThat(out.stream().map(r -> header(r.headers(), "frameq-seq")).toList())
                .containsExactly("0", "1", "5", "6", "10", "11");
        assertThat(counter("frameq_restore_over_budget_total", Map.of("stream", "cam-1", "budget", "frames")))
                .isEqualTo(restorable - out.size());
        assertThat(counter("frameq_restorations_total", Map.of("result", "over_budget"))).isEqualTo(restorable - out.size());
    }

    @Test
    void computeShareHoldsRestorationsBackUntilTheWindowHasRoomAgain() {
        // 1% of a 2 s window = 20 ms of restoration per window: one 384x256 frame uses it up.
        start(HysteresisPolicy.DEFAULTS, settings(new TiledRestorer(lpienet, 512, 32), new BudgetPolicy(1.0, 10, 0.01, 2_000)));
        List<RgbImage> blurs = threeBlurredPhotos();
        long[] ts = {0, 100, 200, 300, 2_500, 2_600};
        for (int i = 0; i < ts.length; i++) {
            send("cam-1", blurs.get(i % 3), i, T0 + ts[i]);
        }
        List<String> seqs = restored.readRecordsToList().stream().map(r -> header(r.headers(), "frameq-seq")).toList();
        assertThat(seqs).containsExactly("0", "4");
        assertThat(counter("frameq_restore_over_budget_total", Map.of("budget", "compute"))).isEqualTo(4);
        assertThat(scores.readValuesToList()).as("every frame is still scored").hasSize(ts.length);
    }

    @Test
    void aFailingRestorationGoesToTheDlqAndTheStreamKeepsFlowing() {
        ModelRepository project = ModelRepository.of(List.of(TestModels.PROJECT_REPO), false);
        Restorer closed = Restorer.open(project, "lpienet-lite", ort);
        closed.close(); // a real failure of the model call, not a stub
        start(HysteresisPolicy.DEFAULTS, settings(new TiledRestorer(closed, 512, 32), new BudgetPolicy(1.0, 10, 1.0, 10_000)));
        send("cam-1", blurred(), 0, T0);
        send("cam-1", clean, 1, T0 + 200);
        send("cam-1", noisy(3), 2, T0 + 400);

        assertThat(scores.readValuesToList()).hasSize(3);
        List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0).headers(), "frameq-error-reason")).isEqualTo("restore_error");
        assertThat(header(dead.get(0).headers(), "frameq-error-stage")).isEqualTo("restore");
        // the noisy frame goes to the (working) quality restorer
        List<TestRecord<String, byte[]>> out = restored.readRecordsToList();
        assertThat(out).hasSize(1);
        assertThat(header(out.get(0).headers(), RestoreProcessor.H_RESTORER)).isEqualTo("mirnet-v2-lite");
        assertThat(counter("frameq_restorations_total", Map.of("result", "error"))).isEqualTo(1);
        assertThat(counter("frameq_dlq_total", Map.of("reason", "restore_error"))).isEqualTo(1);
        assertThat(counter("frameq_frames_total", Map.of("outcome", "dlq"))).isZero();
    }

    /** Blurred frames that differ from one another (the same frame twice in a row is a frozen feed, not restorable). */
    private static List<RgbImage> threeBlurredPhotos() {
        return List.of(blurred(), Images.boxBlur(Images.resource("/detect/rocket.png"), 4, 3),
                Images.boxBlur(Images.resource("/detect/chelsea.png"), 4, 3));
    }

    private static int transitions(List<String> states) {
        int t = 0;
        for (int i = 1; i < states.size(); i++) {
            t += states.get(i).equals(states.get(i - 1)) ? 0 : 1;
        }
        return t;
    }

    /** Bytes of a parsed event, for the schema check. */
    private static final class EventJsonBytes {
        static byte[] of(JsonNode n) {
            return n.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}
