package io.frameq.metrics;

import java.util.Map;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * The Prometheus binding of {@link FrameqMetrics}: every metric FrameQ exports, registered once per
 * registry. Names follow Prometheus' rules: base units (seconds), {@code _total} counters, classic
 * histograms (aggregatable across instances), and a bounded {@code stream} label (see
 * {@link StreamLabels}).
 */
public final class PrometheusMetrics implements FrameqMetrics {

    /** Quality is normalised to 0..1, so linear buckets resolve the whole scale evenly. */
    private static final double[] QUALITY_BUCKETS = {0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5,
        0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0};
    /** Stage durations span sub-millisecond detectors to multi-second restorations. */
    private static final double[] STAGE_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
        0.5, 1, 2.5, 5, 10};
    /** End-to-end includes broker hops and commit intervals, so it starts higher. */
    private static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    private static final double[] BATCH_BUCKETS = {1, 2, 4, 5, 8, 10, 16, 20, 32, 64, 128};

    private final StreamLabels streams;
    private final Counter frames;
    private final Counter degradations;
    private final Counter dlq;
    private final Counter shed;
    private final Counter modelSkipped;
    private final Counter alerts;
    private final Histogram quality;
    private final Histogram stageDuration;
    private final Histogram endToEnd;
    private final Histogram batchSize;
    private final Gauge lastFrame;
    private final Gauge detector;
    private final Info modelInfo;
    private final PrometheusFrMetrics fr;
    /** Series of other bindings that carry this instance's stream labels, removed with a retired stream's. */
    private final java.util.List<java.util.function.Consumer<String>> retiredLabelHooks = new java.util.concurrent.CopyOnWriteArrayList<>();

    public PrometheusMetrics(PrometheusRegistry registry, int maxStreams) {
        this.streams = new StreamLabels(maxStreams);
        frames = Counter.builder().name("frameq_frames_total")
                .help("Frames processed, by stream and outcome (ok, degraded, dlq)")
                .labelNames("stream", "outcome").register(registry);
        degradations = Counter.builder().name("frameq_degradations_total")
                .help("Frames flagged by a detector or the model, by stream and degradation type")
                .labelNames("stream", "type").register(registry);
        dlq = Counter.builder().name("frameq_dlq_total")
                .help("Records sent to the dead-letter topic, by reason and stage")
                .labelNames("reason", "stage").register(registry);
        shed = Counter.builder().name("frameq_frames_shed_total")
                .help("Frames published without a model score because they were older than shed.max.lag.ms, by stream")
                .labelNames("stream").register(registry);
        modelSkipped = Counter.builder().name("frameq_model_skipped_total")
                .help("Frames published without a model run, by stream and reason (sampled_out: the model sampling did not "
                        + "pick it; shed: due but older than shed.max.lag.ms; budget: picked, but over model.sample.budget.per.second, "
                        + "deferred to a later frame of the stream)")
                .labelNames("stream", "reason").register(registry);
        alerts = Counter.builder().name("frameq_alerts_total")
                .help("Alert transitions published to the alerts topic, by kind (quality, silent) and state (open, resolved)")
                .labelNames("kind", "state").register(registry);
        quality = Histogram.builder().name("frameq_quality_score")
                .help("Normalised quality (0 worst .. 1 best) of scored frames")
                .labelNames("stream", "model").classicOnly().classicUpperBounds(QUALITY_BUCKETS).register(registry);
        stageDuration = Histogram.builder().name("frameq_stage_duration_seconds")
                .help("Time spent per frame in each pipeline stage")
                .unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
                .labelNames("stage", "model").classicOnly().classicUpperBounds(STAGE_BUCKETS).register(registry);
        endToEnd = Histogram.builder().name("frameq_end_to_end_latency_seconds")
                .help("Capture timestamp to score event, per frame")
                .unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
                .classicOnly().classicUpperBounds(LATENCY_BUCKETS).register(registry);
        batchSize = Histogram.builder().name("frameq_batch_size")
                .help("Work units per model invocation")
                .labelNames("model").classicOnly().classicUpperBounds(BATCH_BUCKETS).register(registry);
        lastFrame = Gauge.builder().name("frameq_last_frame_timestamp_seconds")
                .help("Capture time of the last frame scored per stream (epoch seconds)")
                .labelNames("stream").register(registry);
        detector = Gauge.builder().name("frameq_detector_value")
                .help("Last reading of each cheap detector per stream (units per detector, see README)")
                .labelNames("stream", "detector").register(registry);
        modelInfo = Info.builder().name("frameq_model_info")
                .help("Models loaded by this instance")
                .labelNames("model", "version", "family", "trained", "provider", "precision").register(registry);
        fr = new PrometheusFrMetrics(registry, streams);
    }

    @Override
    public FrMetrics fr() {
        return fr;
    }

    /** The {@code stream} label value of a stream id: the id itself, or the overflow label past the cap. */
    public String streamLabel(String streamId) {
        return streams.label(streamId);
    }

    /**
     * With a frame id, the quality and latency observations carry an exemplar
     * {@code {stream, frame_id}} (exposed in the OpenMetrics format), so a dashboard can jump from a
     * bad bucket to the frame's event on the scores topic.
     */
    @Override
    public void frameScored(String streamId, String frameId, String model, double qualityValue, boolean degraded,
                            double captureToNowSeconds) {
        String s = streams.label(streamId);
        frames.labelValues(s, degraded ? "degraded" : "ok").inc();
        Labels exemplar = frameId == null ? null : Labels.of("stream", streamId, "frame_id", frameId);
        if (!Double.isNaN(qualityValue)) {
            if (exemplar == null) {
                quality.labelValues(s, model).observe(qualityValue);
            } else {
                quality.labelValues(s, model).observeWithExemplar(qualityValue, exemplar);
            }
        }
        if (captureToNowSeconds >= 0) {
            if (exemplar == null) {
                endToEnd.observe(captureToNowSeconds);
            } else {
                endToEnd.observeWithExemplar(captureToNowSeconds, exemplar);
            }
        }
    }

    @Override
    public void frameShed(String streamId) {
        shed.labelValues(streams.label(streamId)).inc();
    }

    @Override
    public void modelSkipped(String streamId, String reason) {
        modelSkipped.labelValues(streams.label(streamId), reason).inc();
    }

    @Override
    public void lastFrame(String streamId, long captureTimeMs) {
        lastFrame.labelValues(streams.label(streamId)).set(captureTimeMs / 1000.0);
    }

    /**
     * Removes every series whose {@code stream} label is the stream's own name; a stream that shared
     * {@link StreamLabels#OVERFLOW} leaves the shared series alone (other streams still count there).
     */
    @Override
    public void streamRetired(String streamId) {
        String label = streams.release(streamId);
        if (label == null || StreamLabels.OVERFLOW.equals(label)) {
            return;
        }
        // "stream" is the first label of each of these metrics
        java.util.function.Function<java.util.List<String>, Boolean> ofStream = values -> label.equals(values.get(0));
        frames.removeIf(ofStream);
        degradations.removeIf(ofStream);
        shed.removeIf(ofStream);
        quality.removeIf(ofStream);
        lastFrame.removeIf(ofStream);
        detector.removeIf(ofStream);
        retiredLabelHooks.forEach(hook -> hook.accept(label));
    }

    /** Another binding sharing these stream labels removes its series of a retired stream's label here. */
    void onStreamRetired(java.util.function.Consumer<String> removeSeriesOfLabel) {
        retiredLabelHooks.add(removeSeriesOfLabel);
    }

    @Override
    public void degradation(String streamId, String type) {
        degradations.labelValues(streams.label(streamId), type).inc();
    }

    @Override
    public void detectorReadings(String streamId, Map<String, Double> readings) {
        String s = streams.label(streamId);
        readings.forEach((name, value) -> {
            if (value != null && !value.isNaN()) {
                detector.labelValues(s, name).set(value);
            }
        });
    }

    @Override
    public void deadLetter(String streamIdOrNull, String reason, String stage) {
        dlq.labelValues(reason, stage).inc();
        frames.labelValues(streams.label(streamIdOrNull == null ? "_unkeyed" : streamIdOrNull), "dlq").inc();
    }

    @Override
    public void deadLetterAfterScoring(String reason, String stage) {
        dlq.labelValues(reason, stage).inc();
    }

    @Override
    public void alert(String kind, String state) {
        alerts.labelValues(kind, state).inc();
    }

    @Override
    public void stage(String stage, String model, long nanos) {
        stageDuration.labelValues(stage, model).observe(nanos / 1e9);
    }

    @Override
    public void batch(String model, int units) {
        batchSize.labelValues(model).observe(units);
    }

    @Override
    public void modelLoaded(String model, int version, String family, boolean trained, String provider, String precision) {
        modelInfo.addLabelValues(model, String.valueOf(version), family, String.valueOf(trained), provider, precision);
    }
}
