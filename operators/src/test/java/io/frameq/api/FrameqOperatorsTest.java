package io.frameq.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.errors.DeadLetter;
import io.frameq.event.EventJson;
import io.frameq.event.FrScoreEvent;
import io.frameq.event.ScoreEvent;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.processor.DeadLettered;
import io.frameq.quality.FrScorer;
import io.frameq.quality.NrScorer;
import io.frameq.testing.EventSchema;
import io.frameq.testing.Fixtures;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding API from the DSL and the Processor API, on TopologyTestDriver with the bundled model. */
class FrameqOperatorsTest {

    private static OrtRuntime ort;
    private static NrScorer scorer;
    private static FrameDecoders decoders;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void open() throws Exception {
        ort = OrtRuntime.create(ExecutionConfig.parse("cpu"));
        scorer = NrScorer.open(ModelRepository.bundled(), "maniqa-lite", ort);
        decoders = new FrameDecoders(DecodeLimits.DEFAULT);
    }

    @AfterAll
    static void close() throws Exception {
        decoders.close();
        scorer.close();
        ort.close();
    }

    private static FrameqOperators.Builder required() {
        return FrameqOperators.builder().setDecoders(decoders).setDetectors(new DetectorSuite(DetectorThresholds.DEFAULTS))
                .setScorer(scorer);
    }

