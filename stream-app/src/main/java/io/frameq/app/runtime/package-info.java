/**
 * A running FrameQ instance: {@link io.frameq.app.runtime.FrameqRuntime} opens the models, decoders,
 * Prometheus registry, topology, Kafka Streams and the operations endpoint from a {@code FrameqConfig},
 * and closes them in reverse; before Kafka Streams consumes, {@link io.frameq.app.runtime.StartupWarmUp} runs the
 * frame path on a bundled frame so a cold JVM is fast from its first real frame. The composition root: it may depend on every operators package and on
 * Prometheus' registry, JVM metrics and HTTP exporter.
 */
package io.frameq.app.runtime;
