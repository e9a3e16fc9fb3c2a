package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.frameq.api.FrameqOperators;
import io.frameq.app.broker.EmbeddedKafka;
import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.errors.DeadLetter;
import io.frameq.example.LobbyCameras;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.quality.NrScorer;
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
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's embedding example ({@link LobbyCameras}) on a real KRaft broker in this JVM: the
 * user's filter, FrameQ's scoring through the API, the user's summary on the user's topic.
 */
class EmbeddingExampleIT {

    @TempDir
    Path stateDir;

    @Test
    void aUserTopologyEmbedsFrameqScoring() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             OrtRuntime ort = OrtRuntime.create(ExecutionConfig.parse("cpu"));
             NrScorer scorer = NrScorer.open(ModelRepository.bundled(), "maniqa-lite", ort);
             FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            kafka.createTopics(1, LobbyCameras.FRAMES, LobbyCameras.SUMMARIES, LobbyCameras.REJECTED);

            FrameqOperators frameq = FrameqOperators.builder()
                    .setDecoders(decoders)
                    .setDetectors(new DetectorSuite(DetectorThresholds.DEFAULTS))
                    .setScorer(scorer)
                    .optNamePrefix("lobby-")
                    .build();
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "lobby-cameras-it");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);

            try (KafkaStreams streams = new KafkaStreams(LobbyCameras.topology(frameq), props);
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                         new StringSerializer(), new ByteArraySerializer())) {
                streams.start();
                send(producer, "lobby-1", Fixtures.chelseaJpeg(), 1);
                send(producer, "parking-1", Fixtures.chelseaJpeg(), 2); // the user's filter drops it
                send(producer, "lobby-2", Fixtures.corruptJpeg(), 3);

                List<ConsumerRecord<String, byte[]>> summaries = readUntil(kafka, LobbyCameras.SUMMARIES, 1);
                List<ConsumerRecord<String, byte[]>> rejected = readUntil(kafka, LobbyCameras.REJECTED, 1);

                assertThat(summaries).singleElement().satisfies(r -> {
                    assertThat(r.key()).isEqualTo("lobby-1");
                    assertThat(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8))
                            .matches("lobby-1 #1 (ok|degraded) quality=[01]\\.\\d{3} by maniqa-lite");
                    assertThat(Fixtures.header(r.headers(), "frameq-event-id")).startsWith(LobbyCameras.FRAMES + "/0/");
                });
                assertThat(rejected).singleElement().satisfies(r -> {
                    assertThat(r.key()).isEqualTo("lobby-2");
                    assertThat(r.value()).isEqualTo(Fixtures.corruptJpeg());
                    assertThat(Fixtures.header(r.headers(), DeadLetter.H_STAGE)).isEqualTo("decode");
                });
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String camera, byte[] jpeg, long seq) throws Exception {
        producer.send(new ProducerRecord<>(LobbyCameras.FRAMES, null, camera, jpeg, Fixtures.headers("image/jpeg", seq, -1)))
                .get(30, TimeUnit.SECONDS);
    }

    /** Reads {@code topic} until it holds {@code count} records, failing after a minute; then a little longer to catch extras. */
    private static List<ConsumerRecord<String, byte[]>> readUntil(EmbeddedKafka kafka, String topic, int count) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "example-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            Await.until(count + " record(s) on " + topic, Duration.ofSeconds(60), () -> {
                consumer.poll(Duration.ofMillis(250)).forEach(records::add);
                return records.size() >= count;
            });
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
        }
        return records;
    }
}