    @Test
    void validateNamesEveryMissingPartInOneMessage() {
        assertThatThrownBy(() -> FrameqOperators.builder().optNamePrefix("bad prefix!").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("setDecoders: expected the frame decoders (FrameDecoders), actual null")
                .hasMessageContaining("setDetectors: expected")
                .hasMessageContaining("setScorer: expected")
                .hasMessageContaining("optNamePrefix: expected letters, digits")
                .hasMessageContaining("actual 'bad prefix!'");
        assertThatThrownBy(() -> required().optShedMaxLagMs(-1).validate()).hasMessageContaining("optShedMaxLagMs");
        required().validate(); // the three required parts are enough
    }

    @Test
    void dslScoresFramesIntoTypedStreamsWithTheTopicsJson() {
        StreamsBuilder builder = new StreamsBuilder();
        FrameqStreams out = required().optNamePrefix("cams-").build()
                .score(builder.stream("frames", Consumed.with(Serdes.String(), Serdes.ByteArray())));
        out.scores().to("scores", Produced.with(Serdes.String(), FrameqSerdes.scoreEvent()));
        out.scores().mapValues(e -> e.verdict() + " " + e.model().name()).to("summaries", Produced.with(Serdes.String(), Serdes.String()));
        out.deadLetters().to("dead", Produced.with(Serdes.String(), FrameqSerdes.deadLetter()));
        out.alerts().to("alerts", Produced.with(Serdes.String(), FrameqSerdes.alertEvent()));
        Topology topology = builder.build();
        String description = topology.describe().toString();
        assertThat(description).contains("cams-decode", "cams-detect", "cams-score-nr", "cams-alerts",
                "cams-frameq-last-thumbnail", "cams-frameq-baseline", "cams-frameq-verdict-state", "cams-frameq-alert-state");

        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props("frameq-api-dsl"))) {
            TestInputTopic<String, byte[]> frames = driver.createInputTopic("frames", new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, byte[]> scores = driver.createOutputTopic("scores", new StringDeserializer(),
                    new ByteArrayDeserializer());
            TestOutputTopic<String, String> summaries = driver.createOutputTopic("summaries", new StringDeserializer(),
                    new StringDeserializer());
            TestOutputTopic<String, byte[]> dead = driver.createOutputTopic("dead", new StringDeserializer(), new ByteArrayDeserializer());

            frames.pipeInput(new TestRecord<>("cam-1", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 1, -1), 1L));
            frames.pipeInput(new TestRecord<>("cam-1", Fixtures.corruptJpeg(), Fixtures.headers("image/jpeg", 2, -1), 2L));

            List<TestRecord<String, byte[]>> scored = scores.readRecordsToList();
            assertThat(scored).hasSize(1);
            assertThat(EventSchema.scoreEvent().violations(scored.get(0).value())).isEmpty();
            ScoreEvent event = EventJson.fromBytes(scored.get(0).value(), ScoreEvent.class);
            assertThat(event.stream()).isEqualTo("cam-1");
            assertThat(event.seq()).isEqualTo(1);
            assertThat(event.quality()).isBetween(0.0, 1.0);
            assertThat(Fixtures.header(scored.get(0).headers(), "frameq-event-id")).isEqualTo(event.eventId());
            assertThat(summaries.readValuesToList()).containsExactly(event.verdict() + " maniqa-lite");

            List<TestRecord<String, byte[]>> letters = dead.readRecordsToList();
            assertThat(letters).hasSize(1);
            assertThat(letters.get(0).value()).isEqualTo(Fixtures.corruptJpeg());
            DeadLettered letter = FrameqSerdes.deadLetter().deserializer().deserialize("dead", letters.get(0).headers(),
                    letters.get(0).value());
            assertThat(letter.letter().stage()).isEqualTo("decode");
            assertThat(letter.letter().reason()).isNotBlank();
            assertThat(new String(letters.get(0).headers().lastHeader(DeadLetter.H_STAGE).value(), StandardCharsets.UTF_8))
                    .isEqualTo("decode");
        }
    }

    @Test
    void processorApiAddsPrefixedNodesStoresAndSinksAfterTheCallersSource() {
        Topology topology = new Topology();
        topology.addSource("my-source", new StringDeserializer(), new ByteArrayDeserializer(), "frames");
        List<String> dlqParents = required().optNamePrefix("q-").build()
                .addTo(topology, "my-source", new FrameqTopics("s", "a", "d", null));
        assertThat(dlqParents).containsExactly("q-decode", "q-detect", "q-score-nr");
        assertThat(topology.describe().toString()).contains("q-scores-sink", "q-alerts-sink", "q-dlq-sink", "q-frameq-verdict-state");

        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props("frameq-api-papi"))) {
            TestInputTopic<String, byte[]> frames = driver.createInputTopic("frames", new StringSerializer(), new ByteArraySerializer());
            TestOutputTopic<String, byte[]> scores = driver.createOutputTopic("s", new StringDeserializer(), new ByteArrayDeserializer());
            TestOutputTopic<String, byte[]> dlq = driver.createOutputTopic("d", new StringDeserializer(), new ByteArrayDeserializer());
            frames.pipeInput(new TestRecord<>("cam-2", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 7, -1), 1L));
            frames.pipeInput(new TestRecord<>(null, Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 8, -1), 2L));
            List<byte[]> events = scores.readValuesToList();
            assertThat(events).hasSize(1);
            assertThat(EventSchema.scoreEvent().violations(events.get(0))).isEmpty();
            assertThat(dlq.readRecordsToList()).singleElement()
                    .satisfies(r -> assertThat(Fixtures.header(r.headers(), DeadLetter.H_REASON)).isEqualTo("missing_key"));
        }
    }

    @Test
    void dslScoresFullReferencePairsIntoTypedFrEvents() {
        try (FrScorer fr = FrScorer.open(ModelRepository.bundled(), "vtamiq-lite", ort)) {
            StreamsBuilder builder = new StreamsBuilder();
            FrameqOperators frameq = required().optNamePrefix("cdn-").optFullReference(FullReferenceModel.of(fr)).build();
            FrameqFrStreams out = frameq.scoreFullReference(
                    builder.stream("origins", Consumed.with(Serdes.String(), Serdes.ByteArray())),
                    builder.stream("renditions", Consumed.with(Serdes.String(), Serdes.ByteArray())), 1);
            out.scores().to("fr-scores", Produced.with(Serdes.String(), FrameqSerdes.frScoreEvent()));
            out.deadLetters().to("fr-dead", Produced.with(Serdes.String(), FrameqSerdes.deadLetter()));
            Topology topology = builder.build();
            assertThat(topology.describe().toString()).contains("cdn-fr-route", "cdn-fr-join", "cdn-fr-score",
                    "cdn-frameq-fr-origin-buffer", "cdn-fr-rendition-by-origin-repartition");

            try (TopologyTestDriver driver = new TopologyTestDriver(topology, props("frameq-api-fr"))) {
                TestInputTopic<String, byte[]> origins = driver.createInputTopic("origins", new StringSerializer(),
                        new ByteArraySerializer());
                TestInputTopic<String, byte[]> renditions = driver.createInputTopic("renditions", new StringSerializer(),
                        new ByteArraySerializer());
                TestOutputTopic<String, byte[]> scores = driver.createOutputTopic("fr-scores", new StringDeserializer(),
                        new ByteArrayDeserializer());
                TestOutputTopic<String, byte[]> dead = driver.createOutputTopic("fr-dead", new StringDeserializer(),
                        new ByteArrayDeserializer());

                origins.pipeInput(new TestRecord<>("cat", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 1, 1000), 1000L));
                renditions.pipeInput(new TestRecord<>("cat@720p", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 1, 1000),
                        1000L));
                renditions.pipeInput(new TestRecord<>("orphan", Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 1, 1000),
                        1000L));

                List<TestRecord<String, byte[]>> events = scores.readRecordsToList();
                assertThat(events).hasSize(1);
                assertThat(EventSchema.frScoreEvent().violations(events.get(0).value())).isEmpty();
                FrScoreEvent e = FrameqSerdes.frScoreEvent().deserializer().deserialize("fr-scores", events.get(0).value());
                assertThat(events.get(0).key()).isEqualTo("cat@720p");
                assertThat(e.origin()).isEqualTo("cat");
                assertThat(e.fr().matched()).isTrue();
                assertThat(e.classic().psnr()).as("a rendition identical to its origin").isNull(); // infinite PSNR is written as null
                assertThat(dead.readRecordsToList()).singleElement().satisfies(r -> {
                    assertThat(r.key()).isEqualTo("orphan");
                    assertThat(Fixtures.header(r.headers(), DeadLetter.H_STAGE)).isEqualTo("fr-route");
                    assertThat(Fixtures.header(r.headers(), DeadLetter.H_REASON)).isEqualTo("no_origin");
                });
            }
        }
    }

    @Test
    void fullReferenceWithoutItsModelIsRefusedPlainly() {
        assertThatThrownBy(() -> required().build().scoreFullReference(null, null, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("scoreFullReference: expected full-reference scoring set with optFullReference(..), actual none");
    }

    @Test
    void addToRefusesMissingOrRepeatedTopicsPlainly() {
        FrameqOperators frameq = required().build();
        assertThatThrownBy(() -> frameq.addTo(new Topology(), "src", new FrameqTopics("x", "x", null, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("topics.deadLetters: expected a topic name, actual null")
                .hasMessageContaining("to all differ, actual [x, x, null]");
    }

    private Properties props(String app) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return p;
    }
}
