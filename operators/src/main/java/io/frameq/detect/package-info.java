/**
 * Cheap per-frame quality detectors that run before (and much faster than) the neural scorers.
 *
 * <p>{@link io.frameq.detect.DetectorSuite#analyze} turns one decoded {@link io.frameq.frame.RgbImage} plus the
 * stream's previous thumbnail into {@link io.frameq.detect.DetectorReadings} (raw numbers, exported under the
 * stable keys of {@link io.frameq.detect.DetectorReadings#asMap()}), a set of
 * {@link io.frameq.detect.Degradation} flags (routing keys and metric labels, see
 * {@link io.frameq.detect.Degradation#code()}) and the frame's own thumbnail, which the caller keeps per stream
 * (e.g. in a Kafka Streams key-value store keyed by stream id) and passes back with the next frame.
 *
 * <p>What each reading means and where it fails:
 * <ul>
 *   <li>sharpness: variance of the Laplacian of luma on a plane shrunk to 640 px wide (native when narrower).
 *       Comparable across 720p/1080p/4K of the same scene. It grows with noise (a noisy blurred frame may not read
 *       blurred) and falls with contrast squared (a dark frame reads softer); a scene without detail (fog, sky, a
 *       blank wall) reads as blurred: no-reference blur detection cannot tell those apart.</li>
 *   <li>noiseSigma: Immerkær's estimator on the smoothest quarter of the pixels (by Sobel gradient) at native
 *       resolution, clipped pixels excluded, in luma units. Added white noise is recovered within about 15% on
 *       the test photos; strong JPEG compression removes noise and makes it read low.</li>
 *   <li>blockiness: step across the 8x8 grid anchored at the frame origin vs steps inside blocks; a frame cropped
 *       or scaled after compression has no aligned grid and reads about 1.</li>
 *   <li>frozenDiff: mean absolute difference of 64x36 luma thumbnails (8-bit). A repeated frame reads 0; a static
 *       scene with sensor noise reads about 0.05 at 1080p, so very clean static cameras can look frozen. Treat
 *       FROZEN as evidence, and alert on runs of frames.</li>
 * </ul>
 *
 * <p>Defaults and the measurements behind them are documented on
 * {@link io.frameq.detect.DetectorThresholds#DEFAULTS}; {@code DetectorCalibration} (test sources) reprints them.
 *
 * <p>May depend on {@code frame} only: no models, no Kafka, no metrics.
 */
package io.frameq.detect;
