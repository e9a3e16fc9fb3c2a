package io.frameq.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * The Prometheus binding of {@link FrMetrics}, registered by {@link PrometheusMetrics}. Metrics of the
 * full-reference path: per-rendition model quality and classic scores, pairs,
 * unmatched frames by side and reason, and how long a frame waited for its partner. The
 * {@code stream} label is the rendition id, capped like every stream label.
 */
final class PrometheusFrMetrics implements FrMetrics {

    private static final double[] UNIT_BUCKETS = {0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.925, 0.95, 0.97,
        0.98, 0.99, 0.995, 1.0};
    /** PSNR of 8-bit video: 20 dB is unwatchable, above 45 dB is transparent. */
    private static final double[] PSNR_BUCKETS = {15, 20, 25, 28, 30, 32, 34, 36, 38, 40, 42, 45, 50, 60};
    private static final double[] WAIT_BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final StreamLabels streams;
    private final Histogram quality;
    private final Histogram similarity;
    private final Histogram psnr;
    private final Counter pairs;
    private final Counter unmatched;
    private final Histogram joinWait;

    PrometheusFrMetrics(PrometheusRegistry registry, StreamLabels streams) {
        this.streams = streams;
        quality = Histogram.builder().name("frameq_fr_quality_score")
                .help("Normalised full-reference model quality (0 worst .. 1 best) of rendition frames against their origin")
                .labelNames("stream", "model").classicOnly().classicUpperBounds(UNIT_BUCKETS).register(registry);
        similarity = Histogram.builder().name("frameq_fr_similarity")
                .help("Classic full-reference similarity of rendition frames against their origin, by metric (ssim, ms_ssim)")
                .labelNames("stream", "metric").classicOnly().classicUpperBounds(UNIT_BUCKETS).register(registry);
        psnr = Histogram.builder().name("frameq_fr_psnr_decibels")
                .help("PSNR (luma) of rendition frames against their origin, in dB")
                .labelNames("stream").classicOnly().classicUpperBounds(PSNR_BUCKETS).register(registry);
        pairs = Counter.builder().name("frameq_fr_pairs_total")
                .help("Rendition frames paired with their origin frame and scored, by rendition")
                .labelNames("stream").register(registry);
        unmatched = Counter.builder().name("frameq_fr_unmatched_total")
                .help("Frames that found no partner within the join window and grace, by side (origin, rendition) and reason")
                .labelNames("side", "reason").register(registry);
        joinWait = Histogram.builder().name("frameq_fr_join_wait_seconds")
                .help("Wall-clock time the earlier frame of a pair waited in the join store for its partner")
                .unit(Unit.SECONDS).classicOnly().classicUpperBounds(WAIT_BUCKETS).register(registry);
    }

    @Override
    public void pairScored(String renditionId, String model, double qualityValue, double psnrDb, double ssim, double msSsim,
                           double waitSeconds) {
        String s = streams.label(renditionId);
        pairs.labelValues(s).inc();
        if (Double.isFinite(qualityValue)) {
            quality.labelValues(s, model).observe(qualityValue);
        }
        if (Double.isFinite(psnrDb)) {
            psnr.labelValues(s).observe(psnrDb);
        }
        if (Double.isFinite(ssim)) {
            similarity.labelValues(s, "ssim").observe(ssim);
        }
        if (Double.isFinite(msSsim)) {
            similarity.labelValues(s, "ms_ssim").observe(msSsim);
        }
        joinWait.observe(Math.max(0, waitSeconds));
    }

    @Override
    public void unmatched(String side, String reason) {
        unmatched.labelValues(side, reason).inc();
    }
}
