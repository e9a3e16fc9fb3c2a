/**
 * What happens to one scored frame, without Kafka: {@link io.frameq.scoring.FrameJudge} decides the
 * frame's verdict, the stream's verdict with hysteresis and the route of a degraded frame;
 * {@link io.frameq.scoring.ScoreEventFactory} builds the published {@link io.frameq.event.ScoreEvent}
 * and its record headers; {@link io.frameq.scoring.ModelSampler} decides which frames the no-reference
 * model sees (suspects at once, the others on a per-stream sample, overload shed by the same rules), within
 * the instance's {@link io.frameq.scoring.ModelBudget} of model runs per second (over it a run is owed to the
 * stream and served on a later frame, suspects and the longest owed first).
 * The score processor only loads and stores state and forwards.
 *
 * <p>Depends on {@code detect}, {@code verdict}, {@code route}, {@code event}, {@code frame},
 * {@code model}, {@code quality} and {@link io.frameq.processor.VerdictPolicy} (a pure value that
 * stays in {@code processor} for source compatibility); never on Kafka Streams, ONNX Runtime or Prometheus.
 */
package io.frameq.scoring;
