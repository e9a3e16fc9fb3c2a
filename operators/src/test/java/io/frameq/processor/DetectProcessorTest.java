package io.frameq.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.frameq.baseline.BaselineCodec;
import io.frameq.baseline.BaselineJudge;
import io.frameq.baseline.BaselineSettings;
import io.frameq.baseline.SceneMode;
import io.frameq.baseline.StreamBaseline;
import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.Frame;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameSource;
import io.frameq.frame.RgbImage;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.testing.Fixtures;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The detect stage's in-memory baselines never outlive what its store says: Kafka Streams revives a corrupted
 * task (an aborted exactly-once transaction) by wiping and restoring its stores and calling {@code init} again on
 * the same processor; the frames replayed after that must be judged against the restored baseline, not against
 * one that already learnt from them. (Found by {@code ScaleOutIT}, whose events then differed from an
 * uninterrupted run.)
 */
class DetectProcessorTest {

    private static final long T0 = 1_700_000_000_000L;

    @Test
    void aReInitialisedProcessorReadsTheBaselineFromItsStoreAgain() throws Exception {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(T0);
        KeyValueStore<String, byte[]> thumbnails = store(context, "thumbs");
        KeyValueStore<String, byte[]> baselines = store(context, "baselines");
        DetectProcessor detect = new DetectProcessor(new DetectorSuite(DetectorThresholds.DEFAULTS),
                new BaselineJudge(BaselineSettings.DEFAULTS), FrameqMetrics.none(), "thumbs", "baselines",
                Outlet.downstream(), Outlet.downstream());
        RgbImage photo;
        try (FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            photo = decoders.decode(Fixtures.chelseaJpeg(), Fixtures.headers("image/jpeg", 0, T0)).get(0).image();
        }
        detect.init(context);
        for (int i = 0; i < 3; i++) {
            detect.process(frame(photo, i, T0 + 2_000L * i));
        }
        assertThat(context.forwarded()).as("frames the detectors judged").allSatisfy(f -> assertThat(f.record().value()).isInstanceOf(AnalyzedFrame.class));
        // the same photo three times, 2 s apart: the first two are learnt, the third is already frozen
        assertThat(samples(baselines.get("cam"))).as("baseline samples after 3 frames 2 s apart").isEqualTo(2);

        // what a revive does: the store goes back to the last committed state (here: nothing yet), init runs again
        baselines.delete("cam");
        thumbnails.delete("cam");
        detect.init(context);
        detect.process(frame(photo, 0, T0));

        assertThat(samples(baselines.get("cam"))).as("baseline samples after the replayed first frame").isEqualTo(1);
        assertThat(context.forwarded()).as("frames the detectors judged").hasSize(4)
                .allSatisfy(f -> assertThat(f.record().value()).isInstanceOf(AnalyzedFrame.class));
    }

    private static Record<String, DecodeProcessor.DecodedInput> frame(RgbImage image, long seq, long captureTs) {
        Frame f = new Frame("cam", seq, -1, captureTs, System.nanoTime(), image, new FrameSource("frames", 0, seq, 0), new byte[0]);
        return new Record<>("cam", new DecodeProcessor.DecodedInput(f, 0), captureTs, new RecordHeaders());
    }

    private static int samples(byte[] stored) {
        StreamBaseline b = BaselineCodec.decode(stored, BaselineSettings.DEFAULTS.capacity());
        return b.samples(SceneMode.DAY) + b.samples(SceneMode.NIGHT);
    }

    private static KeyValueStore<String, byte[]> store(MockProcessorContext<String, Object> context, String name) {
        KeyValueStore<String, byte[]> s = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(),
                Serdes.ByteArray()).withLoggingDisabled().build();
        s.init(context.getStateStoreContext(), s);
        context.addStateStore(s);
        return s;
    }
}
