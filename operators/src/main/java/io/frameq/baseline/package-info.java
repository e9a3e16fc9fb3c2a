/**
 * Each stream's own normal: robust running statistics of the detector readings, of which flags the stream
 * shows when nothing is wrong, and of its scene, kept per day/night mode, and the judgement of a frame against
 * them (flags kept, suppressed or added, such as {@code moved}). Pure domain code: no Kafka, no ONNX Runtime;
 * the detect processor keeps one {@link io.frameq.baseline.StreamBaseline} per stream in a changelogged store
 * (bytes from {@link io.frameq.baseline.BaselineCodec}). Depends on {@code detect} and {@code frame} only.
 */
package io.frameq.baseline;
