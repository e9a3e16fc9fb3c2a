package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.app.config.FrameqConfig;
import io.frameq.app.runtime.FrameqRuntime;
import io.frameq.errors.DeadLetter;
import io.frameq.testing.EventSchema;
import io.frameq.testing.Fixtures;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole application against a real broker: frames in, events, dead letters and metrics out.
 * Subclasses supply the broker (in-JVM KRaft everywhere; a Testcontainers broker where Docker runs).
 */
abstract class AbstractPipelineIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    protected abstract String bootstrapServers();

    @Test
    void framesFromExistingAndNewTopicsAreScoredAndBrokenOnesDeadLettered() throws Exception {
        createTopics(List.of("frameq.frames.site-a", "frameq.scores", "frameq.dlq", "frameq.alerts"), 2);
        Map<String, String> props = new HashMap<>();
        props.put(FrameqConfig.BOOTSTRAP_SERVERS, bootstrapServers());
        props.put(FrameqConfig.APPLICATION_ID, "frameq-it-" + System.nanoTime());
        props.put(FrameqConfig.INPUT_PATTERN, "frameq\\.frames\\..+");
        props.put(FrameqConfig.METRICS_PORT, "0");
        props.put(FrameqConfig.STATE_DIR, stateDir.toString());
        props.put(FrameqConfig.COMMIT_INTERVAL_MS, "200");
        props.put("kafka.metadata.max.age.ms", "1000");

        try (FrameqRuntime runtime = FrameqRuntime.open(FrameqConfig.of(props));
             KafkaProducer<String, byte[]> producer = producer()) {
            runtime.start();
            runtime.awaitRunning(60, TimeUnit.SECONDS);

            int valid = 0;
            for (int i = 0; i < 3; i++) {
                for (String cam : List.of("cam-a", "cam-b")) {
                    byte[] img = i % 2 == 0 ? Fixtures.chelseaJpeg() : Fixtures.coffeePng();
                    String type = i % 2 == 0 ? "image/jpeg" : "image/png";
                    send(producer, "frameq.frames.site-a", cam, img, Fixtures.headers(type, i, System.currentTimeMillis()));
                    valid++;
                }
            }
            byte[] corrupt = Fixtures.corruptJpeg();
            send(producer, "frameq.frames.site-a", "cam-a", corrupt, Fixtures.headers("image/jpeg", 99, -1));

            // A camera that appears after start-up on a brand-new topic must be picked up without a restart.
            createTopics(List.of("frameq.frames.site-new"), 1);
            for (int i = 0; i < 2; i++) {
                send(producer, "frameq.frames.site-new", "cam-new", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", i, -1));
                valid++;
            }

            Collected c = collect(valid, 1, Duration.ofSeconds(120));
            assertThat(c.eventIds).as("every valid frame has a score event").hasSize(valid);
            assertThat(c.streams).containsExactlyInAnyOrder("cam-a", "cam-b", "cam-new");
            for (byte[] e : c.events) {
                assertThat(EventSchema.scoreEvent().violations(e)).isEmpty();
            }
            assertThat(c.dead).hasSize(1);
            ConsumerRecord<String, byte[]> letter = c.dead.get(0);
            assertThat(letter.value()).isEqualTo(corrupt);
            assertThat(Fixtures.header(letter.headers(), DeadLetter.H_REASON)).isEqualTo("corrupt");
            assertThat(Fixtures.header(letter.headers(), DeadLetter.H_TOPIC)).isEqualTo("frameq.frames.site-a");

            String metrics = scrape(runtime.metricsPort());
            for (String cam : List.of("cam-a", "cam-b", "cam-new")) {
                assertThat(metrics).containsPattern("frameq_frames_total\\{[^}]*stream=\"" + cam + "\"");
                assertThat(metrics).containsPattern("frameq_quality_score_count\\{[^}]*stream=\"" + cam + "\"");
            }
            assertThat(metrics).containsPattern("frameq_dlq_total\\{[^}]*reason=\"corrupt\"");
        }
    }

    private record Collected(Set<String> eventIds, Set<String> streams, List<byte[]> events, List<ConsumerRecord<String, byte[]>> dead) {}

    private Collected collect(int wantEvents, int wantDead, Duration timeout) throws Exception {
        Set<String> ids = new HashSet<>();
        Set<String> streams = new HashSet<>();
        List<byte[]> events = new ArrayList<>();
        List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("frameq.scores", "frameq.dlq"));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && (ids.size() < wantEvents || dead.size() < wantDead)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(250))) {
                    if (r.topic().equals("frameq.dlq")) {
                        dead.add(r);
                    } else {
                        JsonNode e = JSON.readTree(r.value());
                        if (ids.add(e.get("event_id").asText())) {
                            events.add(r.value());
                        }
                        streams.add(e.get("stream").asText());
                    }
                }
            }
        }
        return new Collected(ids, streams, events, dead);
    }

    private void createTopics(List<String> names, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(names.stream().map(n -> new NewTopic(n, partitions, (short) 1)).toList()).all().get(30, TimeUnit.SECONDS);
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> p, String topic, String key, byte[] value, Headers headers) throws Exception {
        p.send(new ProducerRecord<>(topic, null, key, value, headers)).get(30, TimeUnit.SECONDS);
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }
}
