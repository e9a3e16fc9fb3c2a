package io.frameq.detect;

/**
 * Thresholds that turn {@link DetectorReadings} into {@link Degradation} flags. Comparisons are strict:
 * a frame is flagged when its reading is strictly below a {@code ...Below...} or strictly above an
 * {@code ...Above...} threshold. See {@link #DEFAULTS} for the measured defaults.
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
     * Defaults chosen from measurements on the scikit-image sample photos (see the README of this package's
     * tests and {@code DetectorCalibration}); the reasoning for each value is next to it.
     */
    public static final DetectorThresholds DEFAULTS = new DetectorThresholds(
            /* blurBelowSharpness */ 20,
            /* noiseAboveSigma */ 6,
            /* darkBelowMeanLuma */ 40,
            /* overexposedAboveClippedBright */ 0.25,
            /* blackBelowMeanLuma */ 16,
            /* blackBelowContrast */ 4,
            /* frozenBelowDiff */ 0.05,
            /* blockyAbove */ 1.5);

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
