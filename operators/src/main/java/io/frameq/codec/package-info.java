/**
 * Learned image compression (family {@code codec}, e.g. wacnn-lite) run from Java: the exported
 * analysis/synthesis graphs on ONNX Runtime, quantisation, and the rANS entropy coder with the
 * exported integer CDF tables. {@link io.frameq.codec.LearnedCodec} turns an
 * {@link io.frameq.frame.RgbImage} into a {@code FQC1} byte stream and back; the stream format and
 * every step are those of the Python reference {@code frameq_models.codec.runtime} (and its coder
 * {@code frameq_models.codec.rans}), see {@code models/MODEL-JSON.md}, "Codec stream".
 *
 * <p>May depend on {@code frame}, {@code model} and {@code onnx} (it runs its graphs itself) and Jackson.
 */
package io.frameq.codec;
