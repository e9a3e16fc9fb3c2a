package io.frameq.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.frameq.baseline.BaselineJudge;
import io.frameq.baseline.BaselineSettings;
import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.frame.ContentType;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameMetadata;
import io.frameq.frame.RgbImage;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.quality.FrameScorer;
import io.frameq.quality.NrScore;
import io.frameq.quality.NrScorer;
import io.frameq.processor.VerdictPolicy;
import io.frameq.route.RoutePolicy;
import io.frameq.scoring.FrameJudge;
import io.frameq.scoring.ScoreEventFactory;
import io.frameq.verdict.HysteresisPolicy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The start-up warm-up on the real decoders, detectors, baseline judge and the bundled maniqa-lite through ONNX
 * Runtime, on the bundled warm-up frame: how many times each stage runs, the time bound, the stop condition and
 * the builder's validation. That it emits nothing on a real broker is {@code StartupWarmUpIT}'s.
 */
class StartupWarmUpTest {

    private static byte[] frame;
    private static FrameDecoders decoders;
    private static OrtRuntime ort;
    private static NrScorer nr;

    @BeforeAll
    static void open() {
        frame = StartupWarmUp.bundledFrame();
        decoders = new FrameDecoders(DecodeLimits.DEFAULT);
        ort = OrtRuntime.create(ExecutionConfig.parse("cpu").withThreads(1, 1));
        nr = NrScorer.open(ModelRepository.bundled(), "maniqa-lite", ort);
    }

    @AfterAll
    static void close() {
        nr.close();
        ort.close();
        decoders.close();
    }

    /** The real scorer, counted: how many model runs the warm-up asked for. */
    private record Counting(FrameScorer scorer, AtomicInteger calls) implements FrameScorer {
        @Override
        public NrScore score(RgbImage image) {
            calls.incrementAndGet();
            return scorer.score(image);
        }

        @Override
        public io.frameq.model.ModelDescriptor descriptor() {
            return scorer.descriptor();
        }
    }

    private static StartupWarmUp.Builder base() {
        return StartupWarmUp.builder().setFrame(frame).setDecoders(decoders)
                .setDetectors(new DetectorSuite(DetectorThresholds.DEFAULTS)).setJudge(new BaselineJudge(BaselineSettings.DEFAULTS));
    }

    @Test
    void theWarmUpFrameIsA1080pJpegFromTheBundledClip() {
        RgbImage image = decoders.decode(frame, FrameMetadata.of(ContentType.JPEG)).get(0).image();
        assertThat(image.width()).isEqualTo(1920);
        assertThat(image.height()).isEqualTo(1080);
    }

    @Test
    void everyStageRunsOncePerRoundAndTheModelOnlyInTheFirstRounds() {
        Counting counting = new Counting(nr, new AtomicInteger());
        StartupWarmUp.Report r = base().setBudgetMs(600_000).optMaxRounds(4).optReducedMinWidth(640)
                .optScorer(counting, 2).optEvents(new FrameJudge(new VerdictPolicy(0.45), HysteresisPolicy.DEFAULTS,
                        RoutePolicy.DEFAULTS), new ScoreEventFactory(nr.descriptor())).build().run();
        assertThat(r.failure()).isNull();
        assertThat(r.rounds()).isEqualTo(4);
        assertThat(r.fullDecodes()).isEqualTo(4);
        assertThat(r.reducedDecodes()).as("decode.jpeg.reduced.min.width 640: the detectors' shrunk decode").isEqualTo(4);
        assertThat(r.detections()).isEqualTo(4);
        assertThat(r.judgements()).isEqualTo(4);
        assertThat(r.modelRuns()).isEqualTo(2);
        assertThat(counting.calls()).as("model runs the real scorer made").hasValue(2);
        assertThat(r.events()).as("a score event built (and dropped) per round").isEqualTo(4);
    }

    @Test
    void withoutReducedDecodeOrScorerOnlyTheFullDecodeAndDetectorsRun() {
        StartupWarmUp.Report r = base().setBudgetMs(600_000).optMaxRounds(2).build().run();
        assertThat(r.rounds()).isEqualTo(2);
        assertThat(r.fullDecodes()).isEqualTo(2);
        assertThat(r.reducedDecodes()).isZero();
        assertThat(r.detections()).isEqualTo(2);
        assertThat(r.modelRuns()).isZero();
        assertThat(r.events()).isZero();
    }

    @Test
    void roundsStopOnceTheTimeIsSpent() {
        StartupWarmUp.Report r = assertTimeoutPreemptively(Duration.ofSeconds(120),
                () -> base().setBudgetMs(400).optReducedMinWidth(640).build().run(),
                "a 400 ms warm-up must end (the round under way finishes)");
        assertThat(r.failure()).isNull();
        assertThat(r.rounds()).isPositive();
        assertThat(r.elapsedMs()).as("rounds start until the budget is spent").isGreaterThanOrEqualTo(400);
        assertThat(r.reducedDecodes()).isEqualTo(r.rounds());
    }

    @Test
    void aStopConditionEndsItBeforeTheNextRound() {
        AtomicInteger asked = new AtomicInteger();
        StartupWarmUp.Report r = base().setBudgetMs(600_000).optStop(() -> asked.incrementAndGet() > 3).build().run();
        assertThat(r.rounds()).as("three rounds, then the instance closes").isEqualTo(3);
    }

    @Test
    void aFailingStageEndsTheWarmUpWithoutThrowing() {
        StartupWarmUp.Report r = base().setFrame(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3}).setBudgetMs(1_000).build().run();
        assertThat(r.rounds()).isZero();
        assertThat(r.failure()).as("a broken warm-up frame is reported, start-up goes on").isNotNull();
    }

    @Test
    void validationListsEveryProblem() {
        List<String> problems = StartupWarmUp.builder().setBudgetMs(0).optMaxRounds(0).optReducedMinWidth(-1).validate();
        assertThat(String.join("\n", problems)).contains("frame", "decoders", "detectors", "judge", "budgetMs", "reducedMinWidth",
                "maxRounds");
        assertThat(StartupWarmUp.builder().optEvents(null, new ScoreEventFactory(nr.descriptor())).validate())
                .anyMatch(p -> p.contains("events") && p.contains("no FrameJudge"));
        assertThatThrownBy(() -> StartupWarmUp.builder().build()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("decoders");
    }
}
