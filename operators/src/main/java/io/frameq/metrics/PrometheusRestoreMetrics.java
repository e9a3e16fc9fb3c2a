package io.frameq.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The Prometheus binding of {@link RestoreMetrics}, registered only when restoration is on. Metrics of
 * the restoration branch: restorations by model and result, frames over budget by
 * stream, and the quality gain (NR quality after minus before, on the 0..1 scale).
 */
public final class PrometheusRestoreMetrics implements RestoreMetrics {

    /** Gains are differences of 0..1 qualities: symmetric buckets, finer near zero. */
    private static final double[] GAIN_BUCKETS = {-0.5, -0.2, -0.1, -0.05, -0.02, 0, 0.02, 0.05, 0.1, 0.2, 0.5};

    private final PrometheusMetrics labels;
    private final Counter restorations;
    private final Counter overBudget;
    private final Histogram gain;

    /** @param labels the instance's {@link PrometheusMetrics}, for its bounded stream label set */
    public PrometheusRestoreMetrics(PrometheusRegistry registry, PrometheusMetrics labels) {
        this.labels = labels;
        restorations = Counter.builder().name("frameq_restorations_total")
                .help("Frames the routing policy sent to a restorer, by model and result (ok, error, over_budget)")
                .labelNames("model", "result").register(registry);
        overBudget = Counter.builder().name("frameq_restore_over_budget_total")
                .help("Restorable frames not restored because the stream's budget was used up, by stream and budget (frames, compute)")
                .labelNames("stream", "budget").register(registry);
        gain = Histogram.builder().name("frameq_restoration_gain")
                .help("NR quality of the restored frame minus that of the original (0..1 scale; > 0 is an improvement)")
                .labelNames("model").classicOnly().classicUpperBounds(GAIN_BUCKETS).register(registry);
        labels.onStreamRetired(label -> overBudget.removeIf(values -> label.equals(values.get(0))));
    }

    @Override
    public void restored(String model, long nanos, Double qualityGain) {
        restorations.labelValues(model, "ok").inc();
        if (qualityGain != null) {
            gain.labelValues(model).observe(qualityGain);
        }
    }

    @Override
    public void failed(String model) {
        restorations.labelValues(model, "error").inc();
    }

    @Override
    public void overBudget(String stream, String model, String budget) {
        restorations.labelValues(model, "over_budget").inc();
        overBudget.labelValues(labels.streamLabel(stream), budget).inc();
    }
}
