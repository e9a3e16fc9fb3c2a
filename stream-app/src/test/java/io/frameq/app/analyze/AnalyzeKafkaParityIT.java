package io.frameq.app.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.app.broker.EmbeddedKafka;
import io.frameq.app.config.FrameqConfig;
import io.frameq.app.runtime.FrameqRuntime;
import io.frameq.source.CapturedFrame;
import io.frameq.source.FrameRecord;
import io.frameq.source.MediaSource;
import io.frameq.source.SamplingPolicy;
import io.frameq.source.SourceSpec;
import io.frameq.source.Sources;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze} and {@code run} on a real broker, fed the same frames, publish the same events and
 * alerts: field by field, apart from when they were produced (scored_ts, latency_ms, an alert's ts).
 */
class AnalyzeKafkaParityIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long START_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final String WINDOW = "1000";

    @TempDir
    Path dir;

    @Test
    void analyzeGivesTheEventsAndAlertsOfTheKafkaTopologyFedTheSameFrames() throws Exception {
        Path clip = ClipWriter.write(dir.resolve("gate.avi"), "mpeg4", 10, TestScenes.panThenBlack(15, 25));
        Path out = dir.resolve("out");
        CliRun analyzed = AnalyzeCommandTest.analyze(out, clip.toString(), "--start-time", Long.toString(START_MS),
                "--set", FrameqConfig.ALERTS_WINDOW_MS + "=" + WINDOW);
        assertThat(analyzed.code()).as("analyze, stderr:\n%s", analyzed.err()).isZero();
        List<JsonNode> analyzeEvents = AnalyzeCommandTest.lines(out.resolve("events.jsonl"));
        List<JsonNode> analyzeAlerts = AnalyzeCommandTest.lines(out.resolve("alerts.jsonl"));
        assertThat(analyzeEvents).hasSize(40);
        assertThat(analyzeAlerts).as("the clip turns black: an incident opens").isNotEmpty();

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(1, InProcessPipeline.INPUT_TOPIC, "frameq.scores", "frameq.dlq", "frameq.alerts");
            Map<String, String> props = new HashMap<>();
            props.put(FrameqConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            props.put(FrameqConfig.APPLICATION_ID, "frameq-parity-" + System.nanoTime());
            props.put(FrameqConfig.INPUT_TOPICS, InProcessPipeline.INPUT_TOPIC);
            props.put(FrameqConfig.MODEL_NR, "tiny-nr");
            props.put(FrameqConfig.MODEL_REPOSITORY, "../operators/src/test/resources/onnx");
            props.put(FrameqConfig.ALERTS_WINDOW_MS, WINDOW);
            props.put(FrameqConfig.METRICS_PORT, "-1");
            props.put(FrameqConfig.STATE_DIR, dir.resolve("state").toString());
            props.put(FrameqConfig.COMMIT_INTERVAL_MS, "200");
            try (FrameqRuntime runtime = FrameqRuntime.open(FrameqConfig.of(props))) {
                runtime.start();
                runtime.awaitRunning(60, TimeUnit.SECONDS);
                publishTheClipAsAnalyzeReadsIt(kafka.bootstrapServers(), clip);
                Map<String, List<JsonNode>> kafkaOut = collect(kafka.bootstrapServers(), analyzeEvents.size(), analyzeAlerts.size(),
                        Duration.ofSeconds(120));

                assertThat(comparable(kafkaOut.get("frameq.scores"), "scored_ts", "latency_ms"))
                        .isEqualTo(comparable(analyzeEvents, "scored_ts", "latency_ms"));
                assertThat(comparable(kafkaOut.get("frameq.alerts"), "ts")).isEqualTo(comparable(analyzeAlerts, "ts"));
            }
        }
    }

    /** The clip's frames as analyze pipes them (same source layer, same records), produced in order. */
    private static void publishTheClipAsAnalyzeReadsIt(String bootstrap, Path clip) throws Exception {
        try (MediaSource source = Sources.open(SourceSpec.parse(clip.toString()), SamplingPolicy.ALL, Sources.Options.defaults(START_MS));
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024),
                     new StringSerializer(), new ByteArraySerializer())) {
            CapturedFrame f;
            while ((f = source.next()) != null) {
                FrameRecord r = FrameRecord.of(f, FrameRecord.Encoding.RAW, 16 * 1024 * 1024);
                producer.send(new ProducerRecord<>(InProcessPipeline.INPUT_TOPIC, null, r.timestampMs(), r.key(), r.value(), r.headers()))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static Map<String, List<JsonNode>> collect(String bootstrap, int events, int alerts, Duration timeout) throws Exception {
        Map<String, List<JsonNode>> got = new HashMap<>();
        got.put("frameq.scores", new ArrayList<>());
        got.put("frameq.alerts", new ArrayList<>());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "parity-reader-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("frameq.scores", "frameq.alerts"));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (got.get("frameq.scores").size() < events || got.get("frameq.alerts").size() < alerts) {
                assertThat(System.nanoTime()).as("events %s of %d, alerts %s of %d before the deadline", got.get("frameq.scores").size(),
                        events, got.get("frameq.alerts").size(), alerts).isLessThan(deadline);
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    got.get(r.topic()).add(JSON.readTree(r.value()));
                }
            }
        }
        return got;
    }

    /** The events as maps without the fields that record when they were produced, numbers rounded to 9 significant digits. */
    private static List<Object> comparable(List<JsonNode> events, String... producedAt) {
        List<Object> out = new ArrayList<>();
        for (JsonNode e : events) {
            Map<String, Object> m = JSON.convertValue(e, new TypeReference<LinkedHashMap<String, Object>>() { });
            for (String f : producedAt) {
                m.remove(f);
            }
            out.add(rounded(m));
        }
        return out;
    }

    /** ONNX Runtime may sum in another order with another thread count: the last bits of a score may differ. */
    private static Object rounded(Object v) {
        if (v instanceof Double d) {
            return new java.math.BigDecimal(d).round(new java.math.MathContext(9)).doubleValue();
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> r = new LinkedHashMap<>();
            m.forEach((k, x) -> r.put(k, rounded(x)));
            return r;
        }
        if (v instanceof List<?> l) {
            return l.stream().map(AnalyzeKafkaParityIT::rounded).toList();
        }
        return v;
    }
}
