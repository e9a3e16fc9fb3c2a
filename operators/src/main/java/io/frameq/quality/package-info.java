/**
 * Quality scorers: {@link io.frameq.quality.NrScorer} (no-reference, e.g. MANIQA) glues a
 * {@link io.frameq.translate.NrTranslator} to a shared {@link io.frameq.onnx.OnnxModel} and
 * reports {@link io.frameq.quality.NrScore}s with per-stage timings.
 */
package io.frameq.quality;
