package io.frameq.processor;

import io.frameq.event.EventJson;
import io.frameq.event.FrScoreEvent;
import io.frameq.join.FramePair;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.quality.FrScorer;
import io.frameq.scoring.FrPairScorer;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Scores each origin/rendition pair ({@link FrPairScorer}: rescale, full-reference model, PSNR/SSIM/MS-SSIM)
 * and hands on one {@link FrScoreEvent}. A rendition whose aspect ratio is not its origin's, or a failed
 * model run, is dead-lettered with the rendition's bytes.
 */
public final class FrScoreProcessor implements Processor<String, FramePair, String, Object> {

    public static final String STAGE = "fr-score";
    public static final String RESCALE_NONE = FrPairScorer.RESCALE_NONE;
    public static final String RESCALE_BICUBIC = FrPairScorer.RESCALE_BICUBIC;

    private final FrPairScorer pairs;
    private final FrameqMetrics metrics;
    private final Outlet<FrScoreEvent> scores;
    private final DeadLetters deadLetters;
    private ProcessorContext<String, Object> context;

    /** Processor API form: events as JSON bytes to the sink {@code scoresChild}, failures to the DLQ sink {@code dlqChild}. */
    public FrScoreProcessor(FrScorer scorer, FrameqMetrics metrics, String scoresChild, String dlqChild) {
        this(FrPairScorer.of(scorer), metrics, Outlet.toChild(scoresChild, EventJson::toBytes), DeadLetters.toSink(dlqChild));
    }

    public FrScoreProcessor(FrPairScorer pairs, FrameqMetrics metrics, Outlet<FrScoreEvent> scores, Outlet<DeadLettered> deadLetters) {
        this.pairs = pairs;
        this.metrics = metrics;
        this.scores = scores;
        this.deadLetters = new DeadLetters(deadLetters, metrics);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, FramePair> record) {
        FramePair pair = record.value();
        var rendition = pair.rendition();
        var problem = FrPairScorer.notARendition(pair);
        if (problem.isPresent()) {
            deadLetters.send(context, record, rendition.payload(), rendition.source(), STAGE, "not_a_rendition",
                    new IllegalArgumentException(problem.get()));
            return;
        }
        FrPairScorer.PairScore s;
        try {
            s = pairs.score(pair);
        } catch (RuntimeException e) {
            deadLetters.send(context, record, rendition.payload(), rendition.source(), STAGE, "inference_error", e);
            return;
        }
        metrics.stage(STAGE, pairs.modelName(), s.modelNanos());
        metrics.stage("fr-classic", "-", s.classicNanos());
        FrScoreEvent event = pairs.event(s, System.currentTimeMillis(),
                System.nanoTime() - Math.min(pair.origin().receivedNanos(), rendition.receivedNanos()));
        scores.send(context, new Record<>(pair.renditionId(), event, record.timestamp(), FrPairScorer.headers(event)));
        metrics.fr().pairScored(pair.renditionId(), pairs.modelName(), s.model().quality(), s.psnr(), s.ssim(), s.msSsim(),
                pair.joinWaitMs() / 1000.0);
    }
}
