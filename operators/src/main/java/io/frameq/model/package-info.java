/**
 * The model contract as data: {@link io.frameq.model.ModelDescriptor} (typed {@code model.json}),
 * {@link io.frameq.model.TensorSpec}, {@link io.frameq.model.Tensor} values ({@link io.frameq.model.FloatTensor},
 * {@link io.frameq.model.LongTensor}), and the
 * Triton-style {@link io.frameq.model.ModelRepository} that finds models in user directories and in
 * the bundled {@code frameq-models} jar.
 *
 * <p>Nothing here runs a model or imports ONNX Runtime; {@code io.frameq.onnx} does that.
 *
 * <p>May depend on {@code errors} and Jackson only.
 */
package io.frameq.model;
