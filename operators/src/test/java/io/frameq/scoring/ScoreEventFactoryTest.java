package io.frameq.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.frameq.detect.Degradation;
import io.frameq.event.EventJson;
import io.frameq.event.ScoreEvent;
import io.frameq.frame.Frame;
import io.frameq.frame.FrameHeaders;
import io.frameq.frame.FrameSource;
import io.frameq.frame.RgbImage;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelRepository;
import io.frameq.processor.VerdictPolicy;
import io.frameq.quality.NrScore;
import io.frameq.route.RoutePolicy;
import io.frameq.testing.EventSchema;

import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

/** The score event and its headers from values: what the scores topic carries, checked against its schema. */
class ScoreEventFactoryTest {

    private static final ModelDescriptor MODEL = ModelRepository.bundled().resolve("maniqa-lite");
    private static final ScoreEventFactory EVENTS = new ScoreEventFactory(MODEL);
    private static final FrameJudge JUDGE = new FrameJudge(new VerdictPolicy(0.45), null, RoutePolicy.DEFAULTS);

    private static Frame frame() {
        return new Frame("cam-7", 12, 480, 1_700_000_000_000L, 0, new RgbImage(4, 2, new byte[4 * 2 * 3]),
                new FrameSource("frames", 3, 99, 1), new byte[] {1, 2});
    }

    @Test
    void aScoredFrameBecomesAValidEventWithItsSourceModelAndLatency() {
        var report = FrameJudgeTest.report(Degradation.NOISE);
        NrScore score = new NrScore(MODEL.name(), MODEL.version(), MODEL.trained(), 3.1, 0.7, new double[] {3.1}, 1, 2, 3);
        ScoreEvent e = EVENTS.event(frame(), report, score, JUDGE.judge("cam-7", report, 0.7, true, null),
                new ScoreEventFactory.Latency(2_000_000, 1_000_000, 6, 5_000_000), 1_700_000_000_500L);

        assertThat(e.eventId()).isEqualTo("frames/3/99/1");
        assertThat(e.stream()).isEqualTo("cam-7");
        assertThat(e.seq()).isEqualTo(12);
        assertThat(e.width()).isEqualTo(4);
        assertThat(e.model().name()).isEqualTo("maniqa-lite");
        assertThat(e.score()).isEqualTo(3.1);
        assertThat(e.shed()).isFalse();
        assertThat(e.degradations()).containsExactly("noise");
        assertThat(e.route()).isEqualTo("quality");
        assertThat(e.latencyMs()).containsEntry("decode", 2.0).containsEntry("pipeline", 5.0).containsKeys("detect", "score");
        assertThat(e.detectors().get("frozen_diff")).as("NaN is written as null").isNull();
        assertThat(EventSchema.scoreEvent().violations(EventJson.toBytes(e))).isEmpty();
    }

    @Test
    void aShedFrameHasNoScoreButIsStillJudgedOnItsFlags() {
        var report = FrameJudgeTest.report();
        ScoreEvent e = EVENTS.event(frame(), report, null, JUDGE.judge("cam-7", report, null, true, null),
                new ScoreEventFactory.Latency(0, 0, 0, 0), 1L);
        assertThat(e.shed()).isTrue();
        assertThat(e.score()).isNull();
        assertThat(e.quality()).isNull();
        assertThat(e.verdict()).isEqualTo("ok");
        assertThat(EventSchema.scoreEvent().violations(EventJson.toBytes(e))).isEmpty();
    }

    @Test
    void headersCarryTheJsonContentTypeAndTheEventId() {
        var report = FrameJudgeTest.report();
        ScoreEvent e = EVENTS.event(frame(), report, null, JUDGE.judge("cam-7", report, null, true, null),
                new ScoreEventFactory.Latency(0, 0, 0, 0), 1L);
        Headers h = ScoreEventFactory.headers(e);
        assertThat(new String(h.lastHeader(FrameHeaders.CONTENT_TYPE).value(), StandardCharsets.UTF_8)).isEqualTo("application/json");
        assertThat(new String(h.lastHeader(FrameHeaders.EVENT_ID).value(), StandardCharsets.UTF_8)).isEqualTo("frames/3/99/1");
    }
}
