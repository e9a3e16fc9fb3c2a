package io.frameq.translate;

import java.util.Arrays;

import io.frameq.detect.SpatialGrid;
import io.frameq.model.FloatTensor;
import io.frameq.translate.CropSampler.Box;
import io.frameq.translate.CropSampler.Plan;

/**
 * Projects an attention-pooling NR model's per-patch outputs (MANIQA: a score and a weight per patch of every crop,
 * the crop score being their weighted mean) onto the frame's fault grid ({@link SpatialGrid}: 8 x 6 cells for
 * landscape frames, 6 x 8 for portrait), so an event can say where a low score comes from in the same cells as the
 * spatial faults. A cell's score is the weighted mean of the patches whose centres fall in it — on the model's own
 * scale, so it reads like the frame score — and its weight is the share of all patch weight it holds: where the model
 * looked. Cells no crop reaches (five-point crops of a large frame leave gaps) have neither (NaN).
 */
public final class PatchMaps {

    private PatchMaps() {
    }

    /**
     * Where the model's score of one frame comes from.
     *
     * @param cols grid columns
     * @param rows grid rows
     * @param score per cell, row-major, the weighted mean patch score; NaN where no crop reached
     * @param weight per cell, its share (0..1) of the frame's total patch weight; NaN where no crop reached
     */
    public record Grid(int cols, int rows, double[] score, double[] weight) {
        public Grid {
            score = score.clone();
            weight = weight.clone();
        }

        @Override
        public double[] score() {
            return score.clone();
        }

        @Override
        public double[] weight() {
            return weight.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Grid g && cols == g.cols && rows == g.rows && Arrays.equals(score, g.score)
                    && Arrays.equals(weight, g.weight);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * cols + rows) + 17 * Arrays.hashCode(score) + Arrays.hashCode(weight);
        }

        @Override
        public String toString() {
            return "PatchMaps.Grid[" + cols + "x" + rows + " score=" + Arrays.toString(score) + "]";
        }
    }

    /**
     * @param plan the crops the frame was cut into
     * @param scoreMap {@code [units, h, w]} per-patch scores
     * @param weightMap {@code [units, h, w]} per-patch weights (non-negative)
     * @throws IllegalArgumentException when the maps' shapes do not match each other or the plan
     */
    public static Grid project(Plan plan, FloatTensor scoreMap, FloatTensor weightMap) {
        long[] s = scoreMap.shape();
        if (s.length != 3 || !Arrays.equals(s, weightMap.shape()) || s[0] != plan.units()) {
            throw new IllegalArgumentException("patch maps: expected score and weight maps of shape [" + plan.units()
                    + ", h, w], actual " + Arrays.toString(s) + " and " + Arrays.toString(weightMap.shape()));
        }
        int ph = (int) s[1];
        int pw = (int) s[2];
        boolean landscape = plan.sourceWidth() >= plan.sourceHeight();
        int cols = landscape ? SpatialGrid.LONG_CELLS : SpatialGrid.SHORT_CELLS;
        int rows = landscape ? SpatialGrid.SHORT_CELLS : SpatialGrid.LONG_CELLS;
        double[] weightSum = new double[cols * rows];
        double[] weightedScore = new double[cols * rows];
        boolean[] reached = new boolean[cols * rows];
        double total = 0;
        float[] sd = scoreMap.data();
        float[] wd = weightMap.data();
        for (int u = 0; u < plan.units(); u++) {
            Box box = plan.boxes().get(u);
            for (int py = 0; py < ph; py++) {
                double cy = box.y() + (py + 0.5) * box.height() / ph;
                int row = Math.min(rows - 1, (int) (cy / plan.scaledHeight() * rows));
                for (int px = 0; px < pw; px++) {
                    double cx = box.x() + (px + 0.5) * box.width() / pw;
                    int col = Math.min(cols - 1, (int) (cx / plan.scaledWidth() * cols));
                    int i = (u * ph + py) * pw + px;
                    double w = Math.max(0, wd[i]);
                    int cell = row * cols + col;
                    reached[cell] = true;
                    weightSum[cell] += w;
                    weightedScore[cell] += w * sd[i];
                    total += w;
                }
            }
        }
        double[] score = new double[cols * rows];
        double[] weight = new double[cols * rows];
        for (int c = 0; c < score.length; c++) {
            score[c] = reached[c] && weightSum[c] > 0 ? weightedScore[c] / weightSum[c] : Double.NaN;
            weight[c] = reached[c] && total > 0 ? weightSum[c] / total : Double.NaN;
        }
        return new Grid(cols, rows, score, weight);
    }
}
