package io.frameq.app.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.app.broker.EmbeddedKafka;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameHeaders;
import io.frameq.frame.ImageEncoder;
import io.frameq.testing.Fixtures;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code frameq ingest}: a clip and a folder published to a frame topic as a camera gateway would. */
class IngestCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long START_MS = 1_767_225_600_000L;

    @TempDir
    Path dir;

    @Test
    void publishesEverySampledFrameAsJpegKeyedByStreamWithTheFrameContractHeaders() throws Exception {
        Path clip = ClipWriter.write(dir.resolve("gate.avi"), "mpeg4", 10, TestScenes.panThenFreeze(12, 0));
        Path folder = Files.createDirectories(dir.resolve("snaps"));
        Files.write(folder.resolve("1.jpg"), ImageEncoder.jpeg(TestScenes.photo(), 90));
        Files.write(folder.resolve("2.jpg"), ImageEncoder.jpeg(TestScenes.panned(TestScenes.photo(), 40), 90));

        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            kafka.createTopics(1, "frameq.frames.site");
            CliRun r = CliRun.of("ingest", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "frameq.frames.site",
                    "--start-time", Long.toString(START_MS), clip.toString(), folder.toString());

            assertThat(r.code()).as("stderr:\n%s", r.err()).isZero();
            List<JsonNode> summary = r.out().lines().map(AnalyzeCommandTest::readJson).toList();
            assertThat(summary).extracting(l -> l.get("stream").asText() + ":" + l.get("frames_sent").asLong())
                    .containsExactly("gate:12", "snaps:2");

            List<ConsumerRecord<String, byte[]>> records = consume(kafka.bootstrapServers(), "frameq.frames.site", 14, Duration.ofSeconds(60));
            List<ConsumerRecord<String, byte[]>> gate = records.stream().filter(c -> c.key().equals("gate")).toList();
            assertThat(gate).hasSize(12);
            for (int i = 0; i < gate.size(); i++) {
                ConsumerRecord<String, byte[]> c = gate.get(i);
                assertThat(Fixtures.header(c.headers(), FrameHeaders.CONTENT_TYPE)).isEqualTo("image/jpeg");
                assertThat(Fixtures.header(c.headers(), FrameHeaders.SEQ)).isEqualTo(Integer.toString(i));
                assertThat(Fixtures.header(c.headers(), FrameHeaders.PTS)).isEqualTo(Integer.toString(100 * i));
                assertThat(Fixtures.header(c.headers(), FrameHeaders.TIMESTAMP)).isEqualTo(Long.toString(START_MS + 100 * i));
                assertThat(c.timestamp()).isEqualTo(START_MS + 100 * i);
                assertThat(decoders.decode(c.value(), FrameDecoders.metadataFrom(c.headers())).get(0).image().width()).isEqualTo(320);
            }
            assertThat(records.stream().filter(c -> c.key().equals("snaps"))).hasSize(2)
                    .allSatisfy(c -> assertThat(c.value()).isEqualTo(Files.readAllBytes(folder.resolve((Long.parseLong(
                            Fixtures.header(c.headers(), FrameHeaders.SEQ)) + 1) + ".jpg"))));
        }
    }

    @Test
    void segmentsModePublishesTheClipsOwnH264AsKeyframeAlignedMpegTsThatDecodesIntoEveryFrame() throws Exception {
        Path clip = Files.write(dir.resolve("plaza.mp4"), Fixtures.resource("/frames/plaza_320x240_h264.mp4"));
        int clipFrames = io.frameq.frame.VideoSegmentDecoder.readVideoFrames(clip, 1, 1000).size();

        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            kafka.createTopics(1, "frameq.frames.seg");
            CliRun r = CliRun.of("ingest", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "frameq.frames.seg",
                    "--frame-encoding", "segments", "--start-time", Long.toString(START_MS), clip.toString());

            assertThat(r.code()).as("stderr:\n%s", r.err()).isZero();
            JsonNode summary = AnalyzeCommandTest.readJson(r.out().strip());
            assertThat(summary.get("frames_read").asLong()).as("packets read").isEqualTo(clipFrames);
            long segments = summary.get("frames_sent").asLong();
            assertThat(segments).isGreaterThan(1).isLessThan(clipFrames);

            List<ConsumerRecord<String, byte[]>> records = consume(kafka.bootstrapServers(), "frameq.frames.seg", (int) segments,
                    Duration.ofSeconds(60));
            long frames = 0;
            for (ConsumerRecord<String, byte[]> c : records) {
                assertThat(c.key()).isEqualTo("plaza");
                assertThat(Fixtures.header(c.headers(), FrameHeaders.CONTENT_TYPE)).isEqualTo("video/mp2t");
                assertThat(Fixtures.header(c.headers(), FrameHeaders.SEQ)).as("seq = index of the segment's first frame")
                        .isEqualTo(Long.toString(frames));
                long pts = Long.parseLong(Fixtures.header(c.headers(), FrameHeaders.PTS));
                assertThat(c.timestamp()).isEqualTo(START_MS + pts);
                frames += decoders.decode(c.value(), FrameDecoders.metadataFrom(c.headers())).size();
            }
            assertThat(frames).as("frames decoded from all segments").isEqualTo(clipFrames);
        }
    }

    @Test
    void segmentsModeCutsALiveUdpCameraOnItsKeyframesWithWallClockTimes() throws Exception {
        int fps = 10;
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            kafka.createTopics(1, "frameq.frames.live");
            long before = System.currentTimeMillis();
            CliRun r;
            try (UdpCamera camera = new UdpCamera(TestScenes.panThenFreeze(20, 0), fps)) {
                r = CliRun.of("ingest", "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "frameq.frames.live",
                        "--frame-encoding", "segments", "--max-frames", "3", "mast=" + camera.url());
            }
            long after = System.currentTimeMillis();

            assertThat(r.code()).as("stderr:\n%s", r.err()).isZero();
            assertThat(AnalyzeCommandTest.readJson(r.out().strip()).get("frames_sent").asLong()).isEqualTo(3);
            List<ConsumerRecord<String, byte[]>> records = consume(kafka.bootstrapServers(), "frameq.frames.live", 3, Duration.ofSeconds(60));
            long previousSeq = -1;
            long previousTs = -1;
            for (ConsumerRecord<String, byte[]> c : records) {
                assertThat(Fixtures.header(c.headers(), FrameHeaders.CONTENT_TYPE)).isEqualTo("video/mp2t");
                long seq = Long.parseLong(Fixtures.header(c.headers(), FrameHeaders.SEQ));
                assertThat(seq).isGreaterThan(previousSeq);
                assertThat(c.timestamp()).as("wall clock").isBetween(before, after).isGreaterThanOrEqualTo(previousTs);
                // the camera sends a keyframe a second: a segment that did not start on one would lose frames or fail
                int frames = decoders.decode(c.value(), FrameDecoders.metadataFrom(c.headers())).size();
                assertThat(frames).as("frames in segment seq %d", seq).isBetween(fps - 1, fps + 1);
                previousSeq = seq;
                previousTs = c.timestamp();
            }
        }
    }

    @Test
    void segmentsModeRefusesSamplingThatNeedsDecodingAndStills() throws Exception {
        Path clip = Files.write(dir.resolve("plaza.mp4"), Fixtures.resource("/frames/plaza_320x240_h264.mp4"));
        Path still = Files.write(dir.resolve("cat.jpg"), Fixtures.resource("/frames/chelsea_320x240.jpg"));
        CliRun r = CliRun.of("ingest", "--bootstrap-servers", "127.0.0.1:1", "--topic", "t", "--frame-encoding", "segments",
                "--every", "2", "--max-fps", "5", clip.toString(), still.toString());
        assertThat(r.code()).as("stderr:\n%s", r.err()).isEqualTo(2);
        assertThat(r.err()).contains("--every 2: expected 1").contains("--max-fps 5.0: expected 0")
                .contains("source " + still + ": expected a video file or URL for segments, actual image");
    }

    private static List<ConsumerRecord<String, byte[]>> consume(String bootstrap, String topic, int want, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> got = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "ingest-reader-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (got.size() < want) {
                assertThat(System.nanoTime()).as("%d of %d records before the deadline", got.size(), want).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(250)).forEach(got::add);
            }
            // anything beyond what was sent would be a duplicate
            consumer.poll(Duration.ofMillis(500)).forEach(got::add);
        }
        assertThat(got).hasSize(want);
        return got;
    }
}
