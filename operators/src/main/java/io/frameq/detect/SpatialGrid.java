package io.frameq.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a frame into a grid of cells (8 columns x 6 rows for landscape frames, 6 x 8 for portrait ones) and
 * reads each cell: luma statistics and Laplacian energy on the working luma plane the {@link DetectorSuite}
 * builds anyway, colour statistics on a sparse sample of the RGB pixels. Faults that touch part of the picture
 * (a smudge, a drop, a flare) and scenes whose normal look is uneven (a bright sky over a dark road) can only be
 * told apart cell by cell. One pass over the working plane and one over about {@value #COLOUR_SAMPLE_WIDTH}
 * sampled columns: about 1 ms per 1080p frame (see {@code DetectorBenchmark}).
 */
public final class SpatialGrid {

    /** Cells across the longer side of the frame. */
    public static final int LONG_CELLS = 8;
    /** Cells across the shorter side of the frame. */
    public static final int SHORT_CELLS = 6;
    /** Colour is sampled on a lattice about this many points wide: cell means and percentiles need no more. */
    static final int COLOUR_SAMPLE_WIDTH = 320;

    private SpatialGrid() {
    }

    /**
     * @param plane  working luma plane, row-major, {@code width x height}
     * @param rgb    packed RGB24 pixels of the frame, {@code frameWidth x frameHeight}
     */
    public static CellReadings read(float[] plane, int width, int height, byte[] rgb, int frameWidth, int frameHeight) {
        int cols = frameWidth >= frameHeight ? LONG_CELLS : SHORT_CELLS;
        int rows = frameWidth >= frameHeight ? SHORT_CELLS : LONG_CELLS;
        int cells = cols * rows;
        LumaSums luma = lumaSums(plane, width, height, cols, rows);
        ColourSums colour = colourSums(rgb, frameWidth, frameHeight, cols, rows);
        List<CellReading> out = new ArrayList<>(cells);
        for (int c = 0; c < cells; c++) {
            double n = Math.max(1, luma.count[c]);
            double mean = luma.sum[c] / n;
            double contrast = Math.sqrt(Math.max(0, luma.sumSquares[c] / n - mean * mean));
            double sharpness = luma.lapCount[c] == 0 ? 0 : luma.lapEnergy[c] / luma.lapCount[c];
            double m = Math.max(1, colour.count[c]);
            out.add(new CellReading(mean, contrast, sharpness, luma.edge[c], luma.bright[c] / n,
                    percentile(luma.histogram, c, luma.count[c], 0.02), percentile(luma.histogram, c, luma.count[c], 0.98),
                    percentile(colour.minHistogram, c, colour.count[c], 0.05), colour.saturation[c] / m,
                    colour.red[c] / m, colour.green[c] / m, colour.blue[c] / m));
        }
        return new CellReadings(cols, rows, out);
    }

    private record LumaSums(long[] count, double[] sum, double[] sumSquares, double[] lapEnergy, long[] lapCount,
                            long[] bright, int[] histogram, float[] edge) {
    }

    private static LumaSums lumaSums(float[] p, int w, int h, int cols, int rows) {
        int cells = cols * rows;
        long[] count = new long[cells];
        double[] sum = new double[cells];
        double[] sumSquares = new double[cells];
        double[] lapEnergy = new double[cells];
        long[] lapCount = new long[cells];
        float[] edge = new float[cells];
        long[] bright = new long[cells];
        int[] histogram = new int[cells * 256];
        int[] colOf = new int[w];
        for (int x = 0; x < w; x++) {
            colOf[x] = x * cols / w;
        }
        for (int y = 0; y < h; y++) {
            int rowBase = (y * rows / h) * cols;
            int r = y * w;
            boolean interiorRow = y > 0 && y < h - 1;
            for (int x = 0; x < w; x++) {
                int i = r + x;
                int c = rowBase + colOf[x];
                float v = p[i];
                int bin = Math.min(255, Math.max(0, (int) (v + 0.5f)));
                count[c]++;
                sum[c] += v;
                sumSquares[c] += v * v;
                histogram[c * 256 + bin]++;
                if (bin >= DetectorSuite.CLIP_BRIGHT) {
                    bright[c]++;
                }
                if (interiorRow && x > 0 && x < w - 1) {
                    float lap = p[i - 1] + p[i + 1] + p[i - w] + p[i + w] - 4 * v;
                    lapEnergy[c] += lap * lap;
                    lapCount[c]++;
                    float g = Math.abs(p[i + 1] - p[i - 1]) + Math.abs(p[i + w] - p[i - w]);
                    if (g > edge[c]) {
                        edge[c] = g;
                    }
                }
            }
        }
        return new LumaSums(count, sum, sumSquares, lapEnergy, lapCount, bright, histogram, edge);
    }

    private record ColourSums(long[] count, double[] red, double[] green, double[] blue, double[] saturation,
                              int[] minHistogram) {
    }

    private static ColourSums colourSums(byte[] rgb, int w, int h, int cols, int rows) {
        int cells = cols * rows;
        long[] count = new long[cells];
        double[] red = new double[cells];
        double[] green = new double[cells];
        double[] blue = new double[cells];
        double[] saturation = new double[cells];
        int[] minHistogram = new int[cells * 256];
        int step = Math.max(1, Math.round((float) Math.max(w, h) / COLOUR_SAMPLE_WIDTH));
        for (int y = step / 2; y < h; y += step) {
            int rowBase = (y * rows / h) * cols;
            for (int x = step / 2; x < w; x += step) {
                int c = rowBase + x * cols / w;
                int p = 3 * (y * w + x);
                int r = rgb[p] & 0xff;
                int g = rgb[p + 1] & 0xff;
                int b = rgb[p + 2] & 0xff;
                int min = Math.min(r, Math.min(g, b));
                int max = Math.max(r, Math.max(g, b));
                count[c]++;
                red[c] += r;
                green[c] += g;
                blue[c] += b;
                saturation[c] += max - min;
                minHistogram[c * 256 + min]++;
            }
        }
        return new ColourSums(count, red, green, blue, saturation, minHistogram);
    }

    /** Nearest-rank percentile of one cell's 256-bin histogram. */
    private static double percentile(int[] histogram, int cell, long count, double q) {
        if (count == 0) {
            return 0;
        }
        long target = Math.max(1, (long) Math.ceil(q * count));
        long seen = 0;
        int base = cell * 256;
        for (int v = 0; v < 256; v++) {
            seen += histogram[base + v];
            if (seen >= target) {
                return v;
            }
        }
        return 255;
    }
}
