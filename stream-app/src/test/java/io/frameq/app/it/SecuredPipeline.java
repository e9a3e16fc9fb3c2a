package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.app.config.FrameqConfig;
import io.frameq.app.runtime.FrameqRuntime;
import io.frameq.errors.DeadLetter;
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

/**
 * One secured end-to-end run shared by the security ITs: the FrameQ runtime (in this JVM, as the other
 * pipeline ITs run it) connects to a {@link SecureKafka} with the given {@code kafka.*} settings, frames go
 * in (produced by the super user, as a camera gateway would with its own principal) and every valid one
 * must come out scored, the corrupt one dead-lettered.
 */
final class SecuredPipeline {

    static final String FRAMES = "frameq.frames.cams";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SecuredPipeline() {
    }

    static void createTopics(SecureKafka kafka) {
        kafka.createTopics(2, FRAMES, "frameq.scores", "frameq.dlq", "frameq.alerts");
    }

    /** The FrameQ configuration of the runs, without the client's security settings. */
    static Map<String, String> baseConfig(SecureKafka kafka, String applicationId, Path stateDir) {
        Map<String, String> props = new HashMap<>();
        props.put(FrameqConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        props.put(FrameqConfig.APPLICATION_ID, applicationId);
        props.put(FrameqConfig.INPUT_TOPICS, FRAMES);
        props.put(FrameqConfig.METRICS_PORT, "0");
        props.put(FrameqConfig.METRICS_BIND_ADDRESS, "127.0.0.1");
        props.put(FrameqConfig.STATE_DIR, stateDir.toString());
        props.put(FrameqConfig.COMMIT_INTERVAL_MS, "200");
        props.put(FrameqConfig.MODEL_NR_CROP, "centre"); // one model unit per frame: the run is about the wire, not the model
        return props;
    }

    /** {@code settings} as {@code kafka.*} keys. */
    static Map<String, String> asKafkaKeys(Map<String, Object> settings) {
        Map<String, String> m = new HashMap<>();
        settings.forEach((k, v) -> m.put(FrameqConfig.KAFKA_PREFIX + k, String.valueOf(v)));
        return m;
    }

    /** Runs the app in this JVM on {@code config}, feeds it frames and asserts each valid one is scored and the corrupt one dead-lettered. */
    static void scoresEndToEnd(SecureKafka kafka, Map<String, String> config) throws Exception {
        try (FrameqRuntime runtime = FrameqRuntime.open(FrameqConfig.of(config))) {
            runtime.start();
            runtime.awaitRunning(60, TimeUnit.SECONDS);
            awaitScored(kafka, feed(kafka), () -> "streams state " + runtime.streams().state());
        }
    }

    /** Produces 4 valid frames of two cameras and one corrupt frame; returns the number of valid ones. */
    static int feed(SecureKafka kafka) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(kafka), new StringSerializer(),
                new ByteArraySerializer())) {
            int valid = 0;
            for (int i = 0; i < 2; i++) {
                for (String cam : List.of("cam-a", "cam-b")) {
                    producer.send(new ProducerRecord<>(FRAMES, null, cam, Fixtures.chelseaJpeg(),
                            Fixtures.headers("image/jpeg", i, System.currentTimeMillis()))).get(30, TimeUnit.SECONDS);
                    valid++;
                }
            }
            producer.send(new ProducerRecord<>(FRAMES, null, "cam-a", Fixtures.corruptJpeg(), Fixtures.headers("image/jpeg", 99, -1)))
                    .get(30, TimeUnit.SECONDS);
            return valid;
        }
    }

    /** Waits for {@code valid} score events and the one dead letter, and checks them; {@code state} describes the app on a time-out. */
    static void awaitScored(SecureKafka kafka, int valid, Supplier<String> state) {
        Set<String> eventIds = new HashSet<>();
        Set<String> streams = new HashSet<>();
        List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps(kafka), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("frameq.scores", "frameq.dlq"));
            Await.until(valid + " score events and 1 dead letter", Duration.ofSeconds(60), Duration.ofMillis(10), () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals("frameq.dlq")) {
                        dead.add(r);
                    } else {
                        JsonNode e = read(r.value());
                        eventIds.add(e.get("event_id").asText());
                        streams.add(e.get("stream").asText());
                    }
                }
                return eventIds.size() >= valid && !dead.isEmpty();
            }, () -> eventIds.size() + " events, " + dead.size() + " dead letters, " + state.get());
        }
        assertThat(eventIds).hasSize(valid);
        assertThat(streams).containsExactlyInAnyOrder("cam-a", "cam-b");
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).isEqualTo(Fixtures.corruptJpeg());
        assertThat(Fixtures.header(dead.get(0).headers(), DeadLetter.H_REASON)).isEqualTo("corrupt");
    }

    /** Sends one origin frame and one rendition of it, and waits for their matched full-reference event. */
    static void awaitFullReferencePair(SecureKafka kafka, String originTopic, String renditionTopic) throws Exception {
        long ts = System.currentTimeMillis();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(kafka), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(originTopic, null, ts, "movie", Fixtures.chelseaJpeg(),
                    Fixtures.headers("image/jpeg", 1, ts))).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(renditionTopic, null, ts, "movie@720p", Fixtures.chelseaJpeg(),
                    Fixtures.headers("image/jpeg", 1, ts))).get(30, TimeUnit.SECONDS);
        }
        List<JsonNode> fr = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps(kafka), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("frameq.scores"));
            Await.until("a full-reference event of movie@720p", Duration.ofSeconds(60), Duration.ofMillis(10), () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    JsonNode e = read(r.value());
                    if (e.path("type").asText().equals("fr")) {
                        fr.add(e);
                    }
                }
                return !fr.isEmpty();
            }, () -> fr.size() + " fr events");
        }
        assertThat(fr.get(0).get("stream").asText()).isEqualTo("movie@720p");
        assertThat(fr.get(0).get("fr").get("matched").asBoolean()).as("origin and rendition paired").isTrue();
    }

    private static JsonNode read(byte[] json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("score event is not JSON", e);
        }
    }

    private static Map<String, Object> producerProps(SecureKafka kafka) {
        Map<String, Object> p = new HashMap<>(kafka.superUserClient());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return p;
    }

    private static Map<String, Object> consumerProps(SecureKafka kafka) {
        Map<String, Object> p = new HashMap<>(kafka.superUserClient());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }
}
