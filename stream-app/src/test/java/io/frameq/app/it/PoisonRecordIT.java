package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameq.api.DeadLetterOnProcessingError;
import io.frameq.api.FrameqOperators;
import io.frameq.api.FrameqSerdes;
import io.frameq.api.FrameqStreams;
import io.frameq.app.broker.EmbeddedKafka;
import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.errors.DeadLetter;
import io.frameq.event.EventJson;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.quality.NrScorer;
import io.frameq.testing.Await;
import io.frameq.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A poison record that throws inside a processor (issue 22), on a real KRaft broker: an embedding's
 * own processor throws on one record ahead of FrameQ's scoring. With FrameQ's
 * {@link DeadLetterOnProcessingError} as the processing exception handler (what {@code frameq run}
 * configures by default), the record's original bytes land in the DLQ with the failing processor
 * and reason, the frames after it are scored, and no stream thread dies.
 */
class PoisonRecordIT {

    private static final String FRAMES = "poison.frames";
    private static final String SCORES = "poison.scores";
    private static final String DLQ = "poison.dlq";
    private static final byte[] POISON = "{\"not\": \"a frame\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path stateDir;

    @Test
    void aPoisonRecordIsDeadLetteredByPolicyAndTheStreamGoesOn() throws Exception {
        AtomicInteger threadDeaths = new AtomicInteger();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             OrtRuntime ort = OrtRuntime.create(ExecutionConfig.parse("cpu"));
             NrScorer scorer = NrScorer.open(ModelRepository.bundled(), "maniqa-lite", ort);
             FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            kafka.createTopics(1, FRAMES, SCORES, DLQ);
            FrameqOperators frameq = FrameqOperators.builder().setDecoders(decoders)
                    .setDetectors(new DetectorSuite(DetectorThresholds.DEFAULTS)).setScorer(scorer).build();
            StreamsBuilder builder = new StreamsBuilder();
            KStream<String, byte[]> frames = builder.stream(FRAMES, Consumed.with(Serdes.String(), Serdes.ByteArray()))
                    // the embedding's own step: it assumes every value is an image, and a JSON record breaks it
                    .peek((camera, value) -> {
                        if (value.length > 0 && value[0] == '{') {
                            throw new IllegalStateException("camera " + camera + ": expected an image, got JSON");
                        }
                    }, Named.as("site-audit"));
            FrameqStreams quality = frameq.score(frames);
            quality.scores().mapValues(e -> new String(EventJson.toBytes(e), StandardCharsets.UTF_8))
                    .to(SCORES, Produced.with(Serdes.String(), Serdes.String()));
            quality.deadLetters().to(DLQ, Produced.with(Serdes.String(), FrameqSerdes.deadLetter()));

            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "poison-it");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterOnProcessingError.class.getName());
            props.put(DeadLetterOnProcessingError.DLQ_TOPIC_CONFIG, DLQ);

            try (KafkaStreams streams = new KafkaStreams(builder.build(), props);
                 KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                         new StringSerializer(), new ByteArraySerializer())) {
                streams.setUncaughtExceptionHandler(e -> {
                    threadDeaths.incrementAndGet();
                    return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
                });
                streams.start();
                for (int i = 0; i < 3; i++) {
                    send(producer, "cam-1", Fixtures.chelseaJpeg(), "image/jpeg", i);
                }
                send(producer, "cam-1", POISON, "image/jpeg", 3);
                for (int i = 4; i < 7; i++) {
                    send(producer, "cam-1", Fixtures.coffeePng(), "image/png", i);
                }

                List<ConsumerRecord<String, byte[]>> scores = readUntil(kafka, SCORES, 6);
                List<ConsumerRecord<String, byte[]>> dead = readUntil(kafka, DLQ, 1);
                assertThat(scores).as("every frame but the poison one is scored, the ones after it included").hasSize(6);
                assertThat(dead).singleElement().satisfies(r -> {
                    assertThat(r.value()).as("the source record's bytes").isEqualTo(POISON);
                    assertThat(r.key()).isEqualTo("cam-1");
                    assertThat(Fixtures.header(r.headers(), DeadLetter.H_REASON)).isEqualTo(DeadLetterOnProcessingError.REASON);
                    assertThat(Fixtures.header(r.headers(), DeadLetter.H_STAGE)).isEqualTo("site-audit");
                    assertThat(Fixtures.header(r.headers(), DeadLetter.H_MESSAGE)).contains("expected an image, got JSON");
                    assertThat(Fixtures.header(r.headers(), DeadLetter.H_OFFSET)).isEqualTo("3");
                    assertThat(Fixtures.header(r.headers(), "content-type")).as("input headers kept").isEqualTo("image/jpeg");
                });
                assertThat(threadDeaths.get()).as("stream threads that died").isZero();
                assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
            }
        }
    }

    private static void send(KafkaProducer<String, byte[]> producer, String camera, byte[] value, String type, long seq)
            throws Exception {
        producer.send(new ProducerRecord<>(FRAMES, null, camera, value, Fixtures.headers(type, seq, -1))).get(30, TimeUnit.SECONDS);
    }

    private static List<ConsumerRecord<String, byte[]>> readUntil(EmbeddedKafka kafka, String topic, int count) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "poison-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            Await.until(count + " record(s) on " + topic, Duration.ofSeconds(90), () -> {
                consumer.poll(Duration.ofMillis(250)).forEach(records::add);
                return records.size() >= count;
            });
            consumer.poll(Duration.ofSeconds(1)).forEach(records::add);
        }
        return records;
    }
}
