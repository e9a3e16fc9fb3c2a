package io.frameq.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

import io.frameq.event.EventJson;
import io.frameq.event.FrScoreEvent;
import io.frameq.frame.Frame;
import io.frameq.frame.FrameHeaders;
import io.frameq.frame.FrameSource;
import io.frameq.frame.RgbImage;
import io.frameq.join.BufferedFrame;
import io.frameq.join.FramePair;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelRepository;
import io.frameq.quality.FrScore;
import io.frameq.testing.EventSchema;

import org.junit.jupiter.api.Test;

/** Full-reference pair scoring and its event, with a stand-in model: no Kafka, no ONNX session. */
class FrPairScorerTest {

    private static final ModelDescriptor MODEL = ModelRepository.bundled().resolve("vtamiq-lite");

    private static RgbImage gradient(int w, int h) {
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                px[i] = (byte) (x * 255 / w);
                px[i + 1] = (byte) (y * 255 / h);
                px[i + 2] = (byte) ((x + y) * 255 / (w + h));
            }
        }
        return new RgbImage(w, h, px);
    }

    private static Frame frame(String stream, RgbImage image, String topic, long offset) {
        return new Frame(stream, 3, 120, 5_000, System.nanoTime(), image, new FrameSource(topic, 0, offset, 0), new byte[] {1});
    }

    private static FramePair pair(RgbImage origin, RgbImage rendition) {
        return new FramePair(frame("movie", origin, "origins", 10), frame("movie@360p", rendition, "renditions", 20),
                "movie@360p", 40, 2_000_000);
    }

    @Test
    void aSmallerRenditionIsRescaledOntoTheOriginsGridAndScoredByModelAndClassicMetrics() {
        AtomicReference<RgbImage> seenByModel = new AtomicReference<>();
        FrPairScorer scorer = new FrPairScorer(MODEL, (ref, dist) -> {
            seenByModel.set(dist);
            return new FrScore(MODEL.name(), MODEL.version(), MODEL.trained(), 0.8, 0.8, 4, false, 1, 2, 3);
        });
        FramePair pair = pair(gradient(192, 108), gradient(96, 54));
        assertThat(FrPairScorer.notARendition(pair)).isEmpty();

        FrPairScorer.PairScore s = scorer.score(pair);
        assertThat(seenByModel.get().width()).as("the model compares on the origin's grid").isEqualTo(192);
        assertThat(s.rescaled()).isTrue();
        assertThat(s.psnr()).isGreaterThan(20);
        assertThat(s.ssim()).isBetween(0.5, 1.0);

        FrScoreEvent e = scorer.event(s, 9_000, 7_000_000);
        assertThat(e.eventId()).isEqualTo("fr/renditions/0/20/0");
        assertThat(e.stream()).isEqualTo("movie@360p");
        assertThat(e.origin()).isEqualTo("movie");
        assertThat(e.rescaled()).isEqualTo(FrPairScorer.RESCALE_BICUBIC);
        assertThat(e.width()).isEqualTo(96);
        assertThat(e.refWidth()).isEqualTo(192);
        assertThat(e.quality()).isEqualTo(0.8);
        assertThat(e.latencyMs()).containsEntry("join_wait", 40.0).containsEntry("decode", 2.0).containsEntry("pipeline", 7.0);
        assertThat(EventSchema.frScoreEvent().violations(EventJson.toBytes(e))).isEmpty();
        assertThat(new String(FrPairScorer.headers(e).lastHeader(FrameHeaders.EVENT_TYPE).value(), StandardCharsets.UTF_8))
                .isEqualTo(FrScoreEvent.TYPE);
    }

    @Test
    void aPictureOfAnotherAspectRatioIsNotARendition() {
        assertThat(FrPairScorer.notARendition(pair(gradient(192, 108), gradient(100, 100))))
                .hasValueSatisfying(why -> assertThat(why).contains("movie@360p 100x100", "origin movie 192x108"));
    }

    @Test
    void aRenditionThatNeverPairedIsReportedUnderItsOwnIdWithTheReason() {
        BufferedFrame b = new BufferedFrame("movie", "movie@360p", 3, 3, 120, 5_000, 5_000, 10_000,
                new FrameSource("renditions", 1, 77, 0), "image/jpeg", 96, 54, false, new byte[] {1});
        FrScoreEvent e = FrPairScorer.unmatched(b, FrScoreEvent.SIDE_RENDITION, "no_partner", 12_500);
        assertThat(e.eventId()).isEqualTo("fr-unmatched/rendition/renditions/1/77/0");
        assertThat(e.stream()).isEqualTo("movie@360p");
        assertThat(e.origin()).isEqualTo("movie");
        assertThat(e.fr().matched()).isFalse();
        assertThat(e.fr().reason()).isEqualTo("no_partner");
        assertThat(e.fr().waitMs()).isEqualTo(2_500.0);
        assertThat(e.quality()).isNull();
        assertThat(EventSchema.frScoreEvent().violations(EventJson.toBytes(e))).isEmpty();
        assertThat(FrPairScorer.unmatched(b, FrScoreEvent.SIDE_ORIGIN, "late", 12_500).stream()).isEqualTo("movie");
    }

    @Test
    void aModelFailurePropagatesForTheCallerToDeadLetter() {
        FrPairScorer scorer = new FrPairScorer(MODEL, (ref, dist) -> {
            throw new IllegalStateException("session closed");
        });
        assertThatThrownBy(() -> scorer.score(pair(gradient(64, 36), gradient(64, 36)))).hasMessage("session closed");
    }
}
