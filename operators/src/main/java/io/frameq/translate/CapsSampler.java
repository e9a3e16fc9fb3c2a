package io.frameq.translate;

import io.frameq.frame.RgbImage;
import io.frameq.translate.PatchSampler.Patch;
import java.util.ArrayList;
import java.util.List;

/**
 * Content-aware patch placement for full-reference patch sets (sampling {@code caps}), after
 * VTAMIQ's CAPS: patches go preferably where the distorted image differs from the reference and
 * near the picture centre, with a uniform floor so that no region is left out. The published
 * mixing weights are kept (centre bias 2, difference 2, uniform 0.5); the rest is FrameQ's
 * deterministic, cross-language definition, identical to {@code frameq_models.export.golden.caps_placements}
 * (see {@code models/MODEL-JSON.md}, "Sampling caps"):
 *
 * <ol>
 *   <li>Squared difference per pixel {@code e = sum_c (ref_c - dist_c)^2} on the 8-bit values
 *       (integers, so sums are exact in any order).</li>
 *   <li>Level s cells: P×P squares of level s, {@code ny = floor(H_s / P)} rows and
 *       {@code nx = floor(W_s / P)} columns; cell (i, j) covers full-resolution rows
 *       {@code [i P 2^s, (i + 1) P 2^s)} and columns likewise; {@code D(i, j)} = sum of e there
 *       (int64; level s is the 2×2 sum of level s-1).</li>
 *   <li>Cell weight, float64, in this order: {@code d = D / max D} (0 when max D is 0);
 *       {@code a = (i + 0.5) / ny - 0.5}, {@code b = (j + 0.5) / nx - 0.5},
 *       {@code c = 1 / (1 + 8 * (a*a + b*b))} (a rational centre bias: DeepGaze's 1024² centre-bias
 *       table is not shipped and a transcendental function would not round alike in both languages),
 *       {@code cn = c / max c}; {@code w = (2 * cn + 2 * d) + 0.5}. Cumulative sums in row-major
 *       order, left to right.</li>
 *   <li>One {@link SplitMix64} seeded with the seed, levels in order, patches in order, three
 *       outputs per patch: {@code t = unit * total}, cell = the first whose cumulative sum exceeds
 *       t (the last if none); {@code y = i P + int(span_y)}, {@code x = j P + int(span_x)} with
 *       {@code span_y = min(P, H_s - P - i P + 1)}, {@code span_x = min(P, W_s - P - j P + 1)}, so that
 *       every top-left position of the level can be drawn and no patch leaves the image.</li>
 * </ol>
 * Positions u, v and the patch pixels follow {@link PatchSampler} as for {@code halton}.
 *
 * <p>Stateless and thread-safe.
 */
final class CapsSampler {

    static final double CENTRE_WEIGHT = 2.0;
    static final double DIFF_WEIGHT = 2.0;
    static final double UNIFORM_WEIGHT = 0.5;
    static final double CENTRE_SHARPNESS = 8.0;

    private CapsSampler() {
    }

    /**
     * The patches of a pair, level 0 first.
     *
     * @param counts patches per usable level
     * @param p patch side
     */
    static List<Patch> place(RgbImage reference, RgbImage distorted, int p, int[] counts, long seed) {
        int w = reference.width();
        int h = reference.height();
        if (distorted.width() != w || distorted.height() != h) {
            throw new IllegalArgumentException("CapsSampler: reference " + w + "x" + h + " and distorted "
                    + distorted.width() + "x" + distorted.height() + " differ in size");
        }
        SplitMix64 rng = new SplitMix64(seed);
        List<Patch> out = new ArrayList<>();
        long[] cells = levelZeroCells(reference, distorted, p);
        int ny = h / p;
        int nx = w / p;
        double half = p / 2.0;
        for (int s = 0; s < counts.length; s++) {
            if (s > 0) {
                int cy = (h >> s) / p;
                int cx = (w >> s) / p;
                cells = pool(cells, ny, nx, cy, cx);
                ny = cy;
                nx = cx;
            }
            double[] cumulative = cumulativeWeights(cells, ny, nx);
            double total = cumulative[cumulative.length - 1];
            int hs = h >> s;
            int ws = w >> s;
            for (int k = 0; k < counts[s]; k++) {
                int cell = firstAbove(cumulative, rng.nextUnit() * total);
                int i = cell / nx;
                int j = cell % nx;
                int y = i * p + rng.nextInt(Math.min(p, hs - p - i * p + 1));
                int x = j * p + rng.nextInt(Math.min(p, ws - p - j * p + 1));
                out.add(new Patch(s, y, x, PatchSampler.position(y, half, hs), PatchSampler.position(x, half, ws)));
            }
        }
        return out;
    }

    /** Level-0 cell sums of the squared 8-bit difference, row-major {@code [ny, nx]}. */
    static long[] levelZeroCells(RgbImage reference, RgbImage distorted, int p) {
        int w = reference.width();
        int ny = reference.height() / p;
        int nx = w / p;
        long[] cells = new long[ny * nx];
        byte[] a = reference.pixels();
        byte[] b = distorted.pixels();
        int cols = nx * p;
        for (int y = 0; y < ny * p; y++) {
            int row = (y / p) * nx;
            int o = y * w * 3;
            for (int x = 0; x < cols; x++, o += 3) {
                int dr = (a[o] & 0xff) - (b[o] & 0xff);
                int dg = (a[o + 1] & 0xff) - (b[o + 1] & 0xff);
                int db = (a[o + 2] & 0xff) - (b[o + 2] & 0xff);
                cells[row + x / p] += dr * dr + dg * dg + db * db;
            }
        }
        return cells;
    }

    /** Cells of the next level: 2×2 sums of {@code cells} ({@code [ny, nx]}) for {@code [cy, cx]} cells. */
    static long[] pool(long[] cells, int ny, int nx, int cy, int cx) {
        long[] out = new long[cy * cx];
        for (int i = 0; i < cy; i++) {
            for (int j = 0; j < cx; j++) {
                int o = 2 * i * nx + 2 * j;
                out[i * cx + j] = cells[o] + cells[o + 1] + cells[o + nx] + cells[o + nx + 1];
            }
        }
        return out;
    }

    /** Cumulative cell weights in row-major order (step 3 of the class comment). */
    static double[] cumulativeWeights(long[] cells, int ny, int nx) {
        long maxDiff = 0;
        for (long c : cells) {
            maxDiff = Math.max(maxDiff, c);
        }
        double[] centre = new double[cells.length];
        double maxCentre = 0;
        for (int i = 0; i < ny; i++) {
            double a = (i + 0.5) / ny - 0.5;
            for (int j = 0; j < nx; j++) {
                double b = (j + 0.5) / nx - 0.5;
                double c = 1.0 / (1.0 + CENTRE_SHARPNESS * (a * a + b * b));
                centre[i * nx + j] = c;
                maxCentre = Math.max(maxCentre, c);
            }
        }
        double[] cumulative = new double[cells.length];
        double sum = 0;
        for (int k = 0; k < cells.length; k++) {
            double d = maxDiff > 0 ? (double) cells[k] / (double) maxDiff : 0.0;
            double weight = (CENTRE_WEIGHT * (centre[k] / maxCentre) + DIFF_WEIGHT * d) + UNIFORM_WEIGHT;
            sum += weight;
            cumulative[k] = sum;
        }
        return cumulative;
    }

    /** The first index whose value exceeds {@code t} in the ascending {@code cumulative}; the last when none does. */
    static int firstAbove(double[] cumulative, double t) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > t) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
