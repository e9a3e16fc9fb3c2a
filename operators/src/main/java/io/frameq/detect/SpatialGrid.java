package io.frameq.detect;

import io.frameq.frame.RgbImage;
import io.frameq.frame.YuvPlanes;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a frame into a grid of cells (8 columns x 6 rows for landscape frames, 6 x 8 for portrait ones) and
 * reads each cell: luma statistics and Laplacian energy on the working luma plane the {@link DetectorSuite}
 * builds anyway, colour statistics on a sparse sample of the RGB pixels (or, for a frame the decoder handed on as a
 * JPEG's planes, of those planes, converted point by point). Faults that touch part of the picture
 * (a smudge, a drop, a flare) and scenes whose normal look is uneven (a bright sky over a dark road) can only be
 * told apart cell by cell. One pass over the working plane (which also sums the whole-frame Laplacian for the
 * {@link DetectorSuite}'s sharpness) and one over about {@value #COLOUR_SAMPLE_WIDTH} sampled columns: about 1 ms per
 * 1080p frame (see {@code DetectorBenchmark}).
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
        return read(plane, width, height, frameWidth, frameHeight, (cols, rows) -> colourSums(rgb, frameWidth, frameHeight, cols, rows))
                .cells();
    }

    /** The cells and the sums of the 4-neighbour Laplacian over the plane's interior, measured in the same pass. */
    record Reading(CellReadings cells, double laplacianSum, double laplacianSquares, long laplacianCount) {

        /** Variance of the Laplacian over the plane's interior (the whole-frame sharpness); 0 below 3x3. */
        double laplacianVariance() {
            if (laplacianCount == 0) {
                return 0;
            }
            double mean = laplacianSum / laplacianCount;
            return Math.max(0, laplacianSquares / laplacianCount - mean * mean);
        }
    }

    /**
     * The cells of a frame whose colour is read from its RGB pixels or, when the decoder handed on a JPEG's own planes
     * ({@link RgbImage#planes()}), from those planes at the same sample points (converted point by point, so the
     * frame's pixels are never converted as a whole); and the whole-frame Laplacian, from the same pass.
     */
    static Reading readWithLaplacian(float[] plane, int width, int height, RgbImage image) {
        int fw = image.width();
        int fh = image.height();
        YuvPlanes planes = image.planes();
        return read(plane, width, height, fw, fh, planes != null
                ? (cols, rows) -> colourSums(planes, cols, rows)
                : (cols, rows) -> colourSums(image.pixels(), fw, fh, cols, rows));
    }

    private interface ColourSampler {
        ColourSums sums(int cols, int rows);
    }

    private static Reading read(float[] plane, int width, int height, int frameWidth, int frameHeight, ColourSampler sampler) {
        int cols = frameWidth >= frameHeight ? LONG_CELLS : SHORT_CELLS;
        int rows = frameWidth >= frameHeight ? SHORT_CELLS : LONG_CELLS;
        int cells = cols * rows;
        LumaSums luma = lumaSums(plane, width, height, cols, rows);
        ColourSums colour = sampler.sums(cols, rows);
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
        return new Reading(new CellReadings(cols, rows, out), luma.lapSum, luma.lapSquares, luma.lapTotal);
    }

    private record LumaSums(long[] count, double[] sum, double[] sumSquares, double[] lapEnergy, long[] lapCount,
                            long[] bright, int[] histogram, float[] edge, double lapSum, double lapSquares, long lapTotal) {
    }

    /**
     * One pass over the working plane, a cell's stretch of a row at a time so that its sums stay in registers (float
     * within a stretch of at most a cell's width, double across stretches); the clipped-bright count comes from the
     * histogram afterwards. Also sums the Laplacian over the whole interior, which is the frame's sharpness.
     */
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
        int[] colStart = new int[cols + 1]; // cell column cc covers x in [colStart[cc], colStart[cc + 1]): x * cols / w == cc
        for (int x = w - 1; x >= 0; x--) {
            colStart[x * cols / w] = x;
        }
        colStart[cols] = w;
        double lapSum = 0;
        double lapSquares = 0;
        for (int y = 0; y < h; y++) {
            int rowBase = (y * rows / h) * cols;
            int r = y * w;
            boolean interiorRow = y > 0 && y < h - 1;
            for (int cc = 0; cc < cols; cc++) {
                int c = rowBase + cc;
                int x0 = colStart[cc];
                int x1 = colStart[cc + 1];
                int hist = c * 256;
                // two accumulators per sum, even and odd pixels, so that each add waits for the one two pixels back
                float s0 = 0;
                float s1 = 0;
                float q0 = 0;
                float q1 = 0;
                int i = r + x0;
                for (; i + 1 < r + x1; i += 2) {
                    float v0 = p[i];
                    float v1 = p[i + 1];
                    histogram[hist + Math.min(255, Math.max(0, (int) (v0 + 0.5f)))]++;
                    histogram[hist + Math.min(255, Math.max(0, (int) (v1 + 0.5f)))]++;
                    s0 += v0;
                    s1 += v1;
                    q0 += v0 * v0;
                    q1 += v1 * v1;
                }
                if (i < r + x1) {
                    float v0 = p[i];
                    histogram[hist + Math.min(255, Math.max(0, (int) (v0 + 0.5f)))]++;
                    s0 += v0;
                    q0 += v0 * v0;
                }
                count[c] += x1 - x0;
                sum[c] += s0 + s1;
                sumSquares[c] += q0 + q1;
                if (!interiorRow) {
                    continue;
                }
                int from = r + Math.max(1, x0);
                int to = r + Math.min(w - 1, x1);
                float ls0 = 0;
                float ls1 = 0;
                float le0 = 0;
                float le1 = 0;
                float e0 = edge[c];
                float e1 = e0;
                int j = from;
                for (; j + 1 < to; j += 2) {
                    float lap0 = p[j - 1] + p[j + 1] + p[j - w] + p[j + w] - 4 * p[j];
                    float lap1 = p[j] + p[j + 2] + p[j + 1 - w] + p[j + 1 + w] - 4 * p[j + 1];
                    ls0 += lap0;
                    ls1 += lap1;
                    le0 += lap0 * lap0;
                    le1 += lap1 * lap1;
                    e0 = Math.max(e0, Math.abs(p[j + 1] - p[j - 1]) + Math.abs(p[j + w] - p[j - w]));
                    e1 = Math.max(e1, Math.abs(p[j + 2] - p[j]) + Math.abs(p[j + 1 + w] - p[j + 1 - w]));
                }
                if (j < to) {
                    float lap0 = p[j - 1] + p[j + 1] + p[j - w] + p[j + w] - 4 * p[j];
                    ls0 += lap0;
                    le0 += lap0 * lap0;
                    e0 = Math.max(e0, Math.abs(p[j + 1] - p[j - 1]) + Math.abs(p[j + w] - p[j - w]));
                }
                float ls = ls0 + ls1;
                float le = le0 + le1;
                float e = Math.max(e0, e1);
                edge[c] = e;
                if (to > from) {
                    lapEnergy[c] += le;
                    lapCount[c] += to - from;
                    lapSum += ls;
                    lapSquares += le;
                }
            }
        }
        long lapTotal = 0;
        for (int c = 0; c < cells; c++) {
            lapTotal += lapCount[c];
            for (int v = DetectorSuite.CLIP_BRIGHT; v < 256; v++) {
                bright[c] += histogram[c * 256 + v];
            }
        }
        return new LumaSums(count, sum, sumSquares, lapEnergy, lapCount, bright, histogram, edge, lapSum, lapSquares, lapTotal);
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
        int[] colOf = columnsOf(w, cols);
        for (int y = step / 2; y < h; y += step) {
            int rowBase = (y * rows / h) * cols;
            for (int x = step / 2; x < w; x += step) {
                int c = rowBase + colOf[x];
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

    /**
     * {@link #colourSums(byte[], int, int, int, int)} at the same points, each converted from the JPEG's planes (luma
     * of the point, chroma of the sample it lies in, as swscale's fast conversion takes it). The sums of a cell's
     * stretch of a sampled row stay in local integers: added into the cell's arrays point by point, each add waited
     * for the previous one's store.
     */
    private static ColourSums colourSums(YuvPlanes planes, int cols, int rows) {
        int w = planes.width();
        int h = planes.height();
        int cells = cols * rows;
        long[] count = new long[cells];
        double[] red = new double[cells];
        double[] green = new double[cells];
        double[] blue = new double[cells];
        double[] saturation = new double[cells];
        int[] minHistogram = new int[cells * 256];
        int step = Math.max(1, Math.round((float) Math.max(w, h) / COLOUR_SAMPLE_WIDTH));
        int first = step / 2;
        int[] xStart = new int[cols + 1]; // cell column cc holds the sampled x in [xStart[cc], xStart[cc + 1])
        for (int cc = 0; cc <= cols; cc++) {
            int x = first;
            while (x < w && x * cols / w < cc) {
                x += step;
            }
            xStart[cc] = Math.min(x, first + ((w - 1 - first) / step + 1) * step);
        }
        byte[] luma = planes.y();
        byte[] cb = planes.cb();
        byte[] cr = planes.cr();
        int cw = planes.chromaWidth();
        int sx = planes.chromaShiftX();
        for (int y = first; y < h; y += step) {
            int rowBase = (y * rows / h) * cols;
            int lumaRow = y * w;
            int chromaRow = (y >> planes.chromaShiftY()) * cw;
            for (int cc = 0; cc < cols; cc++) {
                int c = rowBase + cc;
                int hist = c * 256;
                int n = 0;
                int r = 0;
                int g = 0;
                int b = 0;
                int sat = 0;
                for (int x = xStart[cc]; x < xStart[cc + 1]; x += step) {
                    int ci = chromaRow + (x >> sx);
                    int rgb = YuvPlanes.rgbOf(luma[lumaRow + x] & 0xff, cb[ci] & 0xff, cr[ci] & 0xff);
                    int pr = rgb >>> 16;
                    int pg = (rgb >> 8) & 0xff;
                    int pb = rgb & 0xff;
                    int min = Math.min(pr, Math.min(pg, pb));
                    n++;
                    r += pr;
                    g += pg;
                    b += pb;
                    sat += Math.max(pr, Math.max(pg, pb)) - min;
                    minHistogram[hist + min]++;
                }
                count[c] += n;
                red[c] += r;
                green[c] += g;
                blue[c] += b;
                saturation[c] += sat;
            }
        }
        return new ColourSums(count, red, green, blue, saturation, minHistogram);
    }

    /** The cell column of each x, {@code x * cols / w}: a table, because an integer division per sample shows in the profile. */
    private static int[] columnsOf(int w, int cols) {
        int[] colOf = new int[w];
        for (int x = 0; x < w; x++) {
            colOf[x] = x * cols / w;
        }
        return colOf;
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
