package io.frameq.scoring;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;

import io.frameq.event.FrScoreEvent;
import io.frameq.event.ScoreEvent;
import io.frameq.frame.Frame;
import io.frameq.frame.FrameHeaders;
import io.frameq.frame.RgbImage;
import io.frameq.frame.FrameSource;
import io.frameq.join.BufferedFrame;
import io.frameq.join.FramePair;
import io.frameq.model.ModelDescriptor;
import io.frameq.quality.ClassicFr;
import io.frameq.quality.FrScore;
import io.frameq.quality.FrScorer;
import io.frameq.translate.BicubicResampler;
import io.frameq.translate.FrTranslator;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Scores one origin/rendition pair and builds its {@link FrScoreEvent}: the rendition is brought onto
 * the origin's pixel grid with {@link BicubicResampler} (VMAF's practice: upsample the rendition to
 * the reference resolution, bicubic), then the full-reference model and the classic PSNR, SSIM and
 * MS-SSIM ({@link ClassicFr}, luma) run on the same pair.
 */
public final class FrPairScorer {

    public static final String RESCALE_NONE = "none";
    public static final String RESCALE_BICUBIC = "bicubic";

    private final BiFunction<RgbImage, RgbImage, FrScore> model;
    private final ScoreEvent.ModelInfo modelInfo;
    private final String modelName;

    /** @param model the full-reference model: reference and distorted image (same size) in, score out */
    public FrPairScorer(ModelDescriptor descriptor, BiFunction<RgbImage, RgbImage, FrScore> model) {
        Objects.requireNonNull(descriptor, "descriptor");
        this.model = Objects.requireNonNull(model, "model");
        this.modelName = descriptor.name();
        this.modelInfo = new ScoreEvent.ModelInfo(descriptor.name(), descriptor.version(), descriptor.family().wire(),
                descriptor.trained());
    }

    public static FrPairScorer of(FrScorer scorer) {
        return new FrPairScorer(scorer.descriptor(), scorer::score);
    }

    public String modelName() {
        return modelName;
    }

    /**
     * Why this pair cannot be compared, or empty: a rendition keeps its origin's aspect ratio (within
     * {@link FrTranslator#MAX_ASPECT_MISMATCH}); anything else is another picture.
     */
    public static Optional<String> notARendition(FramePair pair) {
        RgbImage ref = pair.origin().image();
        RgbImage dist = pair.rendition().image();
        double aspectGap = Math.abs((double) dist.width() / dist.height() / ((double) ref.width() / ref.height()) - 1);
        if (aspectGap <= FrTranslator.MAX_ASPECT_MISMATCH) {
            return Optional.empty();
        }
        return Optional.of("rendition " + pair.renditionId() + " " + dist.width() + "x" + dist.height()
                + ": expected the aspect ratio of origin " + pair.origin().streamId() + " " + ref.width() + "x" + ref.height()
                + " within " + FrTranslator.MAX_ASPECT_MISMATCH * 100 + " %");
    }

    /**
     * The pair's scores, with what each step cost. Model failures propagate (the caller dead-letters them).
     *
     * @param msSsim NaN when the image is too small for five scales (reported as null)
     */
    public record PairScore(FramePair pair, FrScore model, double psnr, double ssim, double msSsim, boolean rescaled,
                            long rescaleNanos, long modelNanos, long classicNanos) {}

    public PairScore score(FramePair pair) {
        RgbImage ref = pair.origin().image();
        RgbImage dist = pair.rendition().image();
        long t0 = System.nanoTime();
        RgbImage onGrid = BicubicResampler.resize(dist, ref.width(), ref.height());
        long t1 = System.nanoTime();
        FrScore score = model.apply(ref, onGrid);
        long t2 = System.nanoTime();
        double psnr = ClassicFr.psnr(ref, onGrid);
        double ssim = ClassicFr.ssim(ref, onGrid);
        double msSsim;
        try {
            msSsim = ClassicFr.msSsim(ref, onGrid);
        } catch (IllegalArgumentException e) {
            msSsim = Double.NaN;
        }
        long t3 = System.nanoTime();
        return new PairScore(pair, score, psnr, ssim, msSsim, onGrid != dist, t1 - t0, t2 - t1, t3 - t2);
    }

    /**
     * The pair's event, keyed like the rendition ({@code fr/<rendition's event id>}).
     *
     * @param pipelineNanos from the earlier of the two frames' arrival to now
     */
    public FrScoreEvent event(PairScore s, long scoredTs, long pipelineNanos) {
        FramePair pair = s.pair();
        Frame origin = pair.origin();
        Frame rendition = pair.rendition();
        Map<String, Double> latency = new LinkedHashMap<>();
        latency.put("decode", pair.decodeNanos() / 1e6);
        latency.put("rescale", s.rescaleNanos() / 1e6);
        latency.put("score", s.modelNanos() / 1e6);
        latency.put("classic", s.classicNanos() / 1e6);
        latency.put("join_wait", (double) pair.joinWaitMs());
        latency.put("pipeline", pipelineNanos / 1e6);
        return new FrScoreEvent("fr/" + rendition.source().eventId(), FrScoreEvent.TYPE, pair.renditionId(),
                origin.streamId(), rendition.seq(), rendition.ptsMillis(), rendition.captureTimeMs(), scoredTs,
                source(rendition), source(origin), rendition.width(), rendition.height(), origin.width(), origin.height(),
                s.rescaled() ? RESCALE_BICUBIC : RESCALE_NONE, modelInfo, s.model().score(), s.model().quality(),
                new FrScoreEvent.Classic(finite(s.psnr()), finite(s.ssim()), finite(s.msSsim())),
                new FrScoreEvent.Join(true, null, null, (double) pair.joinWaitMs()), latency);
    }

    /**
     * The event of a frame that never found its partner: reported, never dropped silently.
     *
     * @param side {@link FrScoreEvent#SIDE_ORIGIN} or {@link FrScoreEvent#SIDE_RENDITION}
     * @param reason why it left the buffer unpaired (no partner in the window, late, buffer full)
     * @param nowMs wall-clock time of the report
     */
    public static FrScoreEvent unmatched(BufferedFrame b, String side, String reason, long nowMs) {
        boolean origin = FrScoreEvent.SIDE_ORIGIN.equals(side);
        FrameSource s = b.source();
        return new FrScoreEvent("fr-unmatched/" + side + "/" + s.eventId(), FrScoreEvent.TYPE, origin ? b.originId() : b.renditionId(),
                b.originId(), b.seq(), b.ptsMillis(), b.captureTimeMs(), nowMs,
                new ScoreEvent.Source(s.topic(), s.partition(), s.offset(), s.index()), null, b.width(), b.height(), null, null, null,
                null, null, null, null, new FrScoreEvent.Join(false, side, reason, (double) Math.max(0, nowMs - b.arrivedWallMs())),
                Map.of());
    }

    /** The FR event record's headers: content type, event id and the event type (consumers route on it unparsed). */
    public static Headers headers(FrScoreEvent event) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(FrameHeaders.CONTENT_TYPE, "application/json".getBytes(StandardCharsets.UTF_8));
        headers.add(FrameHeaders.EVENT_ID, event.eventId().getBytes(StandardCharsets.UTF_8));
        headers.add(FrameHeaders.EVENT_TYPE, FrScoreEvent.TYPE.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    private static ScoreEvent.Source source(Frame f) {
        return new ScoreEvent.Source(f.source().topic(), f.source().partition(), f.source().offset(), f.source().index());
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
