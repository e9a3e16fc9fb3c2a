package io.frameq.frame;

/**
 * How FFmpeg's decoded YUV (JPEG, video) becomes RGB24: a speed/fidelity choice, because the
 * JPEG and video standards leave chroma upsampling to the decoder. Measured on 1080p JPEG
 * against libjpeg's decode (ImageIO, which like PIL interpolates chroma), converting only:
 *
 * <ul>
 *   <li>{@link #FAST}: swscale's unscaled converter, each chroma sample covers its 2x2 block:
 *       about 2 ms; mean difference 0.7-0.9 levels, up to 14-22 at sharp colour edges.
 *   <li>{@link #ACCURATE}: chroma interpolated, accurate rounding: about 8x the conversion cost
 *       (+15 ms); mean 0.2-0.3 levels, at most 3-4. With it, FFmpeg decoding is barely faster
 *       than ImageIO's.
 * </ul>
 *
 * Luma is the same either way. FAST is the default: the scores and detectors FrameQ computes do
 * not move with a few levels of chroma at colour edges, and throughput does; choose ACCURATE
 * where pixels are compared with a reference decoded by PIL or libjpeg (model-parity checks).
 * ImageIO and raw YUV decoding do not depend on this setting.
 */
public enum RgbConversion {
    FAST,
    ACCURATE
}
