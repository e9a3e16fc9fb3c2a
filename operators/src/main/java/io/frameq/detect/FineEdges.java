package io.frameq.detect;

import java.util.Arrays;

/**
 * How steep the sharpest edges of a large picture are at (about) its own resolution: the cue for blur that the
 * {@value DetectorSuite#WORKING_WIDTH} px working plane cannot see (issue 21). A defocused 3-12 MP photo or a 4K camera
 * that lost focus has edges 6-20 pixels wide; shrunk 3-6 times to the working plane they are 1-4 pixels wide there
 * and read crisp, so the grid's {@code defocused} rule misses them.
 *
 * <p>Along lines across the picture (rows for vertical edges, columns for horizontal ones), at every edge that is
 * strong at a coarse scale ({@code |p(i+8) - p(i-8)| >= 48} luma, a local maximum of it along the line), the
 * steepest fine step nearby ({@code |p(j+1) - p(j-1)|}, {@code |j - i| <= 8}) over that coarse step: about 1 when
 * the edge's whole contrast is crossed within two pixels, 2/w when it is spread over w >= 2 pixels. The cue is the
 * 90th percentile over the edges, i.e. the sharpest part of the picture, so a shallow depth of field with a crisp
 * subject reads sharp. Each line is the mean of a band of 3 lines (noise along the edge averages out, so sensor noise
 * barely moves the fine step), and pictures wider than 3072 px are read at about 2048 px ({@code f = round(width /
 * 2048)}: runs of f pixels averaged along the line, bands of 3f lines), so a 4K frame is judged on the same scale
 * as a 2K one.
 *
 * <p>Only {@value #BANDS} bands per direction are read, spread evenly: about 0.4 million pixels of a 1080p frame and
 * 1.7 million of a 4K one, none of them twice: 0.6 ms of thread CPU at 1080p, 1.6 ms at 4K (see {@code DecodeDetectBenchmark}). Measured on the real
 * development set by {@code models/python/frameq_models/eval/blur_scale.py} (its {@code b48_90}), which mirrors this
 * class: real defocus on 2048 px photos 0.28-0.38, motion blur 0.77-0.96 (not separated: edges along the motion stay
 * sharp), clean photos and camera frames 0.58 and up but for one soft wallpaper (0.34) and one bokeh close-up of
 * drops (0.39); see {@code models/EVAL.md}.
 */
final class FineEdges {

    /** Bands read per direction. */
    static final int BANDS = 48;
    /** Half-width of the coarse step, in (read) pixels. */
    static final int FAR = 8;
    /** Coarse contrast, in luma, for an edge to be judged: well above what noise makes over 16 pixels. */
    static final float MIN_STEP = 48;
    /** Fewer judged edges than this: no cue (a nearly blank scene, or one so blurred that no edge is strong). */
    static final int MIN_EDGES = 100;
    /** Pictures are read at about this width (in runs of f pixels, see the class comment). */
    static final int READ_WIDTH = 2048;
    /** Which edges speak for the picture: the sharpest tenth. */
    static final double QUANTILE = 0.9;
    /** The picture must shrink by at least this to the working plane: smaller, the grid already sees all there is. */
    static final double MIN_SHRINK = 1.5;
    /** Histogram of the ratios: bins of 1/256 over [0, 4), the last bin takes the rest. */
    private static final int BIN_SCALE = 256;
    private static final int BINS = 4 * BIN_SCALE;

    private FineEdges() {
    }

    /**
     * True when a full-size decode of {@code w x h} shrinks by at least {@link #MIN_SHRINK} to the working plane
     * (landscape: at least 960 px wide).
     */
    static boolean applies(int w, int h) {
        return DetectorSuite.workingScale(w, h) * MIN_SHRINK <= 1.0;
    }

