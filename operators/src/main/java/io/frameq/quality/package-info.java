/**
 * Quality scorers: {@link io.frameq.quality.NrScorer} (no-reference, e.g. MANIQA) glues a
 * {@link io.frameq.translate.NrTranslator} to a shared {@link io.frameq.onnx.OnnxModel} and
 * reports {@link io.frameq.quality.NrScore}s with per-stage timings;
 * {@link io.frameq.quality.FrScorer} (full-reference, e.g. VTAMIQ) does the same for
 * reference/distorted pairs through {@link io.frameq.translate.FrTranslator}, reporting
 * {@link io.frameq.quality.FrScore}s. {@link io.frameq.quality.ClassicFr} holds the classic
 * full-reference metrics (PSNR, SSIM, MS-SSIM), no model needed. {@link io.frameq.quality.FaultClassifier} runs a
 * {@code fault-head} model: per-class camera-fault probabilities of a whole frame (fused into the rules by
 * {@code io.frameq.detect.LearnedFaults}).
 *
 * <p>May depend on {@code frame}, {@code model}, {@code translate}, {@code onnx} and the {@code metrics} port, never on Kafka.
 */
package io.frameq.quality;
