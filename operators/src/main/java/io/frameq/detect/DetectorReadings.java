package io.frameq.detect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The raw numbers the cheap detectors measure on one frame. All luma values are in 8-bit units
 * (0..255) of BT.601 luma {@code Y = (77 R + 150 G + 29 B) / 256}.
 *
 * @param sharpness    variance of the 4-neighbour Laplacian of luma, computed on a luma plane resampled
 *                     (area average when shrinking, bilinear when enlarging) to a working width of
 *                     {@value DetectorSuite#WORKING_WIDTH} px, so the same scene reads about the same
 *                     at 720p, 1080p or 4K. Higher is sharper. Scales with contrast squared (a darkened
 *                     frame reads less sharp) and grows with noise. A JPEG the decoder shrank below the working
 *                     width (1080p at a quarter) is enlarged to it, which loses the finest detail: its reading is
 *                     rescaled to about the full decode's, within a factor of 1.5 or so (see
 *                     {@code DetectorSuite#analyze(RgbImage, byte[], int)})
 * @param noiseSigma   estimated standard deviation of additive noise in luma units, at native resolution:
 *                     Immerkær's fast estimator (1996) averaged over the smoothest quarter of the pixels
 *                     by Sobel gradient magnitude (texture and edges excluded) and over non-clipped pixels
 * @param meanLuma     mean luma, 0..255
 * @param clippedDark  fraction of pixels with luma &lt;= 5
 * @param clippedBright fraction of pixels with luma &gt;= 250
 * @param contrast     standard deviation of luma (RMS contrast), 0..127.5
 * @param blockiness   mean absolute luma step across the 8x8 grid lines (x or y multiple of 8) divided by the
 *                     mean step inside the blocks (both plus 0.5 to keep flat frames at 1); about 1 for natural
 *                     images, above 1 when JPEG/MPEG blocks show; {@code NaN} (not measured) for a JPEG the decoder
 *                     shrank to a quarter, where the 8x8 blocks are 2x2 and the ratio no longer tells them apart
 * @param frozenDiff   mean absolute difference between this frame's thumbnail and the previous frame's, in
 *                     luma units; {@code NaN} when there is no (usable) previous thumbnail
 */
public record DetectorReadings(double sharpness, double noiseSigma, double meanLuma, double clippedDark,
                               double clippedBright, double contrast, double blockiness, double frozenDiff) {

    /** The keys of {@link #asMap()}, in its iteration order. */
    public static final java.util.List<String> KEYS = java.util.List.of(
            "sharpness", "noise_sigma", "mean_luma", "clipped_dark", "clipped_bright", "contrast", "blockiness",
            "frozen_diff");

    /**
     * The readings under stable snake_case keys, in the fixed order of {@link #KEYS} (used for JSON events and
     * metric names). {@code frozen_diff} is present even when it is {@code NaN}. Unmodifiable.
     */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("sharpness", sharpness);
        m.put("noise_sigma", noiseSigma);
        m.put("mean_luma", meanLuma);
        m.put("clipped_dark", clippedDark);
        m.put("clipped_bright", clippedBright);
        m.put("contrast", contrast);
        m.put("blockiness", blockiness);
        m.put("frozen_diff", frozenDiff);
        return Collections.unmodifiableMap(m);
    }
}
