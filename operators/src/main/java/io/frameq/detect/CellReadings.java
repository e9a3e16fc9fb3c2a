package io.frameq.detect;

import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The {@link SpatialGrid} readings of one frame: {@code cols x rows} cells in row-major order (cell index
 * {@code row * cols + col}, row 0 at the top).
 */
public record CellReadings(int cols, int rows, List<CellReading> cells) {

    public CellReadings {
        cells = List.copyOf(Objects.requireNonNull(cells, "cells"));
        if (cols < 1 || rows < 1 || cells.size() != cols * rows) {
            throw new IllegalArgumentException("CellReadings: expected " + cols + "x" + rows + " cells, actual " + cells.size());
        }
    }

    public int size() {
        return cells.size();
    }

    public CellReading cell(int index) {
        return cells.get(index);
    }

    /** One reading of every cell, in cell order. */
    public double[] values(ToDoubleFunction<CellReading> reading) {
        double[] v = new double[cells.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = reading.applyAsDouble(cells.get(i));
        }
        return v;
    }

    /** The q-quantile (0..1, nearest rank) of one reading over the cells. */
    public double quantile(ToDoubleFunction<CellReading> reading, double q) {
        double[] v = values(reading);
        java.util.Arrays.sort(v);
        int k = (int) Math.round(q * (v.length - 1));
        return v[Math.max(0, Math.min(v.length - 1, k))];
    }
}
