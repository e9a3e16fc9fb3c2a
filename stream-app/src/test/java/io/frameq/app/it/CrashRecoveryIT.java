package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
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
import io.frameq.testing.Await;
import io.frameq.testing.Fixtures;

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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No frame is lost when the application dies hard: FrameQ runs as a separate process
 * ({@code frameq run}) on a real broker and is SIGKILLed mid-stream several times; after the last
 * restart every input frame must have its score event — at least one in at-least-once mode,
 * exactly one (read_committed) in exactly-once mode. Kills: {@code -Dframeq.kills=N} (default 3).
 */
class CrashRecoveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"at_least_once", "exactly_once_v2"})
    void everyFrameHasItsEventAfterRepeatedSigkill(String guarantee) throws Exception {
        String in = "frameq.frames.crash-" + guarantee;
        String scores = "frameq.scores-" + guarantee;
        kafka.createTopics(2, in, scores, "frameq.dlq-" + guarantee, "frameq.alerts-" + guarantee);
        int frames = 120;
        int kills = Integer.getInteger("frameq.kills", 3);

        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < frames; i++) {
                byte[] img = i % 2 == 0 ? Fixtures.chelseaJpeg() : Fixtures.coffeePng();
                String type = i % 2 == 0 ? "image/jpeg" : "image/png";
                p.send(new ProducerRecord<>(in, null, "cam-" + (i % 4), img, Fixtures.headers(type, i, -1))).get();
            }
        }

        Path config = dir.resolve(guarantee + ".properties");
        Files.writeString(config, String.join("\n",
                "bootstrap.servers=" + kafka.bootstrapServers(),
                "application.id=frameq-crash-" + guarantee,
                "input.topics=" + in,
                "scores.topic=" + scores,
                "dlq.topic=frameq.dlq-" + guarantee,
                "alerts.topic=frameq.alerts-" + guarantee,
                "processing.guarantee=" + guarantee,
                "commit.interval.ms=300",
                "metrics.port=-1",
                "state.dir=" + dir.resolve("state"),
                "onnx.intra.op.threads=1",
                "kafka.session.timeout.ms=6000",
                "kafka.heartbeat.interval.ms=1000",
                ""));

        for (int k = 0; k < kills; k++) {
            long seenBefore = countEvents(scores, false);
            Process app = start(config, "kill-" + k);
            try {
                // Let it get going, then kill it while frames are still in flight. Without progress the kill
                // would test a restart, not a crash mid-stream: that fails here, not as a quiet pass later.
                Await.until("kill " + (k + 1) + " of " + kills + ": at least 5 new score events on " + scores
                        + " before the SIGKILL (app log: target/crash-it-logs)", Duration.ofSeconds(90), Duration.ofMillis(300),
                        () -> countEvents(scores, false) >= seenBefore + 5,
                        () -> (countEvents(scores, false) - seenBefore) + " new events, app alive: " + app.isAlive());
            } finally {
                app.destroyForcibly();          // SIGKILL: no shutdown hook, no final commit
                app.waitFor(30, TimeUnit.SECONDS);
            }
        }
        // The kills came mid-stream: frames were left for the final run (duplicates included, fewer events than frames).
        assertThat(countEvents(scores, false)).as("score events on %s before the final restart", scores).isLessThan(frames);
        Process last = start(config, "final");
        try {
            Map<Integer, Integer> perSeq = eventsPerSeq(scores, guarantee.startsWith("exactly"), frames, Duration.ofSeconds(180));
            assertThat(perSeq.keySet()).as("every input frame has a score event after %d SIGKILLs", kills).hasSize(frames);
            if (guarantee.startsWith("exactly")) {
                assertThat(perSeq.values()).as("exactly one committed event per frame").containsOnly(1);
            }
        } finally {
            last.destroyForcibly();
            last.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process start(Path config, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The packaged jar, exactly as users run it (failsafe runs after `package`).
        Path jar = Path.of("target", "frameq.jar");
        assertThat(jar).as("run `mvn verify` (the IT needs the packaged frameq.jar)").exists();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m", "-jar", jar.toString(), "run", "--config", config.toString()));
        Path logs = Files.createDirectories(Path.of("target", "crash-it-logs"));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(logs.resolve(config.getFileName() + "-" + name + ".log").toFile()).start();
    }

    private long countEvents(String topic, boolean committedOnly) {
        try (KafkaConsumer<String, byte[]> c = consumer(committedOnly)) {
            var parts = c.partitionsFor(topic).stream()
                    .map(pi -> new org.apache.kafka.common.TopicPartition(topic, pi.partition())).toList();
            return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private Map<Integer, Integer> eventsPerSeq(String topic, boolean committedOnly, int frames, Duration timeout) throws Exception {
        Map<Integer, Integer> perSeq = new HashMap<>();
        try (KafkaConsumer<String, byte[]> c = consumer(committedOnly)) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            long quietSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                var records = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> r : records) {
                    JsonNode e = JSON.readTree(r.value());
                    perSeq.merge(e.get("seq").asInt(), 1, Integer::sum);
                }
                if (!records.isEmpty()) {
                    quietSince = System.nanoTime();
                }
                // All frames seen, and no more events for 3 s: later duplicates would have arrived by now.
                if (perSeq.size() >= frames && System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(3)) {
                    break;
                }
            }
        }
        return perSeq;
    }

    private KafkaConsumer<String, byte[]> consumer(boolean committedOnly) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "crash-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
