/**
 * Wires the processors into FrameQ's topology ({@link io.frameq.topology.FrameqTopology}): named nodes,
 * sources, sinks and state stores, from services the caller opens and closes. May depend on every
 * operators package except {@code onnx}; it opens no model itself.
 */
package io.frameq.topology;
