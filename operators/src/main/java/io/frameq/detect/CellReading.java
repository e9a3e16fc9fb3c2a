package io.frameq.detect;

/**
 * What one cell of the {@link SpatialGrid} looks like. Luma values are 8-bit BT.601 luma on the working plane
 * ({@value DetectorSuite#WORKING_WIDTH} px wide), colour values are 8-bit RGB on a sparse sample of the frame.
 *
 * @param meanLuma      mean luma
 * @param contrast      standard deviation of luma inside the cell
 * @param sharpness     mean squared 4-neighbour Laplacian (its energy) inside the cell; grows with detail and contrast
 * @param edge          steepest luma step in the cell: max of |central x difference| + |central y difference|;
 *                      about the cell's range across a crisp edge, a fraction of it when every edge is spread out
 * @param clippedBright share of the cell at luma &gt;= {@value DetectorSuite#CLIP_BRIGHT}
 * @param blackLevel    2nd percentile of luma: raised by haze, fog and veiling glare
 * @param whiteLevel    98th percentile of luma
 * @param darkChannel   5th percentile of min(R, G, B): near 0 in clear daylight scenes, raised by haze (He et al.)
 * @param saturation    mean of max(R, G, B) - min(R, G, B)
 * @param meanRed       mean red
 * @param meanGreen     mean green
 * @param meanBlue      mean blue
 */
public record CellReading(double meanLuma, double contrast, double sharpness, double edge, double clippedBright, double blackLevel,
                          double whiteLevel, double darkChannel, double saturation, double meanRed, double meanGreen,
                          double meanBlue) {

    /** Luma range between the 2nd and 98th percentiles: local contrast that one bright or dark pixel cannot fake. */
    public double range() {
        return whiteLevel - blackLevel;
    }

    /**
     * Steepest step relative to the local range: near 1 or above where some edge is crisp, low where even the
     * strongest edge is spread over several pixels (defocus, smear), whatever the cell's contrast.
     */
    public double crispness() {
        return edge / (range() + 8);
    }

    /**
     * Sharpness relative to the cell's contrast: how much of its variation is fine detail. A soft but contrasty
     * cell (a smudge over an edge) reads low, a dim but crisp one (a night street) keeps its value.
     */
    public double detail() {
        return sharpness / (contrast * contrast + 4);
    }
}
