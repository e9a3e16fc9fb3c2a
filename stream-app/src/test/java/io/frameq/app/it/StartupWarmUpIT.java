package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.frameq.app.runtime.FrameqRuntime;
import io.frameq.app.runtime.StartupWarmUp;
import io.frameq.testing.Await;
import io.frameq.testing.Fixtures;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up warm-up in the real start path, on a real KRaft broker: {@code FrameqRuntime.start} runs it before
 * Kafka Streams consumes, and it leaves no trace in Kafka. After a warm-up and one real frame, the scores, DLQ and
 * alerts topics hold exactly that frame's event, and every state store's changelog holds only that frame's
 * stream; the frame, as its stream's first, runs the model (the sampler never saw the warm-up).
 * {@code startup.warmup.ms=0} skips it.
 */
class StartupWarmUpIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FRAMES = "warmup.frames";
    private static final List<String> OUTPUTS = List.of("warmup.scores", "warmup.dlq", "warmup.alerts");

    @TempDir
    Path stateDir;

    private static Map<String, String> config(EmbeddedKafka kafka, String appId, Path state, long warmUpMs) {
        Map<String, String> props = new HashMap<>();
        props.put(FrameqConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        props.put(FrameqConfig.APPLICATION_ID, appId);
        props.put(FrameqConfig.INPUT_TOPICS, FRAMES);
        props.put(FrameqConfig.SCORES_TOPIC, OUTPUTS.get(0));
        props.put(FrameqConfig.DLQ_TOPIC, OUTPUTS.get(1));
        props.put(FrameqConfig.ALERTS_TOPIC, OUTPUTS.get(2));
        props.put(FrameqConfig.METRICS_PORT, "-1");
        props.put(FrameqConfig.STATE_DIR, state.toString());
        props.put(FrameqConfig.COMMIT_INTERVAL_MS, "200");
        props.put(FrameqConfig.DECODE_JPEG_REDUCED_MIN_WIDTH, "640");
        props.put(FrameqConfig.STARTUP_WARMUP_MS, String.valueOf(warmUpMs));
        return props;
    }

    @Test
    void theWarmUpRunsBeforeConsumingAndEmitsNothing() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(1, FRAMES, OUTPUTS.get(0), OUTPUTS.get(1), OUTPUTS.get(2));
            String appId = "frameq-warmup-it";
            try (FrameqRuntime runtime = FrameqRuntime.open(FrameqConfig.of(config(kafka, appId, stateDir.resolve("a"), 1500)));
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                         kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer());
                 KafkaConsumer<String, byte[]> consumer = consumer(kafka)) {
                assertThat(runtime.warmUpReport()).as("before start").isEqualTo(StartupWarmUp.Report.SKIPPED);
                runtime.start();
                StartupWarmUp.Report warm = runtime.warmUpReport();
                assertThat(warm.failure()).isNull();
                assertThat(warm.rounds()).isPositive();
                assertThat(warm.reducedDecodes()).as("decode.jpeg.reduced.min.width=640").isEqualTo(warm.rounds());
                assertThat(warm.modelRuns()).isEqualTo(StartupWarmUp.DEFAULT_MODEL_RUNS);
                assertThat(warm.events()).as("score events built and dropped").isEqualTo(warm.rounds());
                assertThat(warm.elapsedMs()).isGreaterThanOrEqualTo(1500);
                runtime.awaitRunning(60, TimeUnit.SECONDS);

                producer.send(new ProducerRecord<>(FRAMES, null, "cam-1", Fixtures.chelseaJpeg(),
                        Fixtures.headers("image/jpeg", 0, System.currentTimeMillis()))).get(30, TimeUnit.SECONDS);

                consumer.subscribe(OUTPUTS);
                List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
                Await.until("the real frame's event", Duration.ofSeconds(90), () -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                    return !out.isEmpty();
                });
                List<TopicPartition> partitions = OUTPUTS.stream().map(t -> new TopicPartition(t, 0)).toList();
                long written = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
                assertThat(written).as("records on the scores, DLQ and alerts topics: the real frame's event only").isEqualTo(1);
                assertThat(out).hasSize(1);
                assertThat(out.get(0).topic()).isEqualTo(OUTPUTS.get(0));
                JsonNode event = JSON.readTree(out.get(0).value());
                assertThat(event.get("stream").asText()).isEqualTo("cam-1");
                assertThat(event.path("model_skipped").isMissingNode() || event.get("model_skipped").isNull())
                        .as("the stream's first frame runs the model: %s", event).isTrue();

                List<String> changelogs = kafka.admin().listTopics().names().get(30, TimeUnit.SECONDS).stream()
                        .filter(t -> t.startsWith(appId + "-") && t.endsWith("-changelog")).sorted().toList();
                assertThat(changelogs).as("the topology's stores").isNotEmpty();
                for (String key : keysOf(kafka, changelogs)) {
                    assertThat(key).as("every changelog record belongs to the real stream").isEqualTo("cam-1");
                }
            }

            try (FrameqRuntime off = FrameqRuntime.open(FrameqConfig.of(config(kafka, "frameq-warmup-off", stateDir.resolve("b"), 0)))) {
                off.start();
                off.awaitRunning(60, TimeUnit.SECONDS);
                assertThat(off.warmUpReport()).as("startup.warmup.ms=0").isEqualTo(StartupWarmUp.Report.SKIPPED);
            }
        }
    }

    private static KafkaConsumer<String, byte[]> consumer(EmbeddedKafka kafka) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "warmup-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"), new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Every key written to the changelogs, read until the real stream's entries are there and to the end offsets. */
    private static List<String> keysOf(EmbeddedKafka kafka, List<String> topics) {
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = consumer(kafka)) {
            List<TopicPartition> parts = topics.stream().map(t -> new TopicPartition(t, 0)).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            // the stores write their changelogs on commit, which may follow the event
            Await.until("cam-1 in the changelogs, read to their end", Duration.ofSeconds(60), () -> {
                c.poll(Duration.ofMillis(200)).forEach(r -> keys.add(r.key()));
                Map<TopicPartition, Long> end = c.endOffsets(parts);
                return keys.contains("cam-1") && parts.stream().allMatch(p -> c.position(p) >= end.get(p));
            });
        }
        return keys;
    }
}