    /**
     * The {@link #QUANTILE} of the fine-over-coarse edge ratios of a luma plane, or NaN when fewer than
     * {@link #MIN_EDGES} edges were strong enough to judge.
     */
    static double sharpest(byte[] luma, int w, int h) {
        int f = Math.max(1, (w + READ_WIDTH / 2) / READ_WIDTH);
        int band = 3 * f;
        int[] hist = new int[BINS + 1];
        float[] profile = new float[Math.max(w, h) / f];
        float[] near = new float[profile.length];
        float norm = 1f / (band * f);
        // rows: vertical edges
        int n = w / f;
        for (int s0 : bandStarts(h, band)) {
            Arrays.fill(profile, 0, n, 0f);
            for (int r = s0; r < s0 + band; r++) {
                int base = r * w;
                if (f == 1) {
                    for (int i = 0; i < n; i++) {
                        profile[i] += luma[base + i] & 0xff;
                    }
                    continue;
                }
                for (int i = 0, x = base; i < n; i++) {
                    int s = 0;
                    for (int k = 0; k < f; k++, x++) {
                        s += luma[x] & 0xff;
                    }
                    profile[i] += s;
                }
            }
            scale(profile, n, norm);
            ratios(profile, near, n, hist);
        }
        // columns: horizontal edges. Summed row by row into one profile per band, so the picture is read in memory
        // order (a band's column at a time would touch a new cache line on every row).
        n = h / f;
        int[] starts = bandStarts(w, band);
        int bandsRead = starts.length;
        float[][] columns = new float[bandsRead][n];
        for (int y = 0; y < n * f; y++) {
            int base = y * w;
            int i = y / f;
            for (int b = 0; b < bandsRead; b++) {
                int x = base + starts[b];
                int s = 0;
                for (int k = 0; k < band; k++) {
                    s += luma[x + k] & 0xff;
                }
                columns[b][i] += s;
            }
        }
        for (int b = 0; b < bandsRead; b++) {
            scale(columns[b], n, norm);
            ratios(columns[b], near, n, hist);
        }
        return quantile(hist, QUANTILE);
    }

    /**
     * The first lines of the {@link #BANDS} bands of {@code band} lines spread evenly over {@code lines}, each centred
     * on its share, in order, without repeats (a short picture has fewer distinct bands); none when the picture is
     * thinner than a band.
     */
    private static int[] bandStarts(int lines, int band) {
        if (lines < band) {
            return new int[0];
        }
        int[] starts = new int[BANDS];
        int count = 0;
        for (int j = 0; j < BANDS; j++) {
            int centre = (int) ((j + 0.5) * lines / BANDS);
            int s0 = Math.min(lines - band, Math.max(0, centre - band / 2));
            if (count == 0 || starts[count - 1] != s0) {
                starts[count++] = s0;
            }
        }
        return Arrays.copyOf(starts, count);
    }

    private static void scale(float[] p, int n, float s) {
        for (int i = 0; i < n; i++) {
            p[i] *= s;
        }
    }

    /** Adds the ratio of every judged edge of one profile to the histogram. */
    private static void ratios(float[] p, float[] near, int n, int[] hist) {
        if (n < 2 * FAR + 4) {
            return;
        }
        near[0] = 0;
        near[n - 1] = 0;
        for (int i = 1; i < n - 1; i++) {
            near[i] = Math.abs(p[i + 1] - p[i - 1]);
        }
        // coarse steps at i - 1, i, i + 1 rolled along the line
        float before = Math.abs(p[2 * FAR] - p[0]);                 // far at FAR
        float here = Math.abs(p[2 * FAR + 1] - p[1]);               // far at FAR + 1
        for (int i = FAR + 1; i < n - FAR - 1; i++) {
            float after = Math.abs(p[i + 1 + FAR] - p[i + 1 - FAR]);
            if (here >= MIN_STEP && here >= before && here > after) {
                float steep = 0;
                for (int j = i - FAR; j <= i + FAR; j++) {
                    steep = Math.max(steep, near[j]);
                }
                hist[Math.min(BINS, (int) (steep / here * BIN_SCALE))]++;
            }
            before = here;
            here = after;
        }
    }

    /** The q-quantile of the histogram (the centre of the bin holding it), NaN below {@link #MIN_EDGES} edges. */
    private static double quantile(int[] hist, double q) {
        long total = 0;
        for (int c : hist) {
            total += c;
        }
        if (total < MIN_EDGES) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int b = 0; b <= BINS; b++) {
            seen += hist[b];
            if (seen >= rank) {
                return (b + 0.5) / BIN_SCALE;
            }
        }
        return (BINS + 0.5) / BIN_SCALE;
    }
}
