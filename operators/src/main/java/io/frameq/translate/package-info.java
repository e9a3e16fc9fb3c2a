/**
 * Pre- and post-processing per model family, kept apart from execution (the DJL Translator idea):
 * {@link io.frameq.translate.CropSampler} cuts a frame into work units,
 * {@link io.frameq.translate.ImageNormalizer} writes them as normalized CHW floats, and
 * {@link io.frameq.translate.NrTranslator} turns a frame into a batch and the model's outputs into
 * per-crop scores, a frame score and a 0..1 quality. For full-reference patch-set models,
 * {@link io.frameq.translate.PatchSampler} places the patches (content-aware CAPS with a seeded
 * SplitMix64, or Halton) and cuts them
 * from a pyramid, and {@link io.frameq.translate.FrTranslator} turns a reference/distorted pair into
 * the four patch-set inputs and the score into a quality. {@link io.frameq.translate.BicubicResampler}
 * brings a lower-resolution CDN rendition onto its origin's grid (VMAF's bicubic upsampling) before
 * the full-reference path scores the pair.
 *
 * <p>Everything is driven by the {@link io.frameq.model.ModelDescriptor}; nothing here runs a model.
 *
 * <p>May depend on {@code frame} and {@code model} only.
 */
package io.frameq.translate;
