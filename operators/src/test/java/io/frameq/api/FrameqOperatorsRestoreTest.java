package io.frameq.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Random;

import io.frameq.baseline.BaselineSettings;
import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameHeaders;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;
import io.frameq.metrics.RestoreMetrics;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.processor.RestoreSettings;
import io.frameq.processor.RestoredFrame;
import io.frameq.quality.NrScorer;
import io.frameq.restore.Restorer;
import io.frameq.restore.TiledRestorer;
import io.frameq.route.BudgetPolicy;
import io.frameq.testing.Fixtures;
import io.frameq.testing.Images;
import io.frameq.testing.TestModels;

import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DSL's restore branch: a noisy frame routed to the quality restorer comes out of
 * {@code restored()} as a typed {@link RestoredFrame} carrying the restored-topic headers; a clean one does not.
 * tiny-nr is untrained, so the verdicts rest on the detectors alone.
 */
class FrameqOperatorsRestoreTest {

    @TempDir
    Path stateDir;

    @Test
    void aRoutedFrameComesOutRestoredAndTyped() throws Exception {
        RgbImage clean = Images.resource("/detect/coffee.png");
        ModelRepository project = ModelRepository.of(List.of(TestModels.PROJECT_REPO), false);
        try (OrtRuntime ort = OrtRuntime.create(ExecutionConfig.cpu().withThreads(2, 1));
             NrScorer scorer = NrScorer.open(ModelRepository.of(List.of(TestModels.REPO), false), "tiny-nr", ort);
             Restorer lpienet = Restorer.open(project, "lpienet-lite", ort);
             Restorer mirnet = Restorer.open(project, "mirnet-v2-lite", ort);
             FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            FrameqOperators frameq = FrameqOperators.builder()
                    .setDecoders(decoders).setDetectors(new DetectorSuite(DetectorThresholds.DEFAULTS)).setScorer(scorer)
                    .optBaseline(BaselineSettings.OFF)
                    .optRestore(new RestoreSettings(new TiledRestorer(mirnet, 256, 32), new TiledRestorer(lpienet, 256, 32), 85,
                            new BudgetPolicy(1.0, 10, 1.0, 10_000)), RestoreMetrics.none())
                    .build();
            StreamsBuilder builder = new StreamsBuilder();
            FrameqStreams out = frameq.score(builder.stream("frames", Consumed.with(Serdes.String(), Serdes.ByteArray())));
            out.restored().mapValues(r -> r.restorer() + " " + r.scored().route() + " " + r.jpeg().length)
                    .to("restored", Produced.with(Serdes.String(), Serdes.String()));
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "frameq-api-restore");
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), p)) {
                TestInputTopic<String, byte[]> frames = driver.createInputTopic("frames", new StringSerializer(), new ByteArraySerializer());
                TestOutputTopic<String, String> restored = driver.createOutputTopic("restored", new StringDeserializer(),
                        new StringDeserializer());
                frames.pipeInput(new TestRecord<>("cam-clean", ImageEncoder.png(clean), Fixtures.headers("image/png", 0, 1000), 1000L));
                frames.pipeInput(new TestRecord<>("cam-noise", ImageEncoder.png(noisy(clean)), Fixtures.headers("image/png", 0, 1000),
                        1000L));

                List<TestRecord<String, String>> records = restored.readRecordsToList();
                assertThat(records).singleElement().satisfies(r -> {
                    assertThat(r.key()).isEqualTo("cam-noise");
                    assertThat(r.value()).matches("mirnet-v2-lite quality [1-9][0-9]*");
                    assertThat(Fixtures.header(r.headers(), FrameHeaders.RESTORER)).isEqualTo("mirnet-v2-lite");
                    assertThat(Fixtures.header(r.headers(), FrameHeaders.CONTENT_TYPE)).isEqualTo("image/jpeg");
                });
            }
        }
    }

    private static RgbImage noisy(RgbImage clean) {
        Random rnd = new Random(1);
        byte[] px = clean.pixels().clone();
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.max(0, Math.min(255, (px[i] & 0xff) + (int) Math.round(rnd.nextGaussian() * 25)));
        }
        return new RgbImage(clean.width(), clean.height(), px);
    }
}
