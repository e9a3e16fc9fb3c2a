package io.frameq.detect;

/**
 * Thresholds that turn {@link DetectorReadings} into {@link Degradation} flags. Comparisons are strict:
 * a frame is flagged when its reading is strictly below a {@code ...Below...} or strictly above an
 * {@code ...Above...} threshold. See {@link #DEFAULTS} for the measured defaults. Invalid values fail in the
 * constructor with a message naming the field, the expected range and the actual value.
 *
 * @param blurBelowSharpness            BLUR when sharpness (Laplacian variance at the working width) is below; 0 disables
 * @param noiseAboveSigma               NOISE when the estimated noise sigma (luma units) is above
 * @param darkBelowMeanLuma             DARK when mean luma (0..255) is below
 * @param overexposedAboveClippedBright OVEREXPOSED when the fraction of pixels at luma &gt;= 250 is above (0..1)
 * @param blackBelowMeanLuma            BLACK when mean luma is below this ...
 * @param blackBelowContrast            ... and luma standard deviation is below this
 * @param frozenBelowDiff               FROZEN when the mean absolute thumbnail difference to the previous frame is
 *                                      below; 0 disables
 * @param blockyAbove                   BLOCKY when blockiness (about 1 for natural images) is above; must be &gt; 1
 */
public record DetectorThresholds(double blurBelowSharpness, double noiseAboveSigma, double darkBelowMeanLuma,
                                 double overexposedAboveClippedBright, double blackBelowMeanLuma,
                                 double blackBelowContrast, double frozenBelowDiff, double blockyAbove) {

    /**
     * Defaults, measured with {@code DetectorCalibration} on the seven scikit-image sample photos (astronaut,
     * camera, chelsea, coffee, hubble_deep_field, motorcycle_left, rocket; 451-1000 px wide, so the working plane is
     * native or shrunk) and on synthetic degradations of them. "Clean" below means those photos unaltered.
     */
    public static final DetectorThresholds DEFAULTS = new DetectorThresholds(
            // Sharpness of clean photos: 401-1534 (383-1685 for the 384 px test copies; chelsea, a soft cat
            // portrait, is lowest). Gaussian blur at the
            // working scale: sigma 1 -> 22-135, sigma 1.5 -> 7-54, sigma 2 -> 3-25. 50 flags sigma >= 2 on every
            // photo and sigma 1.5 on all but one, 8x below the softest clean photo. (Sigma 2 at the 640 px working
            // scale is sigma 6 on a 1080p frame.) Sharpness also falls with contrast squared: a photo darkened to
            // gain 0.3 (mean luma 31-53) reads 38-140 and may add BLUR to DARK.
            /* blurBelowSharpness */ 50,
            // Noise sigma of the bundled clean photos: 0.27-1.34, except hubble_deep_field 3.0 (a real, noisy
            // JPEG). Added luminance noise is recovered within 15%: sigma 5 -> 5.1-5.6, sigma 8 -> 7.9-8.4. The 390
            // clean real photos of the development data (models/EVAL.md) read up to 8.6: fine texture and film grain
            // in scanned photos (CBSD68) and a night photo, which the estimator counts as noise; 6 flagged 5 of them.
            // 9 flags added luminance noise sigma >= 10 (or independent RGB noise sigma >= 14).
            /* noiseAboveSigma */ 9,
            // Mean luma of clean photos: 56-176 and hubble_deep_field 19.4 (a starfield: dark content, flagged DARK
            // by design). Darkening: gain 0.3 -> 31-53, gain 0.2 -> 21-35 (hubble 4, rocket 11). 40 (about 16% of full scale) flags
            // gain 0.2 everywhere and gain 0.3 on most photos, and leaves the night-time rocket launch (56) alone.
            /* darkBelowMeanLuma */ 40,
            // Clipped-bright fraction of clean photos: 0-0.009. Brightening: gain 1.6 -> 0.01-0.69, gain 2 ->
            // 0.02-0.72, gain 3 -> 0.03-0.90. 0.15 is 16x the clean maximum and flags one frame in seven blown to
            // white; a scene with large legitimately clipped areas (sky, snow, a window) can exceed it: raise it
            // for such cameras.
            /* overexposedAboveClippedBright */ 0.15,
            // All-black: mean 0, contrast 0; black with sensor noise sigma 2: mean 0.8, contrast 1.2; limited-range
            // video black decoded as full range: mean 16, contrast 0. Darkened photos at gain 0.2 keep contrast
            // 5.2-15 (DARK, not BLACK); at gain 0.05 they read mean 1-9, contrast 1.3-3.7 (BLACK).
            /* blackBelowMeanLuma */ 20,
            /* blackBelowContrast */ 4,
            // Identical frame: 0 exactly. The same static scene with fresh sensor noise (sigma 2 per channel) reads
            // 0.046-0.061 at 1080p and 0.08-0.24 at 384-1000 px; a 1 px camera pan reads 0.65-3.0. 0.02 flags repeated
            // and near-bit-exact frames and stays below a live static scene; a frozen picture re-encoded by a lossy
            // codec (JPEG quality 0.9 vs the original: 0.03-0.15) can escape. Alert on a run of FROZEN frames, not one.
            /* frozenBelowDiff */ 0.02,
            // Blockiness of clean photos: 0.99-1.04, 1.09 for rocket.jpg (itself a JPEG). JDK JPEG encoder: quality
            // 0.9 -> 1.02-1.10, 0.75 -> 1.13-1.36, 0.5 -> 1.27-1.58, 0.3 -> 1.42-1.82, 0.15 -> 1.76-2.33,
            // 0.05 -> 2.9-5.1; 8x8 block means: 11-41. Real footage (issue 21): clean camera clips decoded from
            // H.264/MPEG-4 read up to 1.87 (an IR night clip, flat and noisy, sat above 1.5 on 396 of 397 frames),
            // 512 px PolyU camera JPEG crops up to 1.81. 2.0 stays clear of them and still flags quality 0.15 on most
            // photos and 0.05 on all.
            /* blockyAbove */ 2.0);

    public DetectorThresholds {
        requireRange("blurBelowSharpness", blurBelowSharpness, 0, Double.MAX_VALUE, "a finite value >= 0");
        requireRange("noiseAboveSigma", noiseAboveSigma, 0, 255, "a value in [0, 255]");
        requireRange("darkBelowMeanLuma", darkBelowMeanLuma, 0, 255, "a value in [0, 255]");
        requireRange("overexposedAboveClippedBright", overexposedAboveClippedBright, 0, 1, "a fraction in [0, 1]");
        requireRange("blackBelowMeanLuma", blackBelowMeanLuma, 0, 255, "a value in [0, 255]");
        requireRange("blackBelowContrast", blackBelowContrast, 0, 128, "a value in [0, 128]");
        requireRange("frozenBelowDiff", frozenBelowDiff, 0, 255, "a value in [0, 255]");
        requireRange("blockyAbove", blockyAbove, 1, Double.MAX_VALUE, "a finite value > 1");
        if (blockyAbove == 1) {
            throw invalid("blockyAbove", "a finite value > 1", blockyAbove);
        }
    }

    public DetectorThresholds withBlurBelowSharpness(double v) {
        return new DetectorThresholds(v, noiseAboveSigma, darkBelowMeanLuma, overexposedAboveClippedBright,
                blackBelowMeanLuma, blackBelowContrast, frozenBelowDiff, blockyAbove);
    }

    public DetectorThresholds withNoiseAboveSigma(double v) {
        return new DetectorThresholds(blurBelowSharpness, v, darkBelowMeanLuma, overexposedAboveClippedBright,
                blackBelowMeanLuma, blackBelowContrast, frozenBelowDiff, blockyAbove);
    }

    public DetectorThresholds withDarkBelowMeanLuma(double v) {
        return new DetectorThresholds(blurBelowSharpness, noiseAboveSigma, v, overexposedAboveClippedBright,
                blackBelowMeanLuma, blackBelowContrast, frozenBelowDiff, blockyAbove);
    }

    public DetectorThresholds withOverexposedAboveClippedBright(double v) {
        return new DetectorThresholds(blurBelowSharpness, noiseAboveSigma, darkBelowMeanLuma, v,
                blackBelowMeanLuma, blackBelowContrast, frozenBelowDiff, blockyAbove);
    }

    public DetectorThresholds withBlack(double belowMeanLuma, double belowContrast) {
        return new DetectorThresholds(blurBelowSharpness, noiseAboveSigma, darkBelowMeanLuma,
                overexposedAboveClippedBright, belowMeanLuma, belowContrast, frozenBelowDiff, blockyAbove);
    }

    public DetectorThresholds withFrozenBelowDiff(double v) {
        return new DetectorThresholds(blurBelowSharpness, noiseAboveSigma, darkBelowMeanLuma,
                overexposedAboveClippedBright, blackBelowMeanLuma, blackBelowContrast, v, blockyAbove);
    }

    public DetectorThresholds withBlockyAbove(double v) {
        return new DetectorThresholds(blurBelowSharpness, noiseAboveSigma, darkBelowMeanLuma,
                overexposedAboveClippedBright, blackBelowMeanLuma, blackBelowContrast, frozenBelowDiff, v);
    }

    private static void requireRange(String field, double value, double min, double max, String expected) {
        if (Double.isNaN(value) || value < min || value > max || Double.isInfinite(value)) {
            throw invalid(field, expected, value);
        }
    }

    private static IllegalArgumentException invalid(String field, String expected, double actual) {
        return new IllegalArgumentException(
                "DetectorThresholds." + field + ": expected " + expected + ", actual " + actual);
    }
}
