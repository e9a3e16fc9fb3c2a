package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameq.app.broker.EmbeddedKafka;
import io.frameq.app.config.FrameqConfig;
import io.frameq.app.runtime.FrameqRuntime;
import io.frameq.testing.Await;
import io.frameq.testing.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker goes down mid-stream and comes back (issue 22): the running application is not
 * restarted, and every frame — those still in flight when it went down and those sent after it came
 * back — gets its score event; the
 * expected event ids are the input records' own coordinates, so "0 lost" is checked exactly.
 */
class BrokerRestartIT {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerRestartIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FRAMES = "frameq.frames.restart";
    private static final int PER_PHASE = 12;

    @TempDir
    Path stateDir;

    private EmbeddedKafka kafka;

    @AfterEach
    void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aBrokerRestartMidStreamLosesNoFrameAndNeedsNoAppRestart() throws Exception {
        kafka = EmbeddedKafka.start();
        kafka.createTopics(2, FRAMES, "frameq.scores", "frameq.dlq", "frameq.alerts");
        Map<String, String> props = new HashMap<>();
        props.put(FrameqConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        props.put(FrameqConfig.APPLICATION_ID, "frameq-restart-it");
        props.put(FrameqConfig.INPUT_TOPICS, FRAMES);
        props.put(FrameqConfig.METRICS_PORT, "-1");
        props.put(FrameqConfig.STATE_DIR, stateDir.toString());
        props.put(FrameqConfig.COMMIT_INTERVAL_MS, "200");

        List<Future<RecordMetadata>> sent = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        try (FrameqRuntime runtime = FrameqRuntime.open(FrameqConfig.of(props));
             KafkaProducer<String, byte[]> producer = producer();
             KafkaConsumer<String, byte[]> scores = consumer()) {
            runtime.start();
            runtime.awaitRunning(60, TimeUnit.SECONDS);
            KafkaStreams streams = runtime.streams();

            sendPhase(producer, sent, 0, 2 * PER_PHASE);
            producer.flush(); // every frame of the first phase is in the topic before the outage
            Await.until("the first frames are scored", Duration.ofSeconds(120), Duration.ofMillis(100),
                    () -> poll(scores, seen) >= 2, () -> seen.size() + " events");

            // mid-stream: most of the first phase is still to be decoded, scored and committed
            kafka.stop();
            long downAt = System.nanoTime();
            Thread.sleep(5_000); // the outage itself: the app keeps polling and producing to a broker that is not there
            kafka.restart();
            LOG.info("broker was down for {} ms, {} of {} events seen before", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - downAt),
                    seen.size(), 2 * PER_PHASE);
            sendPhase(producer, sent, 2, PER_PHASE);
            producer.flush();

            Set<String> expected = new TreeSet<>();
            for (Future<RecordMetadata> f : sent) {
                RecordMetadata m = f.get(60, TimeUnit.SECONDS);
                expected.add(m.topic() + "/" + m.partition() + "/" + m.offset() + "/0");
            }
            assertThat(expected).hasSize(3 * PER_PHASE);
            Await.until("a score event for every frame, in flight during the outage or sent after it", Duration.ofSeconds(240),
                    Duration.ofMillis(200), () -> {
                        poll(scores, seen);
                        return seen.containsAll(expected);
                    }, () -> {
                        Set<String> missing = new TreeSet<>(expected);
                        missing.removeAll(seen);
                        return missing.size() + " missing: " + missing;
                    });
            assertThat(seen).as("no event for a frame that was never sent").isEqualTo(expected);
            assertThat(runtime.streams()).as("the same Kafka Streams instance, never restarted").isSameAs(streams);
            assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    private static void sendPhase(KafkaProducer<String, byte[]> producer, List<Future<RecordMetadata>> sent, int phase, int count) {
        for (int i = 0; i < count; i++) {
            String cam = i % 2 == 0 ? "cam-a" : "cam-b";
            boolean jpeg = (i / 2) % 2 == 0;
            long seq = phase * PER_PHASE + i;
            sent.add(producer.send(new ProducerRecord<>(FRAMES, null, cam, jpeg ? Fixtures.chelseaJpeg() : Fixtures.coffeePng(),
                    Fixtures.headers(jpeg ? "image/jpeg" : "image/png", seq, System.currentTimeMillis()))));
        }
    }

    /** Reads what is there; returns the number of distinct event ids seen so far. */
    private static int poll(KafkaConsumer<String, byte[]> scores, Set<String> seen) {
        try {
            for (ConsumerRecord<String, byte[]> r : scores.poll(Duration.ofMillis(100))) {
                JsonNode e = JSON.readTree(r.value());
                seen.add(e.get("event_id").asText());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return seen.size();
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000),
                new StringSerializer(), new ByteArraySerializer());
    }

    private KafkaConsumer<String, byte[]> consumer() {
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "restart-it-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of("frameq.scores"));
        return c;
    }
}
