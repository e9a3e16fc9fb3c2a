/**
 * The Kafka Streams processors of the topology (decode, detect, score, restore, FR route/join/score) and
 * their dead-lettering: each turns one record into the next stage's value, an event or a DLQ record.
 * May depend on the domain packages ({@code frame}, {@code detect}, {@code quality}, {@code restore},
 * {@code join}, {@code route}, {@code verdict}, {@code event}, {@code errors}) and the {@code metrics} port,
 * never on {@code ai.onnxruntime} or {@code io.prometheus}.
 */
package io.frameq.processor;
