package io.frameq.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Diagnoses camera faults from the {@link SpatialGrid} readings of one frame: which fault, how sure, which cells.
 *
 * <p>Every rule asks a question about the share or the spread of cells, not about a whole-frame average, so a
 * scene's normal unevenness (a clipped sky over a road, lamps in a night street, a blank wall) does not read as a
 * fault. The thresholds ({@link FaultThresholds#DEFAULTS}) were set on the fit half of the real development data
 * (real fault photos, clean photos and clean camera clips; see {@code models/EVAL.md}), each with a margin to the
 * nearest clean frame, because a false alarm on a healthy camera costs more than a late alarm.
 *
 * <p>Confidence is a logistic function of the margin by which a frame crosses the threshold: 0.5 on the
 * threshold, about 0.73 one {@code scale} past it, 0.95 three scales past it.
 */
public final class FaultRules {

    private final FaultThresholds t;

    public FaultRules(FaultThresholds thresholds) {
        this.t = thresholds;
    }

    public FaultRules() {
        this(FaultThresholds.DEFAULTS);
    }

    /**
     * The faults and conditions of one frame, in {@link FaultType} order. A black frame has no picture to diagnose:
     * pass {@code black = true} and get nothing.
     */
    public List<Fault> diagnose(DetectorReadings global, CellReadings cells, boolean black) {
        return diagnose(global, cells, black, Double.NaN);
    }

    /**
     * {@link #diagnose(DetectorReadings, CellReadings, boolean)} with the steepness of the picture's sharpest edges at
     * its own resolution ({@link FineEdges#sharpest}, NaN when not measured: a small or reduced picture), which
     * finds defocus that the working plane's cells cannot see.
     */
    List<Fault> diagnose(DetectorReadings global, CellReadings cells, boolean black, double fineEdges) {
        List<Fault> faults = new ArrayList<>();
        if (black || cells == null) {
            return faults;
        }
        CellView v = new CellView(cells);
        // Dark pixels carry little chroma whatever the scene: a frame must show something to read as greyscale.
        boolean greyscale = v.greyscale(t) && global.meanLuma() >= t.darkAlwaysBelowMeanLuma();
        boolean denseFog = denseFog(v, global);
        if (!denseFog) {
            covered(v, faults);
        }
        soiledOrRaindrops(v, faults);
        lowVisibility(v, global, greyscale, denseFog, faults);
        glare(v, faults);
        defocused(v, fineEdges, faults);
        if (!greyscale) {
            colourCast(v, global, faults);
        }
        dark(v, global, faults);
        overexposed(v, faults);
        if (greyscale) {
            faults.add(new Fault(FaultType.IR_MODE, confidence(t.greyscaleBelowSaturation() - v.saturation90, 1.0),
                    v.all()));
        }
        faults.sort((a, b) -> a.type().compareTo(b.type()));
        return faults;
    }

    /** Most cells flat: no texture and almost no range. */
    private void covered(CellView v, List<Fault> out) {
        IntPredicate flat = i -> v.contrast[i] < t.flatBelowContrast() && v.range[i] < t.flatBelowRange();
        double share = v.share(flat);
        if (share >= t.coveredAboveFlatShare()) {
            out.add(new Fault(FaultType.COVERED, confidence(share - t.coveredAboveFlatShare(), 0.05), v.where(flat)));
        }
    }

    /**
     * A patch of soft, veiled cells (every edge spread out, black level lifted above the frame's floor) while a good
     * part of the frame stays crisp: dirt or a smear on part of the lens. The same soft cells scattered in many
     * small islands over the frame read as drops on the glass.
     */
    private void soiledOrRaindrops(CellView v, List<Fault> out) {
        if (v.textured < t.minTexturedCells() || Double.isNaN(v.crisp90)) {
            return;
        }
        double floor = v.blackFloor;
        IntPredicate soft = i -> v.isTextured(i) && v.crisp[i] < t.softBelowCrispRelative() * v.crisp90
                && v.crisp[i] < t.softBelowCrisp() && v.black[i] > floor + t.veilAboveFloor();
        IntPredicate crisp = i -> v.isTextured(i) && v.crisp[i] >= t.crispAboveRelative() * v.crisp90;
        double crispShare = v.count(crisp) / (double) v.textured;
        if (crispShare < t.soiledMinCrispShare()) {
            return; // soft everywhere is defocus or fog, not a patch
        }
        List<List<Integer>> blobs = v.components(soft);
        int largest = blobs.stream().mapToInt(List::size).max().orElse(0);
        if (largest >= t.soiledAboveBlobCells()) {
            List<Integer> blob = blobs.stream().filter(b -> b.size() == largest).findFirst().orElseThrow();
            out.add(new Fault(FaultType.SOILED, confidence(largest - t.soiledAboveBlobCells() + 0.5, 2), sorted(blob)));
            return;
        }
        long islands = blobs.stream().filter(b -> b.size() <= 2).count();
        if (islands >= t.raindropsAboveIslands()) {
            out.add(new Fault(FaultType.RAINDROPS, confidence(islands - t.raindropsAboveIslands() + 0.5, 2),
                    v.where(soft)));
        }
    }

    /**
     * Most cells hazy: black level lifted, range squeezed, colour washed out. A frame without colour is judged only
     * when nearly every cell is hazy: thick fog leaves no colour either, while a grey IR picture or a grey car park
     * keeps some cells with a dark black level or a wide range. A coloured frame flattened to a small median range
     * likewise needs nearly every cell hazy. A colourless frame as bright as daylight fog's airlight needs only as many
     * hazy cells as a coloured one. Dense fog ({@link #denseFog}) counts whatever its colour and range.
     */
    private void lowVisibility(CellView v, DetectorReadings global, boolean greyscale, boolean denseFog,
            List<Fault> out) {
        IntPredicate hazy = hazy(v);
        double share = v.share(hazy);
        if (denseFog) {
            out.add(new Fault(FaultType.LOW_VISIBILITY, confidence(share - t.denseFogAboveHazyShare() + 0.04, 0.04),
                    v.where(hazy)));
            return;
        }
        boolean colourless = greyscale || v.saturation50 < t.lowVisibilityMinSaturation();
        double needed = colourless ? t.thickFogAboveHazyShare() : t.lowVisibilityAboveHazyShare();
        if (colourless && global.meanLuma() >= t.denseFogAboveMeanLuma()) {
            needed = t.lowVisibilityAboveHazyShare(); // bright airlight: grey fog by day, not a grey IR scene or car park
        }
        if (!colourless && v.range50 < t.lowVisibilityMinRange() && v.range50 >= t.flatFogMinRange()) {
            needed = t.flatFogAboveHazyShare(); // dense haze flattens a coloured scene: only a frame hazy nearly everywhere
        } else if (v.range50 < t.lowVisibilityMinRange()) {
            return;
        }
        if (share >= needed) {
            out.add(new Fault(FaultType.LOW_VISIBILITY, confidence(share - needed, 0.04), v.where(hazy)));
        }
    }

    private IntPredicate hazy(CellView v) {
        return i -> v.black[i] > t.hazyAboveBlackLevel() && v.range[i] < t.hazyBelowRange()
                && v.saturation[i] < t.hazyBelowSaturation();
    }

    /**
     * Nearly every cell hazy in a bright frame with some range left: the airlight of dense fog, which flattens the
     * cells as a cover does but, unlike a cover, is the light itself.
     */
    private boolean denseFog(CellView v, DetectorReadings global) {
        return global.meanLuma() >= t.denseFogAboveMeanLuma() && v.range50 >= t.denseFogMinRange()
                && v.share(hazy(v)) >= t.denseFogAboveHazyShare();
    }

    /**
     * Clipped blobs whose neighbouring cells are veiled: scattered light lifts their black level most of the way
     * from the frame's floor to white and squeezes their range. A clipped sky over a road does not lift the road's
     * black level; a lamp in a clean night scene leaves its neighbours dark.
     */
    private void glare(CellView v, List<Fault> out) {
        IntPredicate clipped = i -> v.clipped[i] > t.glareClippedAbove();
        double share = v.share(clipped);
        if (share == 0 || share > t.glareMaxClippedShare()) {
            return;
        }
        List<Integer> veiled = new ArrayList<>();
        List<Double> lift = new ArrayList<>();
        double headroom = Math.max(1, 255 - v.blackFloor);
        for (int i = 0; i < v.n; i++) {
            if (clipped.test(i) || !v.touches(i, clipped)) {
                continue;
            }
            double l = (v.black[i] - v.blackFloor) / headroom;
            lift.add(l);
            if (l > t.glareAboveVeil() && v.range[i] < t.hazyBelowRange()) {
                veiled.add(i);
            }
        }
        double medianLift = median(lift);
        if (medianLift > t.glareAboveVeil() && veiled.size() >= 2) {
            List<Integer> cells = new ArrayList<>(veiled);
            cells.addAll(v.where(clipped));
            out.add(new Fault(FaultType.GLARE, confidence(medianLift - t.glareAboveVeil(), 0.08), sorted(cells)));
        }
    }

    /**
     * Even the crispest textured cells have no crisp edge; or, on a large picture, even its sharpest edges are spread
     * over several of its own pixels (they read crisp once shrunk to the working plane).
     */
    private void defocused(CellView v, double fineEdges, List<Fault> out) {
        if (v.textured < t.minTexturedCells() || Double.isNaN(v.crisp90)) {
            return; // too little texture to tell blur from a blank scene
        }
        if (v.crisp90 < t.defocusedBelowCrisp90()) {
            IntPredicate soft = i -> v.isTextured(i) && v.crisp[i] < t.defocusedBelowCrisp90();
            out.add(new Fault(FaultType.DEFOCUSED, confidence(t.defocusedBelowCrisp90() - v.crisp90, 0.08),
                    v.where(soft)));
        } else if (fineEdges < t.defocusedBelowFineEdges()) { // false for NaN
            out.add(new Fault(FaultType.DEFOCUSED, confidence(t.defocusedBelowFineEdges() - fineEdges, 0.05),
                    v.where(v::isTextured)));
        }
    }

    /**
     * The least colourful quarter of the cells is still tinted: in a natural scene those are near-neutral (walls,
     * road, sky), so a tint there is the camera's, not the scene's.
     */
    private void colourCast(CellView v, DetectorReadings global, List<Fault> out) {
        if (global.meanLuma() < t.darkBelowMeanLuma()) {
            return; // chroma of a dark frame is mostly noise
        }
        double cast = v.neutralCast();
        if (cast > t.colourCastAbove()) {
            out.add(new Fault(FaultType.COLOUR_CAST, confidence(cast - t.colourCastAbove(), 0.1), v.all()));
        }
    }

    /** Dark with nothing bright in most cells, or nearly black overall; a night street with lamps is not dark. */
    private void dark(CellView v, DetectorReadings global, List<Fault> out) {
        IntPredicate dim = i -> v.white[i] < t.dimBelowWhiteLevel();
        double share = v.share(dim);
        double ml = global.meanLuma();
        boolean nearlyBlack = ml < t.darkAlwaysBelowMeanLuma();
        if (nearlyBlack || (ml < t.darkBelowMeanLuma() && share >= t.darkAboveDimShare())) {
            double c = Math.max(confidence(t.darkAlwaysBelowMeanLuma() - ml, 4),
                    Math.min(confidence(share - t.darkAboveDimShare(), 0.05), confidence(t.darkBelowMeanLuma() - ml, 5)));
            out.add(new Fault(FaultType.DARK, c, nearlyBlack && share == 0 ? v.all() : v.where(dim)));
        }
    }

    /** Many cells largely clipped, and even the darker quarter of the cells bright: washed out, not a bright sky. */
    private void overexposed(CellView v, List<Fault> out) {
        IntPredicate blown = i -> v.clipped[i] > t.blownAboveClipped();
        double share = v.share(blown);
        double darkerQuarter = v.quantile(v.luma, 0.25);
        if (share >= t.overexposedAboveBlownShare() && darkerQuarter >= t.overexposedAboveLumaQ25()) {
            double c = Math.min(confidence(share - t.overexposedAboveBlownShare(), 0.06),
                    confidence(darkerQuarter - t.overexposedAboveLumaQ25(), 10));
            out.add(new Fault(FaultType.OVEREXPOSED, c, v.where(blown)));
        }
    }

    static double confidence(double margin, double scale) {
        return 1 / (1 + Math.exp(-margin / scale));
    }

    private static List<Integer> sorted(List<Integer> cells) {
        return cells.stream().distinct().sorted().toList();
    }

    private static double median(List<Double> v) {
        if (v.isEmpty()) {
            return 0;
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    /** The cell readings as arrays, with the frame-level order statistics the rules share. */
    private static final class CellView {
        final int n;
        final int cols;
        final int rows;
        final double[] luma;
        final double[] contrast;
        final double[] range;
        final double[] crisp;
        final double[] clipped;
        final double[] black;
        final double[] white;
        final double[] saturation;
        final double[] red;
        final double[] green;
        final double[] blue;
        final int textured;
        final double crisp90;
        final double blackFloor;
        final double saturation50;
        final double saturation90;
        final double range50;

        CellView(CellReadings c) {
            n = c.size();
            cols = c.cols();
            rows = c.rows();
            luma = c.values(CellReading::meanLuma);
            contrast = c.values(CellReading::contrast);
            range = c.values(CellReading::range);
            crisp = c.values(CellReading::crispness);
            clipped = c.values(CellReading::clippedBright);
            black = c.values(CellReading::blackLevel);
            white = c.values(CellReading::whiteLevel);
            saturation = c.values(CellReading::saturation);
            red = c.values(CellReading::meanRed);
            green = c.values(CellReading::meanGreen);
            blue = c.values(CellReading::meanBlue);
            double[] texturedCrisp = java.util.stream.IntStream.range(0, n).filter(this::isTextured)
                    .mapToDouble(i -> crisp[i]).toArray();
            textured = texturedCrisp.length;
            crisp90 = textured == 0 ? Double.NaN : quantile(texturedCrisp, 0.9);
            blackFloor = quantile(black, 0.1);
            saturation50 = quantile(saturation, 0.5);
            saturation90 = quantile(saturation, 0.9);
            range50 = quantile(range, 0.5);
        }

        /** Enough range for edges to be judged (a clear sky or a blank wall is not). */
        boolean isTextured(int i) {
            return range[i] >= FaultThresholds.TEXTURED_ABOVE_RANGE;
        }

        boolean greyscale(FaultThresholds t) {
            return saturation50 < t.greyscaleBelowSaturation() / 2 && saturation90 < t.greyscaleBelowSaturation();
        }

        double share(IntPredicate p) {
            return count(p) / (double) n;
        }

        int count(IntPredicate p) {
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (p.test(i)) {
                    k++;
                }
            }
            return k;
        }

        List<Integer> where(IntPredicate p) {
            List<Integer> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (p.test(i)) {
                    out.add(i);
                }
            }
            return out;
        }

        List<Integer> all() {
            return where(i -> true);
        }

        /** True when one of the 8 neighbours of cell i satisfies p. */
        boolean touches(int i, IntPredicate p) {
            int r = i / cols;
            int c = i % cols;
            for (int rr = Math.max(0, r - 1); rr <= Math.min(rows - 1, r + 1); rr++) {
                for (int cc = Math.max(0, c - 1); cc <= Math.min(cols - 1, c + 1); cc++) {
                    int j = rr * cols + cc;
                    if (j != i && p.test(j)) {
                        return true;
                    }
                }
            }
            return false;
        }

        /** 4-connected groups of the cells satisfying p. */
        List<List<Integer>> components(IntPredicate p) {
            boolean[] seen = new boolean[n];
            List<List<Integer>> out = new ArrayList<>();
            int[] stack = new int[n];
            for (int s = 0; s < n; s++) {
                if (seen[s] || !p.test(s)) {
                    continue;
                }
                List<Integer> comp = new ArrayList<>();
                int top = 0;
                stack[top++] = s;
                seen[s] = true;
                while (top > 0) {
                    int k = stack[--top];
                    comp.add(k);
                    int r = k / cols;
                    int c = k % cols;
                    int[][] next = {{r - 1, c}, {r + 1, c}, {r, c - 1}, {r, c + 1}};
                    for (int[] rc : next) {
                        if (rc[0] >= 0 && rc[0] < rows && rc[1] >= 0 && rc[1] < cols) {
                            int j = rc[0] * cols + rc[1];
                            if (!seen[j] && p.test(j)) {
                                seen[j] = true;
                                stack[top++] = j;
                            }
                        }
                    }
                }
                out.add(comp);
            }
            return out;
        }

        /** Chroma magnitude of the mean chroma of the least colourful quarter of the cells. */
        double neutralCast() {
            double[] cr = new double[n];
            double[] cb = new double[n];
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                double m = (red[i] + green[i] + blue[i]) / 3 + 8;
                cr[i] = (red[i] - green[i]) / m;
                cb[i] = (blue[i] - green[i]) / m;
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(Math.hypot(cr[a], cb[a]), Math.hypot(cr[b], cb[b])));
            int k = Math.max(1, n / 4);
            double sr = 0;
            double sb = 0;
            for (int j = 0; j < k; j++) {
                sr += cr[order[j]];
                sb += cb[order[j]];
            }
            return Math.hypot(sr / k, sb / k);
        }

        double quantile(double[] values, double q) {
            double[] s = values.clone();
            Arrays.sort(s);
            int k = (int) Math.round(q * (s.length - 1));
            return s[Math.max(0, Math.min(s.length - 1, k))];
        }
    }
}
