/**
 * Metrics as a port: {@link io.frameq.metrics.FrameqMetrics}, {@link io.frameq.metrics.FrMetrics} and
 * {@link io.frameq.metrics.RestoreMetrics} are what the operators report, {@link io.frameq.metrics.PrometheusMetrics}
 * (with {@link io.frameq.metrics.KafkaClientMetrics}) binds them to Prometheus, and {@code none()} drops them.
 * The only package that imports {@code io.prometheus}; {@code PackageRulesTest} enforces it.
 */
package io.frameq.metrics;
