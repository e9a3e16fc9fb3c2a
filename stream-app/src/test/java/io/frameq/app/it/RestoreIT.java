package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.app.broker.EmbeddedKafka;
import io.frameq.app.config.FrameqConfig;
import io.frameq.app.config.RouteRestoreConfig;
import io.frameq.app.runtime.FrameqRuntime;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;
import io.frameq.testing.EventSchema;
import io.frameq.testing.Fixtures;
import io.frameq.testing.Images;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restoration branch wired from configuration ({@code restore.enabled=true}) on a real KRaft
 * broker: blurred frames come out JPEG-encoded on frameq.restored with the scores before and after,
 * clean and black frames do not, and /metrics has the restorations and the gain histogram.
 */
class RestoreIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafka kafka;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    private static RgbImage decode(byte[] encoded) throws java.io.IOException {
        java.awt.image.BufferedImage b = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(encoded));
        byte[] px = new byte[b.getWidth() * b.getHeight() * 3];
        for (int y = 0; y < b.getHeight(); y++) {
            for (int x = 0; x < b.getWidth(); x++) {
                int rgb = b.getRGB(x, y);
                int i = (y * b.getWidth() + x) * 3;
                px[i] = (byte) (rgb >> 16);
                px[i + 1] = (byte) (rgb >> 8);
                px[i + 2] = (byte) rgb;
            }
        }
        return new RgbImage(b.getWidth(), b.getHeight(), px);
    }

    @Test
    void blurredFramesComeOutRestoredWithScoresBeforeAndAfter() throws Exception {
        kafka.createTopics(1, "frameq.frames.cams", "frameq.scores", "frameq.dlq", "frameq.alerts", "frameq.restored");
        Map<String, String> props = new HashMap<>();
        props.put(FrameqConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        props.put(FrameqConfig.APPLICATION_ID, "frameq-restore-it");
        props.put(FrameqConfig.INPUT_TOPICS, "frameq.frames.cams");
        props.put(FrameqConfig.METRICS_PORT, "0");
        props.put(FrameqConfig.STATE_DIR, stateDir.toString());
        props.put(FrameqConfig.COMMIT_INTERVAL_MS, "200");
        props.put(RouteRestoreConfig.RESTORE_ENABLED, "true");
        props.put(RouteRestoreConfig.RESTORE_BUDGET_FRAME_SHARE, "1.0");
        props.put(RouteRestoreConfig.RESTORE_BUDGET_COMPUTE_SHARE, "1.0");
        props.put(RouteRestoreConfig.RESTORE_TILE_SIZE, "256");
        // Four frames of a new stream: judge each by the detectors alone (a baseline would still be warming up).
        props.put(FrameqConfig.BASELINE_ENABLED, "false");

        RgbImage clean = decode(Fixtures.coffeePng());
        RgbImage blurA = Images.boxBlur(clean, 4, 3);
        RgbImage blurB = Images.boxBlur(decode(Fixtures.chelseaJpeg()), 4, 3);
        RgbImage black = new RgbImage(clean.width(), clean.height(), new byte[clean.pixels().length]);
        List<RgbImage> frames = List.of(clean, blurA, black, blurB);

        try (FrameqRuntime runtime = FrameqRuntime.open(FrameqConfig.of(props));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            runtime.start();
            runtime.awaitRunning(60, TimeUnit.SECONDS);
            for (int i = 0; i < frames.size(); i++) {
                producer.send(new ProducerRecord<>("frameq.frames.cams", null, "cam-r", ImageEncoder.png(frames.get(i)),
                        Fixtures.headers("image/png", i, System.currentTimeMillis()))).get(30, TimeUnit.SECONDS);
            }

            List<ConsumerRecord<String, byte[]>> scores = new ArrayList<>();
            List<ConsumerRecord<String, byte[]>> restored = new ArrayList<>();
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, "restore-it-reader",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of("frameq.scores", "frameq.restored"));
                long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
                while (System.nanoTime() < deadline && (scores.size() < 4 || restored.size() < 2)) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                        (r.topic().equals("frameq.scores") ? scores : restored).add(r);
                    }
                }
            }
            assertThat(scores).hasSize(4);
            Map<String, JsonNode> bySeq = new HashMap<>();
            for (ConsumerRecord<String, byte[]> r : scores) {
                assertThat(EventSchema.scoreEvent().violations(r.value())).isEmpty();
                JsonNode e = JSON.readTree(r.value());
                bySeq.put(e.get("seq").asText(), e);
            }
            assertThat(bySeq.get("1").get("route").asText()).isEqualTo("latency");
            assertThat(bySeq.get("2").get("route").asText()).isEqualTo("alert_only");
            assertThat(bySeq.get("2").get("stream_verdict").asText()).isEqualTo("degraded");

            assertThat(restored).extracting(r -> Fixtures.header(r.headers(), "frameq-seq")).containsExactly("1", "3");
            for (ConsumerRecord<String, byte[]> r : restored) {
                assertThat(Fixtures.header(r.headers(), "frameq-restorer")).isEqualTo("lpienet-lite");
                assertThat(Fixtures.header(r.headers(), "content-type")).isEqualTo("image/jpeg");
                JsonNode before = bySeq.get(Fixtures.header(r.headers(), "frameq-seq"));
                assertThat(Double.parseDouble(Fixtures.header(r.headers(), "frameq-quality-before")))
                        .isEqualTo(before.get("quality").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
                assertThat(Double.parseDouble(Fixtures.header(r.headers(), "frameq-quality-after"))).isBetween(0.0, 1.0);
            }
            // same size as the input; tiles of 256 px: 400x267 takes 2x2, 451x300 takes 2x2
            assertThat(decode(restored.get(0).value()).width()).isEqualTo(clean.width());
            assertThat(decode(restored.get(1).value()).width()).isEqualTo(blurB.width());
            assertThat(Fixtures.header(restored.get(0).headers(), "frameq-tiles")).isEqualTo("4");
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:"
                    + runtime.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern("frameq_restorations_total\\{model=\"lpienet-lite\",result=\"ok\"\\} 2");
            assertThat(metrics).containsPattern("frameq_restoration_gain_count\\{model=\"lpienet-lite\"\\} 2");
            assertThat(metrics).containsPattern("frameq_model_info\\{[^}]*model=\"mirnet-v2-lite\"[^}]*precision=\"fp32\"");
        }
    }
}
