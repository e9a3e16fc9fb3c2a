package io.frameq.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.DecodedFrame;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.VideoSegmentDecoder;
import io.frameq.metrics.PrometheusMetrics;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.processor.VerdictPolicy;
import io.frameq.quality.NrScorer;
import io.frameq.source.CapturedFrame;
import io.frameq.source.FrameRecord;
import io.frameq.source.MediaSource;
import io.frameq.source.SamplingPolicy;
import io.frameq.source.SourceSpec;
import io.frameq.source.Sources;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed H.264 clip cut into copied MPEG-TS segments (as {@code ingest --frame-encoding segments}
 * publishes them) and piped through the NR topology with the real decoders and bundled model: one score
 * event per frame of the clip, in order, on the clip's own timeline.
 */
class SegmentsThroughTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long START = 1_800_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void segmentsOfAClipGiveOneScoreEventPerFrameInOrder() throws Exception {
        Path clip = Files.write(dir.resolve("plaza_320x240_h264.mp4"), Fixtures.resource("/frames/plaza_320x240_h264.mp4"));
        List<DecodedFrame> whole = VideoSegmentDecoder.readVideoFrames(clip, 1, 1000);
        long firstPts = whole.get(0).ptsMillis();

        try (OrtRuntime ort = OrtRuntime.create(ExecutionConfig.parse("cpu"));
             NrScorer scorer = NrScorer.open(ModelRepository.bundled(), "maniqa-lite", ort);
             FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            var topology = FrameqTopology.builder()
                    .inputPattern(Pattern.compile("frames\\..+"))
                    .decoders(decoders)
                    .detectors(new DetectorSuite(DetectorThresholds.DEFAULTS))
                    .scorer(scorer)
                    .metrics(new PrometheusMetrics(new PrometheusRegistry(), 10))
                    .verdicts(new VerdictPolicy(0.5))
                    .build();
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "frameq-segments-test");
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            p.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
            try (TopologyTestDriver driver = new TopologyTestDriver(topology, p)) {
                TestInputTopic<String, byte[]> frames = driver.createInputTopic("frames.cams", new StringSerializer(),
                        new ByteArraySerializer());
                TestOutputTopic<String, byte[]> scores = driver.createOutputTopic("frameq.scores", new StringDeserializer(),
                        new ByteArrayDeserializer());
                TestOutputTopic<String, byte[]> dlq = driver.createOutputTopic("frameq.dlq", new StringDeserializer(),
                        new ByteArrayDeserializer());

                int records = 0;
                try (MediaSource s = Sources.openSegments(SourceSpec.parse("cam-seg=" + clip), SamplingPolicy.ALL, 0,
                        Sources.Options.defaults(START), new AtomicBoolean())) {
                    CapturedFrame f;
                    while ((f = s.next()) != null) {
                        FrameRecord r = FrameRecord.of(f, FrameRecord.Encoding.JPEG, 8 << 20);
                        frames.pipeInput(new TestRecord<>(r.key(), r.value(), r.headers(), r.timestampMs()));
                        records++;
                    }
                }
                assertThat(records).as("segments").isGreaterThan(1).isLessThan(whole.size());
                assertThat(dlq.readRecordsToList()).isEmpty();
                List<JsonNode> events = scores.readRecordsToList().stream().map(r -> read(r.value())).toList();

                assertThat(events).hasSize(whole.size());
                assertThat(events).extracting(e -> e.get("stream").asText()).containsOnly("cam-seg");
                assertThat(events).extracting(e -> e.get("event_id").asText()).doesNotHaveDuplicates();
                for (int i = 0; i < events.size(); i++) {
                    JsonNode e = events.get(i);
                    long expectedPts = whole.get(i).ptsMillis() - firstPts;
                    assertThat(e.get("pts_ms").asLong()).as("event %d pts", i).isBetween(expectedPts - 1, expectedPts + 1);
                    assertThat(e.get("capture_ts").asLong()).as("event %d capture time", i)
                            .isBetween(START + expectedPts - 1, START + expectedPts + 1);
                    assertThat(e.get("score").isNumber()).as("event %d scored", i).isTrue();
                }
            }
        }
    }

    private static JsonNode read(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
