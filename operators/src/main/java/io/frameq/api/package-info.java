/**
 * The embedding API: FrameQ's decode → detect → score chain (with alerts and, optionally,
 * restoration) as building blocks of your own Kafka Streams application.
 *
 * <p>{@link io.frameq.api.FrameqOperators#builder()} takes the required services ({@code set*}) and
 * optional policies ({@code opt*}); {@link io.frameq.api.FrameqOperators.Builder#validate()} names
 * every missing or conflicting part at once. The result is used either from the DSL
 * ({@link io.frameq.api.FrameqOperators#score}: a {@code KStream<String, byte[]>} of frames in, typed
 * streams of events out, with {@link io.frameq.api.FrameqSerdes}) or from the Processor API
 * ({@link io.frameq.api.FrameqOperators#addTo}: named processors, their stores and sinks under a
 * name prefix). Every processor supplier declares its own stores.
 *
 * <p>May depend on every domain package, {@code processor}, {@code alert}, the {@code metrics} port
 * and Kafka Streams; never on {@code ai.onnxruntime} or {@code io.prometheus} (metrics default to
 * {@link io.frameq.metrics.FrameqMetrics#none()}).
 */
package io.frameq.api;
