package io.frameq.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameHeaders;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.processor.VerdictPolicy;
import io.frameq.quality.NrScorer;
import io.frameq.testing.Fixtures;
import io.frameq.testing.TestModels;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-stream baselines in the topology: a live camera's frames (a real photo with fresh sensor noise on each
 * frame, one per second) warm up its normal, and a camera turned to another view is reported as moved, while
 * the stream's normal is kept in its state store (changelogged; its bytes round-trip in {@code BaselineJudgeTest}).
 * The tiny model: accuracy is not the point here.
 */
class BaselineTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;
    @TempDir
    Path models;

    private OrtRuntime ort;
    private NrScorer scorer;
    private FrameDecoders decoders;
    private TopologyTestDriver driver;

    @BeforeEach
    void open() {
        TestModels.copyModel(TestModels.TINY_NR, models);
        ort = OrtRuntime.create(ExecutionConfig.parse("cpu"));
        scorer = NrScorer.open(ModelRepository.of(List.of(models), false), "tiny-nr", ort);
        decoders = new FrameDecoders(DecodeLimits.DEFAULT);
        driver = startDriver();
    }

    @AfterEach
    void close() throws Exception {
        driver.close();
        decoders.close();
        scorer.close();
        ort.close();
    }

    @Test
    void aLiveCameraWarmsUpQuietlyAndIsReportedMovedOnTheThirdFrameOfAnotherView() throws Exception {
        byte[] chelsea = rgb(Fixtures.chelseaJpeg());
        byte[] coffee = rgb(Fixtures.coffeePng());
        List<JsonNode> events = new ArrayList<>();
        for (int seq = 1; seq <= 12; seq++) {
            events.add(pipe("cam-1", seq, chelsea, 451, 300));
        }
        assertThat(events).allSatisfy(e -> assertThat(degradations(e)).as("live camera, seq %s", e.get("seq")).isEmpty());

        assertThat(driver.getKeyValueStore(FrameqTopology.BASELINE_STORE).get("cam-1")).as("cam-1's learnt normal").isNotNull();

        JsonNode first = pipe("cam-1", 13, coffee, 400, 267);
        JsonNode second = pipe("cam-1", 14, coffee, 400, 267);
        JsonNode third = pipe("cam-1", 15, coffee, 400, 267);
        assertThat(degradations(first)).doesNotContain("moved");
        assertThat(degradations(second)).doesNotContain("moved");
        assertThat(degradations(third)).contains("moved");
        assertThat(third.get("verdict").asText()).isEqualTo("degraded");

        // The operator re-aimed it on purpose: the next frame asks for a reset and the new view becomes normal.
        assertThat(degradations(pipe("cam-1", 16, coffee, 400, 267, true))).doesNotContain("moved");
        assertThat(degradations(pipe("cam-1", 17, coffee, 400, 267, false))).doesNotContain("moved");

        JsonNode otherCamera = pipe("cam-2", 1, coffee, 400, 267);
        assertThat(degradations(otherCamera)).as("a new camera has no reference yet").doesNotContain("moved");
    }

    @Test
    void aPhotoMarkedBaselineOffIsJudgedOnItsOwnAndTeachesTheStreamNothing() throws Exception {
        byte[] blurred = io.frameq.testing.Images.boxBlur(new io.frameq.frame.RgbImage(451, 300, rgb(Fixtures.chelseaJpeg())), 5, 3)
                .pixels();

        JsonNode warmingUp = pipe("cam-3", 1, blurred, 451, 300);
        assertThat(degradations(warmingUp)).as("a camera's first frame: scene-dependent flags wait for its normal")
                .doesNotContain("blur");

        JsonNode photo = pipe("photos", 1, blurred, 451, 300, FrameHeaders.BASELINE_OFF);
        assertThat(degradations(photo)).as("judged on its own, as frameq score does").contains("blur");
        assertThat(driver.getKeyValueStore(FrameqTopology.BASELINE_STORE).get("photos")).as("nothing learnt").isNull();
    }

    private TopologyTestDriver startDriver() {
        var topology = FrameqTopology.builder()
                .inputTopics(List.of("frames.cams"))
                .decoders(decoders)
                .detectors(new DetectorSuite(DetectorThresholds.DEFAULTS))
                .scorer(scorer)
                .verdicts(new VerdictPolicy(0.0))
                .build();
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "frameq-baseline-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new TopologyTestDriver(topology, p);
    }

    private JsonNode pipe(String stream, int seq, byte[] rgb, int width, int height) throws Exception {
        return pipe(stream, seq, rgb, width, height, false);
    }

    private JsonNode pipe(String stream, int seq, byte[] rgb, int width, int height, boolean resetBaseline) throws Exception {
        return pipe(stream, seq, rgb, width, height, resetBaseline ? FrameHeaders.BASELINE_RESET : null);
    }

    private JsonNode pipe(String stream, int seq, byte[] rgb, int width, int height, String baselineControl) throws Exception {
        var headers = (RecordHeaders) Fixtures.headers("video/x-raw;format=rgb24", seq, 1_000L * seq);
        if (baselineControl != null) {
            headers.add(FrameHeaders.BASELINE, baselineControl.getBytes(StandardCharsets.US_ASCII));
        }
        headers.add("frameq-width", Integer.toString(width).getBytes(StandardCharsets.US_ASCII));
        headers.add("frameq-height", Integer.toString(height).getBytes(StandardCharsets.US_ASCII));
        driver.createInputTopic("frames.cams", new StringSerializer(), new ByteArraySerializer())
                .pipeInput(new TestRecord<>(stream, withSensorNoise(rgb, seq), headers, 1_000L * seq));
        var out = driver.createOutputTopic("frameq.scores", new StringDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
        assertThat(out).as("one event for %s seq %d", stream, seq).hasSize(1);
        return JSON.readTree(out.get(0).value());
    }

    private static List<String> degradations(JsonNode e) {
        List<String> d = new ArrayList<>();
        e.get("degradations").forEach(n -> d.add(n.asText()));
        return d;
    }

    private static byte[] rgb(byte[] encoded) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(encoded));
        byte[] out = new byte[img.getWidth() * img.getHeight() * 3];
        for (int y = 0, i = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                out[i++] = (byte) (p >> 16);
                out[i++] = (byte) (p >> 8);
                out[i++] = (byte) p;
            }
        }
        return out;
    }

    /** Each frame of a live camera differs a little: sensor noise of +-2 levels. */
    private static byte[] withSensorNoise(byte[] rgb, long seed) {
        Random r = new Random(seed);
        byte[] n = rgb.clone();
        for (int i = 0; i < n.length; i++) {
            n[i] = (byte) Math.max(0, Math.min(255, (n[i] & 0xff) + r.nextInt(5) - 2));
        }
        return n;
    }
}
