package io.frameq.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameq.deadline.FrameDeadlines;
import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.processor.VerdictPolicy;
import io.frameq.quality.FrameScorer;
import io.frameq.quality.NrScore;
import io.frameq.quality.NrScorer;
import io.frameq.restore.Restorer;
import io.frameq.testing.EventSchema;
import io.frameq.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Random;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stuck and failed model runs in the topology (issue 22): a frame whose model run overruns
 * {@code deadline.model.ms} is abandoned by the watchdog — its payload to the DLQ with reason
 * {@code timeout}, its event still published from the detectors — while the frames after it are
 * scored; a model run that fails does the same with {@code inference_error}.
 *
 * <p>The slow run is real: frames wider than 1000 px are first restored in full by the bundled
 * mirnet-v2-lite (seconds for 1280x720 on a CPU) before maniqa-lite scores them, as a scorer with
 * a heavy pre-pass would. The failing run is real too: frames exactly 128 px wide go to a second
 * maniqa-lite session that was closed, so ONNX Runtime refuses the run.
 */
class DeadlineTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static OrtRuntime ort;
    private static NrScorer scorer;
    private static NrScorer closedScorer;
    private static Restorer heavy;
    private static FrameDecoders decoders;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void open() {
        ort = OrtRuntime.create(ExecutionConfig.parse("cpu"));
        scorer = NrScorer.open(ModelRepository.bundled(), "maniqa-lite", ort);
        closedScorer = NrScorer.open(ModelRepository.bundled(), "maniqa-lite", ort);
        closedScorer.close();
        heavy = Restorer.open(ModelRepository.bundled(), "mirnet-v2-lite", ort);
        decoders = new FrameDecoders(DecodeLimits.DEFAULT);
    }

    @AfterAll
    static void close() throws Exception {
        decoders.close();
        heavy.close();
        scorer.close();
        ort.close();
    }

    /**
     * maniqa-lite, after mirnet-v2-lite passes on big frames — one after another until the frame's deadline stops them
     * (a single pass takes about 1 s on a fast idle CPU and 4 s on a loaded one: one pass alone would outlast the
     * deadline only on a slow machine); through a closed session for 128 px wide ones.
     */
    private record HeavyPassScorer(NrScorer scorer, NrScorer closed, Restorer heavy) implements FrameScorer {
        @Override
        public NrScore score(RgbImage image) {
            if (image.width() > 1000) {
                for (int pass = 0; pass < 30; pass++) {
                    heavy.restore(image);
                }
            }
            return image.width() == 128 ? closed.score(image) : scorer.score(image);
        }

        @Override
        public ModelDescriptor descriptor() {
            return scorer.descriptor();
        }
    }

    private static byte[] bigJpeg() {
        Random r = new Random(3);
        byte[] px = new byte[1280 * 720 * 3];
        r.nextBytes(px);
        return ImageEncoder.jpeg(new RgbImage(1280, 720, px), 80);
    }

    private TopologyTestDriver driver(long modelDeadlineMs) {
        FrameqTopology.Builder b = FrameqTopology.builder()
                .inputPattern(Pattern.compile("frames\\..+"))
                .decoders(decoders)
                .detectors(new DetectorSuite(DetectorThresholds.DEFAULTS))
                .baseline(io.frameq.baseline.BaselineSettings.OFF)
                .scorer(new HeavyPassScorer(scorer, closedScorer, heavy))
                .verdicts(new VerdictPolicy(0.5))
                .deadlines(new FrameDeadlines(0, modelDeadlineMs, 0));
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "frameq-deadline-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new TopologyTestDriver(b.build(), p);
    }

    private static String header(TestRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void aStuckModelRunIsAbandonedAtItsDeadlineAndTheNextFramesAreScored() throws Exception {
        // a normal frame costs maniqa-lite well under a second even on a loaded CPU; the heavy pass, seconds
        long deadlineMs = 1_500;
        try (TopologyTestDriver driver = driver(deadlineMs)) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic("frames.site", new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, byte[]> scores = driver.createOutputTopic("frameq.scores", new StringDeserializer(),
                    new ByteArrayDeserializer());
            TestOutputTopic<String, byte[]> dlq = driver.createOutputTopic("frameq.dlq", new StringDeserializer(),
                    new ByteArrayDeserializer());
            long now = System.currentTimeMillis();
            byte[] big = bigJpeg();
            in.pipeInput(new TestRecord<>("cam-a", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 1, now), 1L));
            long t0 = System.nanoTime();
            in.pipeInput(new TestRecord<>("cam-stuck", big, Fixtures.headers("image/jpeg", 1, now + 40), 2L));
            long stuckMs = (System.nanoTime() - t0) / 1_000_000;
            in.pipeInput(new TestRecord<>("cam-a", Fixtures.coffeePng(), Fixtures.headers("image/png", 2, now + 80), 3L));
            in.pipeInput(new TestRecord<>("cam-stuck", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 2, now + 120), 4L));

            List<TestRecord<String, byte[]>> events = scores.readRecordsToList();
            assertThat(events).as("one event per frame, the stuck one included").hasSize(4);
            for (TestRecord<String, byte[]> e : events) {
                assertThat(EventSchema.scoreEvent().violations(e.value())).isEmpty();
            }
            JsonNode stuck = JSON.readTree(events.get(1).value());
            assertThat(stuck.get("stream").asText()).isEqualTo("cam-stuck");
            assertThat(stuck.get("model_error").asText()).isEqualTo("timeout");
            assertThat(stuck.get("score").isNull()).isTrue();
            assertThat(stuck.get("quality").isNull()).isTrue();
            assertThat(stuck.get("shed").asBoolean()).isFalse();
            assertThat(stuck.get("verdict").asText()).as("the detectors' verdict").isIn("ok", "degraded");
            assertThat(stuck.get("detectors").get("sharpness").isNumber()).as("detectors ran").isTrue();
            for (int i : new int[] {0, 2, 3}) {
                JsonNode ok = JSON.readTree(events.get(i).value());
                assertThat(ok.get("quality").isNumber()).as("event %d is scored", i).isTrue();
                assertThat(ok.get("model_error").isNull()).isTrue();
            }

            List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).key()).isEqualTo("cam-stuck");
            assertThat(dead.get(0).value()).as("the original payload, for replay").isEqualTo(big);
            assertThat(header(dead.get(0), "frameq-error-reason")).isEqualTo("timeout");
            assertThat(header(dead.get(0), "frameq-error-stage")).isEqualTo("score");
            assertThat(header(dead.get(0), "frameq-error-message")).contains("deadline: expected at most " + deadlineMs + " ms");
            // abandoned at its deadline: the stuck frame held the thread for about the deadline, not the full heavy pass
            org.slf4j.LoggerFactory.getLogger(DeadlineTopologyTest.class).info("stuck frame released the stream thread after {} ms "
                    + "(deadline {} ms)", stuckMs, deadlineMs);
            assertThat(stuckMs).as("time the stuck frame held the stream thread").isLessThan(deadlineMs * 3);
        }
    }

    @Test
    void aFailedModelRunStillPublishesTheDetectorVerdict() throws Exception {
        try (TopologyTestDriver driver = driver(0)) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic("frames.site", new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, byte[]> scores = driver.createOutputTopic("frameq.scores", new StringDeserializer(),
                    new ByteArrayDeserializer());
            TestOutputTopic<String, byte[]> dlq = driver.createOutputTopic("frameq.dlq", new StringDeserializer(),
                    new ByteArrayDeserializer());
            long now = System.currentTimeMillis();
            byte[] camera = Fixtures.resource("/frames/camera_gray_128x128.png"); // 128 px wide: the closed session
            in.pipeInput(new TestRecord<>("cam-b", camera, Fixtures.headers("image/png", 1, now), 1L));
            in.pipeInput(new TestRecord<>("cam-b", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 2, now + 40), 2L));

            List<TestRecord<String, byte[]>> events = scores.readRecordsToList();
            assertThat(events).hasSize(2);
            JsonNode failed = JSON.readTree(events.get(0).value());
            assertThat(failed.get("model_error").asText()).isEqualTo("inference_error");
            assertThat(failed.get("quality").isNull()).isTrue();
            assertThat(failed.get("degradations").isArray()).isTrue();
            assertThat(EventSchema.scoreEvent().violations(events.get(0).value())).isEmpty();
            assertThat(JSON.readTree(events.get(1).value()).get("quality").isNumber()).as("the next frame is scored").isTrue();
            List<TestRecord<String, byte[]>> dead = dlq.readRecordsToList();
            assertThat(dead).hasSize(1);
            assertThat(header(dead.get(0), "frameq-error-reason")).isEqualTo("inference_error");
            assertThat(header(dead.get(0), "frameq-error-message")).contains("closed model 'maniqa-lite'");
        }
    }
}
