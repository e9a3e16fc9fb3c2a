package io.frameq.processor;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.frameq.event.EventJson;
import io.frameq.event.FrScoreEvent;
import io.frameq.event.ScoreEvent;
import io.frameq.frame.Frame;
import io.frameq.frame.FrameHeaders;
import io.frameq.frame.RgbImage;
import io.frameq.join.FramePair;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.model.ModelDescriptor;
import io.frameq.quality.ClassicFr;
import io.frameq.quality.FrScore;
import io.frameq.quality.FrScorer;
import io.frameq.translate.BicubicResampler;
import io.frameq.translate.FrTranslator;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Scores each origin/rendition pair: the rendition is brought onto the origin's pixel grid with
 * {@link BicubicResampler} (VMAF's practice: upsample the rendition to the reference resolution,
 * bicubic), then the full-reference model ({@link FrScorer}, e.g. VTAMIQ) and the classic PSNR,
 * SSIM and MS-SSIM ({@link ClassicFr}, luma) run on the same pair, and one {@link FrScoreEvent}
 * carrying both goes to the scores topic. A rendition whose aspect ratio is not its origin's, or a
 * failed model run, goes to the DLQ with the rendition's bytes.
 */
public final class FrScoreProcessor implements Processor<String, FramePair, String, Object> {

    public static final String STAGE = "fr-score";
    public static final String RESCALE_NONE = "none";
    public static final String RESCALE_BICUBIC = "bicubic";

    private final FrScorer scorer;
    private final FrameqMetrics metrics;
    private final String scoresChild;
    private final DeadLetters deadLetters;
    private final ModelDescriptor model;
    private final ScoreEvent.ModelInfo modelInfo;
    private ProcessorContext<String, Object> context;

    public FrScoreProcessor(FrScorer scorer, FrameqMetrics metrics, String scoresChild, String dlqChild) {
        this.scorer = scorer;
        this.metrics = metrics;
        this.scoresChild = scoresChild;
        this.deadLetters = new DeadLetters(dlqChild, metrics);
        this.model = scorer.descriptor();
        this.modelInfo = new ScoreEvent.ModelInfo(model.name(), model.version(), model.family().wire(), model.trained());
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, FramePair> record) {
        FramePair pair = record.value();
        Frame origin = pair.origin();
        Frame rendition = pair.rendition();
        RgbImage ref = origin.image();
        RgbImage dist = rendition.image();
        double aspectGap = Math.abs((double) dist.width() / dist.height() / ((double) ref.width() / ref.height()) - 1);
        if (aspectGap > FrTranslator.MAX_ASPECT_MISMATCH) {
            deadLetters.send(context, record, rendition.payload(), rendition.source(), STAGE, "not_a_rendition",
                    new IllegalArgumentException("rendition " + pair.renditionId() + " " + dist.width() + "x" + dist.height()
                            + ": expected the aspect ratio of origin " + origin.streamId() + " " + ref.width() + "x" + ref.height()
                            + " within " + FrTranslator.MAX_ASPECT_MISMATCH * 100 + " %"));
            return;
        }
        long t0 = System.nanoTime();
        RgbImage onGrid = BicubicResampler.resize(dist, ref.width(), ref.height());
        long t1 = System.nanoTime();
        FrScore score;
        try {
            score = scorer.score(ref, onGrid);
        } catch (RuntimeException e) {
            deadLetters.send(context, record, rendition.payload(), rendition.source(), STAGE, "inference_error", e);
            return;
        }
        long t2 = System.nanoTime();
        double psnr = ClassicFr.psnr(ref, onGrid);
        double ssim = ClassicFr.ssim(ref, onGrid);
        double msSsim;
        try {
            msSsim = ClassicFr.msSsim(ref, onGrid);
        } catch (IllegalArgumentException e) {
            msSsim = Double.NaN; // too small for five scales: reported as null
        }
        long t3 = System.nanoTime();
        metrics.stage(STAGE, model.name(), t2 - t1);
        metrics.stage("fr-classic", "-", t3 - t2);

        long now = System.currentTimeMillis();
        Map<String, Double> latency = new LinkedHashMap<>();
        latency.put("decode", pair.decodeNanos() / 1e6);
        latency.put("rescale", (t1 - t0) / 1e6);
        latency.put("score", (t2 - t1) / 1e6);
        latency.put("classic", (t3 - t2) / 1e6);
        latency.put("join_wait", (double) pair.joinWaitMs());
        latency.put("pipeline", (System.nanoTime() - Math.min(origin.receivedNanos(), rendition.receivedNanos())) / 1e6);
        FrScoreEvent event = new FrScoreEvent("fr/" + rendition.source().eventId(), FrScoreEvent.TYPE, pair.renditionId(),
                origin.streamId(), rendition.seq(), rendition.ptsMillis(), rendition.captureTimeMs(), now,
                source(rendition), source(origin), dist.width(), dist.height(), ref.width(), ref.height(),
                onGrid == dist ? RESCALE_NONE : RESCALE_BICUBIC, modelInfo, score.score(), score.quality(),
                new FrScoreEvent.Classic(finite(psnr), finite(ssim), finite(msSsim)),
                new FrScoreEvent.Join(true, null, null, (double) pair.joinWaitMs()), latency);
        RecordHeaders headers = new RecordHeaders();
        headers.add(FrameHeaders.CONTENT_TYPE, "application/json".getBytes(StandardCharsets.UTF_8));
        headers.add(FrameHeaders.EVENT_ID, event.eventId().getBytes(StandardCharsets.UTF_8));
        headers.add(FrameHeaders.EVENT_TYPE, FrScoreEvent.TYPE.getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<String, Object>(pair.renditionId(), EventJson.toBytes(event), record.timestamp(), headers),
                scoresChild);
        metrics.fr().pairScored(pair.renditionId(), model.name(), score.quality(), psnr, ssim, msSsim, pair.joinWaitMs() / 1000.0);
    }

    private static ScoreEvent.Source source(Frame f) {
        return new ScoreEvent.Source(f.source().topic(), f.source().partition(), f.source().offset(), f.source().index());
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
