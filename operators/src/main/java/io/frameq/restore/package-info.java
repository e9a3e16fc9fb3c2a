/**
 * Image restoration (family {@code restore} of {@code models/MODEL-JSON.md}): {@link io.frameq.restore.Restorer}
 * turns a frame into a restored frame of the same size through a shared {@link io.frameq.onnx.OnnxModel}
 * (LPIENet, MIRNet-v2, MIRNet). The graphs pad and crop internally, so any frame size is accepted.
 *
 * <p>May depend on {@code frame}, {@code model}, {@code translate} and {@code onnx}; never on Kafka.
 */
package io.frameq.restore;
