package io.frameq.detect;

import io.frameq.frame.RgbImage;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/**
 * Cheap per-frame quality detectors: blur, noise, exposure, black frame, frozen feed and blockiness, plus the
 * spatial fault diagnosis ({@link SpatialGrid}, {@link FaultRules}), in a few passes over the frame (about 6-8 ms of
 * CPU time for a 1080p frame on one core of the development machine, 5 ms for JPEG and BT.601 video frames, whose
 * luma plane the decoder hands on; the grid adds about 1.2-1.5 ms of that; about 2 ms for a 1080p JPEG the decoder
 * shrank to 960x540 and handed on as its Y'CbCr planes, 1.7 ms at 480x270; see {@code DetectorBenchmark} and {@code DecodeDetectBenchmark}
 * in the test sources).
 *
 * <p>Pipeline: one pass over the RGB24 pixels computes the luma plane (BT.601, integer
 * {@code (77 R + 150 G + 29 B + 128) >> 8}) together with the exposure statistics, or, when the decoder
 * handed on its own luma plane ({@link RgbImage#luma()}: the Y of JPEG and of BT.601 video), one pass over
 * that for the statistics alone; two row-sampled passes over the luma plane compute the noise estimate and
 * the blockiness at native resolution (noise and 8x8 blocks disappear when the picture is shrunk); then luma
 * is resampled to a working plane {@value #WORKING_WIDTH} px wide (the full picture's, so a JPEG decoded at a quarter is
 * enlarged to it) for the sharpness, and the working plane is shrunk to the {@value #THUMBNAIL_WIDTH}x{@value #THUMBNAIL_HEIGHT}
 * thumbnail used to detect a frozen feed; the same working plane and a sparse sample of the RGB pixels (or of the
 * JPEG's own planes, {@link RgbImage#planes()}, read point by point) feed the spatial grid, whose pass over the
 * working plane also sums the whole-frame Laplacian (the sharpness), and whose cells {@link FaultRules} diagnose
 * (faults that touch part of the picture, and scenes whose normal look is uneven). BLUR, DARK and OVEREXPOSED come from that diagnosis, see {@link #withDiagnosis}.
 * A full decode that the working plane shrinks 1.5x or more also gets one sampled pass at about its own scale
 * ({@link FineEdges}: 0.6 ms at 1080p, 1.6 ms at 4K), for defocus whose edges read crisp once shrunk.
 *
 * <p>Flag precedence: {@link Degradation#BLACK} is exclusive. A black frame has no content to judge, so it
 * raises neither DARK (implied), BLUR (a flat frame has no detail), FROZEN (a feed that stays black is reported
 * as black, not as frozen, on every frame) nor anything else; its readings, including {@code frozenDiff}, are
 * still reported. All other flags are independent and may fire together (a frozen blurry frame is both).
 *
 * <p>Thread-safe and stateless: the only fields are the immutable thresholds and fault rules; each call allocates its own
 * buffers. Per-stream state (the previous thumbnail) belongs to the caller, e.g. a Kafka Streams state store.
 */
public final class DetectorSuite {

    /** Width of the luma plane the sharpness is measured on, whatever the frame's resolution. */
    public static final int WORKING_WIDTH = 640;
    /** Cap on the working plane's height, so extreme portrait frames stay cheap (scale is then set by height). */
    public static final int WORKING_MAX_HEIGHT = 1280;
    public static final int THUMBNAIL_WIDTH = 64;
    public static final int THUMBNAIL_HEIGHT = 36;
    /** Length of a thumbnail in bytes. */
    public static final int THUMBNAIL_LENGTH = THUMBNAIL_WIDTH * THUMBNAIL_HEIGHT;

    /** Luma at or below this counts as clipped dark. */
    public static final int CLIP_DARK = 5;
    /** Luma at or above this counts as clipped bright. */
    public static final int CLIP_BRIGHT = 250;

    /**
     * Fraction of (non-clipped) pixels with the lowest Sobel gradient magnitude that the noise estimate uses.
     * For Gaussian white noise the Immerkær response is independent of the Sobel responses (the masks are
     * orthogonal), so selecting by gradient does not bias the estimate while it keeps edges and texture out.
     * Measured on the scikit-image photos: clean-photo floor 0.3-2.2 with 25% (1.2-4.7 using all pixels), and
     * added sigma 5/10/20 recovered within 2-10%.
     */
    static final double NOISE_SMOOTHEST_FRACTION = 0.25;
    /** Pixels per frame above which the noise pass samples rows (see {@link #noiseRowStep}). */
    static final int NOISE_SAMPLE_PIXELS = 150_000;
    /** Pixels per frame above which the blockiness pass samples rows (see {@link #blockRowStep}). */
    static final int BLOCK_SAMPLE_PIXELS = 500_000;
    /** sqrt(pi/2) / 6: Immerkær's scale from mean |mask response| to sigma. */
    private static final double IMMERKAER_SCALE = Math.sqrt(Math.PI / 2) / 6;
    /** Gradient histogram bins (L1 Sobel magnitude, capped); the extra bin collects clipped centre pixels. */
    private static final int GRAD_BINS = 1024;
    /**
     * Packing of the gradient histogram: the low 37 bits sum |mask| (at most 16 * 255 per pixel, so up to 33
     * million pixels per histogram), the high 27 bits count pixels (up to 134 million).
     */
    private static final int HIST_SUM_BITS = 37;
    private static final long HIST_ONE = 1L << HIST_SUM_BITS;
    private static final long HIST_SUM_MASK = HIST_ONE - 1;
    /**
     * The largest decoder reduction at which the blockiness is measured. At a quarter (FFmpeg lowres 2) each 8x8 block
     * is a 2x2 computed from its four lowest DCT coefficients: the step inside it is the first AC coefficient, not
     * the picture, and the ratio no longer tells blocks apart. Measured on 73 frames of 22 real clips at 1080p
     * (ReducedDecodeAccuracy, BENCHMARKS.md): clean q85 reads 0.77-1.11 (full decode 1.09-1.67), q8 1.07-2.41 (full
     * 2.33-4.05, every frame BLOCKY; at a quarter 2 of 73), q4 1.4-3.0 (22 of 73). So the reading is NaN there
     * rather than a wrong number: BLOCKY cannot fire, the event carries null, the metric and the stream's baseline
     * skip it.
     */
    static final int BLOCKINESS_MAX_REDUCTION = 2;
    /**
     * The blockiness of a picture decoded at half size (FFmpeg lowres 1) is rescaled to {@code 1 + gain * (b - 1)}:
     * the DCT-domain shrink keeps each block's 4x4 low-frequency corner, which smooths the step at the block edge as
     * much as the picture inside, so the part of the ratio above 1 (what the block edges add) reads about a third of
     * the full decode's: per frame 0.27-0.87, median 0.42 at JPEG q8, median 0.35 at q15, 0.28 at q25 (73 frames of 22
     * real clips stretched to 1080p, ReducedDecodeAccuracy; 720p halved to 640: 0.37, 0.29, 0.22). Unscaled, the full
     * decode's threshold caught 2 of 73 frames at q15 (full decode 69) and 52 at q8 (73). The gain is chosen for the
     * false alarms, like {@link DetectorThresholds#DEFAULTS}' blockyAbove: clean q85 frames read at most 1.33 at half
     * (420 frames, 1080p; full decode 1.68) and 1.29 at 720p (full 1.69), so 2 brings the clean maximum to the full
     * decode's, 1.67 and 1.57 against the threshold of 2, with the same margin; it under-corrects compressed frames
     * (q15: 54 of the 69, q8: 69 of 73 flagged at 1080p; 720p: 21 and 69), so the half decode still misses some
     * blocking the full decode sees, and finds none it does not on clean footage. Flat frames read 1 either way. The
     * reading is comparable with the full decode's only roughly: clean frames read lower (median 0.89 against 1.22).
     */
    static final double BLOCKINESS_GAIN_AT_HALF = 2.0;
    /**
     * The sharpness of a picture decoded at a quarter and narrower than the working plane (1080p: 480 px) is
     * multiplied by this, to bring it back about to the full
     * decode's scale: its working plane is enlarged from 480 px, and the detail between 480 and 640 px across, which
     * carries most of the Laplacian's energy, is gone. The full decode's sharpness over the quarter's (420 frames of 22
     * real clips at 1080p q85, ReducedDecodeAccuracy): 1.36-3.51, median 2.27; 2.55 (geometric mean) on the 186
     * frames of clips shot at 768 px or more. An approximation like the noise's rescaling: the share of fine detail
     * varies with the scene, so a reading may be off by a factor of 1.5 either way; the stream's baseline, which
     * learns from the same decode, is not affected, and a baseline learnt on the full decode stays within its
     * lost-focus margin (0.3 of the normal) after a switch to the quarter.
     */
    static final double SHARPNESS_GAIN_AT_QUARTER = 2.5;
    /** Added to both sides of the blockiness ratio so flat frames read 1 rather than 0/0. */
    private static final double BLOCKINESS_EPS = 0.5;

    /**
     * Per-thread luma plane, reused across frames: a 1080p plane is 2 MB, a "humongous" allocation for G1 with
     * its default region sizes, and allocating one per frame showed up as GC jitter in the benchmark. Nothing
     * computed from it outlives a call, so reuse cannot leak state between frames or streams. Holds the largest
     * frame a thread has seen (8 MB for 4K).
     */
    private static final ThreadLocal<byte[]> LUMA = ThreadLocal.withInitial(() -> new byte[0]);

    private final DetectorThresholds thresholds;
    private final FaultRules faultRules;

    public DetectorSuite(DetectorThresholds thresholds, FaultRules faultRules) {
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
        this.faultRules = Objects.requireNonNull(faultRules, "faultRules");
    }

    public DetectorSuite(DetectorThresholds thresholds) {
        this(thresholds, new FaultRules());
    }

    /** A suite with {@link DetectorThresholds#DEFAULTS}. */
    public DetectorSuite() {
        this(DetectorThresholds.DEFAULTS);
    }

    public DetectorThresholds thresholds() {
        return thresholds;
    }

    /**
     * Measures one frame and flags what crosses the thresholds.
     *
     * @param image             the decoded frame
     * @param previousThumbnail the {@link DetectorReport#thumbnail()} of the stream's previous frame, or null for
     *                          the first frame. A thumbnail of the wrong length (e.g. stored by another version
     *                          with another thumbnail size) is treated as absent: {@code frozenDiff} is NaN.
     */
    public DetectorReport analyze(RgbImage image, byte[] previousThumbnail) {
        return analyze(image, previousThumbnail, 1);
    }

    /**
     * {@link #analyze(RgbImage, byte[])} of a picture the decoder shrank by {@code reduction} (1, 2 or 4) in the DCT
     * domain (JPEG {@code lowres}). The sharpness, exposure, thumbnail and grid work on a 640 px plane anyway; the
     * two native-resolution readings are brought back to the full picture's scale: JPEG's 8x8 blocks are
     * {@code 8 / reduction} pixels wide in the reduced picture, so the blockiness looks for that grid, and keeping
     * the low-frequency {@code 8/r x 8/r} corner of each block keeps about {@code 1/r^2} of white noise's energy, so
     * the noise sigma is scaled by {@code reduction} (an approximation: camera noise is not quite white). The
     * blockiness, whose block edges the shrink smooths too, is rescaled by {@link #BLOCKINESS_GAIN_AT_HALF}.
     *
     * <p>At a quarter (1080p decoded to 480x270) the working plane is enlarged to the full picture's 640 px, and the
     * readings lose more (measured on real 1080p footage, see BENCHMARKS.md "Decode at a quarter"): the Laplacian
     * reads 0.29-0.74 of the full decode's (the detail between 480 and 640 px across carries most of its energy),
     * so the sharpness is rescaled by {@link #SHARPNESS_GAIN_AT_QUARTER}, approximately; the cells' crispness (the
     * DEFOCUSED rule) reads about 0.8 of the full decode's; scene texture leaks into the rescaled noise (clean frames
     * up to 4.5 where the full decode reads 0.3); and the blockiness is not measured (NaN,
     * {@link #BLOCKINESS_MAX_REDUCTION}). The thresholds are the full decode's.
     */
    public DetectorReport analyze(RgbImage image, byte[] previousThumbnail, int reduction) {
        Objects.requireNonNull(image, "image");
        if (reduction != 1 && reduction != 2 && reduction != 4) {
            throw new IllegalArgumentException("reduction: expected 1, 2 or 4, actual " + reduction);
        }
        int w = image.width();
        int h = image.height();
        int n = w * h; // RgbImage guarantees 3 * n fits an int
        byte[] luma = image.luma();
        Exposure exposure;
        if (luma != null) {
            exposure = exposureOf(luma, n);
        } else {
            luma = lumaBuffer(n);
            exposure = lumaAndExposure(image.pixels(), luma, n);
        }
        NoiseAndBlocks nb = noiseAndBlocks(luma, w, h, reduction);
        if (reduction > 1) {
            // (a quarter's blockiness is NaN and stays NaN)
            nb = new NoiseAndBlocks(nb.noiseSigma() * reduction, 1 + BLOCKINESS_GAIN_AT_HALF * (nb.blockiness() - 1));
        }
        Plane working = workingPlane(luma, w, h, reduction);
        byte[] thumb = thumbnailOf(working);
        double frozenDiff = frozenDiff(thumb, previousThumbnail);
        // the grid's pass over the working plane also sums the whole-frame Laplacian: the sharpness, without a pass of its own
        SpatialGrid.Reading grid = SpatialGrid.readWithLaplacian(working.values, working.width, working.height, image);
        // only a plane enlarged from a quarter decode lost detail; 4K at a quarter (960x540) still shrinks to 640
        boolean enlargedQuarter = reduction > 2 && working.width > w;
        double sharpness = enlargedQuarter ? grid.laplacianVariance() * SHARPNESS_GAIN_AT_QUARTER : grid.laplacianVariance();
        CellReadings cells = grid.cells();

        double mean = exposure.sum / (double) n;
        double variance = Math.max(0, exposure.sumSquares / (double) n - mean * mean);
        DetectorReadings readings = new DetectorReadings(sharpness, nb.noiseSigma, mean, exposure.dark / (double) n,
                exposure.bright / (double) n, Math.sqrt(variance), nb.blockiness, frozenDiff);
        EnumSet<Degradation> flags = flags(readings, thresholds);
        boolean black = flags.contains(Degradation.BLACK);
        // a full-size decode of a large picture: how steep its sharpest edges are at its own scale (reduced decodes
        // are already near the working width, and so are small pictures)
        double fineEdges = !black && reduction == 1 && FineEdges.applies(w, h) ? FineEdges.sharpest(luma, w, h) : Double.NaN;
        List<Fault> faults = faultRules.diagnose(readings, cells, black, fineEdges);
        return new DetectorReport(readings, black ? flags : withDiagnosis(flags, faults, thresholds), thumb, cells,
                faults);
    }

    /**
     * The whole-frame flags for given readings under given thresholds (the precedence rules of this class). Without
     * the spatial diagnosis: {@link #analyze} replaces BLUR, DARK and OVEREXPOSED by its verdicts (see
     * {@link #withDiagnosis}).
     */
    public static EnumSet<Degradation> flags(DetectorReadings r, DetectorThresholds t) {
        EnumSet<Degradation> flags = EnumSet.noneOf(Degradation.class);
        if (r.meanLuma() < t.blackBelowMeanLuma() && r.contrast() < t.blackBelowContrast()) {
            flags.add(Degradation.BLACK);
            return flags; // exclusive, see class doc
        }
        if (r.sharpness() < t.blurBelowSharpness()) {
            flags.add(Degradation.BLUR);
        }
        if (r.noiseSigma() > t.noiseAboveSigma()) {
            flags.add(Degradation.NOISE);
        }
        if (r.meanLuma() < t.darkBelowMeanLuma()) {
            flags.add(Degradation.DARK);
        }
        if (r.clippedBright() > t.overexposedAboveClippedBright()) {
            flags.add(Degradation.OVEREXPOSED);
        }
        if (!Double.isNaN(r.frozenDiff()) && r.frozenDiff() < t.frozenBelowDiff()) {
            flags.add(Degradation.FROZEN);
        }
        if (r.blockiness() > t.blockyAbove()) {
            flags.add(Degradation.BLOCKY);
        }
        return flags;
    }

    /**
     * The whole-frame flags with BLUR, DARK and OVEREXPOSED decided by the spatial diagnosis instead of whole-frame
     * thresholds: a smooth 512 px crop is not blurred, a night street with lamps is not dark, a clipped sky over a
     * road is not over-exposed (issue 21). BLUR is kept as the old name of DEFOCUSED, so routes and alerts keyed on
     * it keep working. An operator who configured one of those three thresholds away from its default (e.g.
     * {@code detect.dark.luma.min}) asked for the whole-frame rule: it still raises its flag too. A blur threshold of
     * 0 ("disabled") keeps BLUR off; DEFOCUSED is still reported.
     */
    static EnumSet<Degradation> withDiagnosis(EnumSet<Degradation> wholeFrame, List<Fault> faults, DetectorThresholds t) {
        DetectorThresholds d = DetectorThresholds.DEFAULTS;
        EnumSet<Degradation> flags = EnumSet.copyOf(wholeFrame);
        if (t.blurBelowSharpness() == d.blurBelowSharpness()) {
            flags.remove(Degradation.BLUR);
        }
        if (t.darkBelowMeanLuma() == d.darkBelowMeanLuma()) {
            flags.remove(Degradation.DARK);
        }
        if (t.overexposedAboveClippedBright() == d.overexposedAboveClippedBright()) {
            flags.remove(Degradation.OVEREXPOSED);
        }
        for (Fault f : faults) {
            if (f.type().isFault()) {
                flags.add(f.type().degradation());
            }
            if (f.type() == FaultType.DEFOCUSED && t.blurBelowSharpness() > 0) {
                flags.add(Degradation.BLUR);
            }
        }
        return flags;
    }

    /**
     * The {@value #THUMBNAIL_WIDTH}x{@value #THUMBNAIL_HEIGHT} luma thumbnail of a frame (row-major, one unsigned
     * byte per pixel, area-averaged; frames that are not 16:9 are stretched to it). Same bytes as
     * {@link DetectorReport#thumbnail()} of {@link #analyze}.
     */
    public static byte[] thumbnail(RgbImage image) {
        Objects.requireNonNull(image, "image");
        int n = image.width() * image.height();
        byte[] luma = image.luma();
        if (luma == null) {
            luma = lumaBuffer(n);
            lumaAndExposure(image.pixels(), luma, n);
        }
        return thumbnailOf(workingPlane(luma, image.width(), image.height()));
    }

    /**
     * Mean absolute difference between two thumbnails in luma units; NaN when {@code previous} is null or not a
     * thumbnail of this suite's size.
     */
    public static double frozenDiff(byte[] current, byte[] previous) {
        if (previous == null || previous.length != THUMBNAIL_LENGTH || current.length != THUMBNAIL_LENGTH) {
            return Double.NaN;
        }
        long sum = 0;
        for (int i = 0; i < THUMBNAIL_LENGTH; i++) {
            sum += Math.abs((current[i] & 0xff) - (previous[i] & 0xff));
        }
        return sum / (double) THUMBNAIL_LENGTH;
    }

    // ---------------------------------------------------------------------------------------------------------

    private static byte[] lumaBuffer(int n) {
        byte[] b = LUMA.get();
        if (b.length < n) {
            b = new byte[n];
            LUMA.set(b);
        }
        return b;
    }

    record Exposure(long sum, long sumSquares, long dark, long bright) {
    }

    /**
     * Fills {@code luma} from packed RGB24 and builds the luma histogram on the way (two interleaved tables keep
     * runs of equal values from serialising on one counter); the exposure statistics come from the histogram.
     */
    static Exposure lumaAndExposure(byte[] rgb, byte[] luma, int n) {
        int[] h0 = new int[256];
        int[] h1 = new int[256];
        int i = 0;
        int p = 0;
        for (; i + 1 < n; i += 2, p += 6) {
            int y0 = (77 * (rgb[p] & 0xff) + 150 * (rgb[p + 1] & 0xff) + 29 * (rgb[p + 2] & 0xff) + 128) >> 8;
            int y1 = (77 * (rgb[p + 3] & 0xff) + 150 * (rgb[p + 4] & 0xff) + 29 * (rgb[p + 5] & 0xff) + 128) >> 8;
            luma[i] = (byte) y0;
            luma[i + 1] = (byte) y1;
            h0[y0]++;
            h1[y1]++;
        }
        if (i < n) {
            int y0 = (77 * (rgb[p] & 0xff) + 150 * (rgb[p + 1] & 0xff) + 29 * (rgb[p + 2] & 0xff) + 128) >> 8;
            luma[i] = (byte) y0;
            h0[y0]++;
        }
        return fromHistograms(h0, h1);
    }

    /** The exposure statistics of a luma plane the decoder provided (see {@link RgbImage#luma()}). */
    static Exposure exposureOf(byte[] luma, int n) {
        int[] h0 = new int[256];
        int[] h1 = new int[256];
        int i = 0;
        for (; i + 1 < n; i += 2) {
            h0[luma[i] & 0xff]++;
            h1[luma[i + 1] & 0xff]++;
        }
        if (i < n) {
            h0[luma[i] & 0xff]++;
        }
        return fromHistograms(h0, h1);
    }

    private static Exposure fromHistograms(int[] h0, int[] h1) {
        long sum = 0;
        long sumSquares = 0;
        long dark = 0;
        long bright = 0;
        for (int v = 0; v < 256; v++) {
            long c = (long) h0[v] + h1[v];
            sum += c * v;
            sumSquares += c * v * v;
            if (v <= CLIP_DARK) {
                dark += c;
            } else if (v >= CLIP_BRIGHT) {
                bright += c;
            }
        }
        return new Exposure(sum, sumSquares, dark, bright);
    }

    record NoiseAndBlocks(double noiseSigma, double blockiness) {
    }

    /**
     * Two passes over the native-resolution luma. The noise pass bins Immerkær's noise mask response
     * {@code [1 -2 1; -2 4 -2; 1 -2 1]} by the Sobel L1 gradient magnitude (so the smoothest pixels can be
     * selected afterwards) on every {@link #noiseRowStep}-th row; the block pass sums the horizontal and vertical
     * luma steps for the blockiness on every {@link #blockRowStep}-th row. They sample separately because the
     * noise histogram costs about five times as much per pixel, and because the blockiness needs many rows on the
     * 8-row grid lines to be stable from frame to frame.
     */
    static NoiseAndBlocks noiseAndBlocks(byte[] l, int w, int h) {
        return noiseAndBlocks(l, w, h, 1);
    }

    /**
     * @param reduction by how much the decoder shrank the picture (1, 2 or 4): the JPEG block grid's period is
     *     {@code 8 / reduction} pixels, and both passes sample rows as they would on the full picture (see
     *     {@link #noiseRowStep(int, int, int)} and {@link #blockRowStep(int, int, int)}). At a quarter the blockiness
     *     is not measured (NaN, see {@link #BLOCKINESS_MAX_REDUCTION})
     */
    static NoiseAndBlocks noiseAndBlocks(byte[] l, int w, int h, int reduction) {
        if (w < 3 || h < 3) {
            return new NoiseAndBlocks(0, 1);
        }
        double blockiness = reduction > BLOCKINESS_MAX_REDUCTION ? Double.NaN
                : blockiness(l, w, h, 8 / reduction, blockRowStep(w, h, reduction));
        return new NoiseAndBlocks(noiseSigma(l, w, h, noiseRowStep(w, h, reduction)), blockiness);
    }

    /** Mean |Immerkær mask| over the smoothest {@link #NOISE_SMOOTHEST_FRACTION} of the non-clipped pixels, as sigma. */
    private static double noiseSigma(byte[] l, int w, int h, int rowStep) {
        // Per gradient bin, count (high bits) and sum of |mask| (low HIST_SUM_BITS bits) packed in one long, so
        // the hot loop does one scatter per pixel; two interleaved histograms (even/odd x) halve the store-to-load
        // dependency chains in flat regions where neighbours fall in the same bin.
        long[] histEven = new long[GRAD_BINS + 1];
        long[] histOdd = new long[GRAD_BINS + 1];
        for (int y = rowStep; y < h - 1; y += rowStep) {
            int r0 = (y - 1) * w;
            int r1 = y * w;
            int r2 = (y + 1) * w;
            int a = l[r0] & 0xff, b = l[r0 + 1] & 0xff;
            int d = l[r1] & 0xff, e = l[r1 + 1] & 0xff;
            int g = l[r2] & 0xff, hh = l[r2 + 1] & 0xff;
            int x = 1;
            for (; x + 1 < w - 1; x += 2) {
                // pixel x
                int c = l[r0 + x + 1] & 0xff;
                int f = l[r1 + x + 1] & 0xff;
                int i = l[r2 + x + 1] & 0xff;
                int mask = (a + c + g + i) - 2 * (b + d + f + hh) + 4 * e;
                int gx = (c + 2 * f + i) - (a + 2 * d + g);
                int gy = (g + 2 * hh + i) - (a + 2 * b + c);
                int bin = (e <= CLIP_DARK || e >= CLIP_BRIGHT) ? GRAD_BINS
                        : Math.min(GRAD_BINS - 1, Math.abs(gx) + Math.abs(gy));
                histEven[bin] += HIST_ONE | Math.abs(mask);
                // pixel x + 1: the window moves right by one
                int c2 = l[r0 + x + 2] & 0xff;
                int f2 = l[r1 + x + 2] & 0xff;
                int i2 = l[r2 + x + 2] & 0xff;
                int mask2 = (b + c2 + hh + i2) - 2 * (c + e + f2 + i) + 4 * f;
                int gx2 = (c2 + 2 * f2 + i2) - (b + 2 * e + hh);
                int gy2 = (hh + 2 * i + i2) - (b + 2 * c + c2);
                int bin2 = (f <= CLIP_DARK || f >= CLIP_BRIGHT) ? GRAD_BINS
                        : Math.min(GRAD_BINS - 1, Math.abs(gx2) + Math.abs(gy2));
                histOdd[bin2] += HIST_ONE | Math.abs(mask2);
                a = c;
                b = c2;
                d = f;
                e = f2;
                g = i;
                hh = i2;
            }
            if (x < w - 1) { // odd tail: one pixel left
                int c = l[r0 + x + 1] & 0xff;
                int f = l[r1 + x + 1] & 0xff;
                int i = l[r2 + x + 1] & 0xff;
                int mask = (a + c + g + i) - 2 * (b + d + f + hh) + 4 * e;
                int gx = (c + 2 * f + i) - (a + 2 * d + g);
                int gy = (g + 2 * hh + i) - (a + 2 * b + c);
                int bin = (e <= CLIP_DARK || e >= CLIP_BRIGHT) ? GRAD_BINS
                        : Math.min(GRAD_BINS - 1, Math.abs(gx) + Math.abs(gy));
                histEven[bin] += HIST_ONE | Math.abs(mask);
            }
        }
        long considered = 0;
        long[] count = new long[GRAD_BINS];
        long[] maskSum = new long[GRAD_BINS];
        for (int k = 0; k < GRAD_BINS; k++) {
            count[k] = (histEven[k] >>> HIST_SUM_BITS) + (histOdd[k] >>> HIST_SUM_BITS);
            maskSum[k] = (histEven[k] & HIST_SUM_MASK) + (histOdd[k] & HIST_SUM_MASK);
            considered += count[k];
        }
        if (considered == 0) {
            return 0;
        }
        double target = Math.max(1, considered * NOISE_SMOOTHEST_FRACTION);
        double taken = 0;
        double sum = 0;
        for (int k = 0; k < GRAD_BINS && taken < target; k++) {
            if (count[k] == 0) {
                continue;
            }
            double part = Math.min(1, (target - taken) / count[k]); // part of the last bin, pro rata
            taken += count[k] * part;
            sum += maskSum[k] * part;
        }
        return IMMERKAER_SCALE * sum / taken;
    }

    /** Mean luma step across the block grid lines over the mean step inside the blocks, on the sampled rows. */
    private static double blockiness(byte[] l, int w, int h, int block, int rowStep) {
        long hAll = 0;         // sum |L(x,y) - L(x-1,y)| over x in 1..w-2
        long hBoundary = 0;    // part of hAll at x % 8 == 0
        long vBoundary = 0;    // sum |L(x,y) - L(x,y-1)| over rows y % 8 == 0
        long vInner = 0;
        long vRows = 0;
        long vBoundaryRows = 0;
        for (int y = rowStep; y < h - 1; y += rowStep) {
            int r0 = (y - 1) * w;
            int r1 = y * w;
            int hRow = 0;
            int vRow = 0;
            for (int x = 1; x < w - 1; x++) {
                int e = l[r1 + x] & 0xff;
                hRow += Math.abs(e - (l[r1 + x - 1] & 0xff));
                vRow += Math.abs(e - (l[r0 + x] & 0xff));
            }
            hAll += hRow;
            for (int bx = block; bx < w - 1; bx += block) {
                hBoundary += Math.abs((l[r1 + bx] & 0xff) - (l[r1 + bx - 1] & 0xff));
            }
            if (y % block == 0) {
                vBoundary += vRow;
                vBoundaryRows++;
            } else {
                vInner += vRow;
            }
            vRows++;
        }
        int cols = w - 2;                         // x in 1..w-2
        long hBoundaryCols = (w - 2) / block;     // x = block, 2 block, ... <= w-2
        long boundarySteps = hBoundaryCols * vRows + vBoundaryRows * cols;
        long innerSteps = (cols - hBoundaryCols) * vRows + (vRows - vBoundaryRows) * cols;
        if (boundarySteps == 0 || innerSteps == 0) {
            return 1;
        }
        double boundaryMean = (hBoundary + vBoundary) / (double) boundarySteps;
        double innerMean = (hAll - hBoundary + vInner) / (double) innerSteps;
        return (boundaryMean + BLOCKINESS_EPS) / (innerMean + BLOCKINESS_EPS);
    }

    /**
     * Rows of the noise pass: every row up to about {@link #NOISE_SAMPLE_PIXELS} pixels, then every s-th row
     * (s = 3 at 640x480, 15 at 1080p: 100,000-140,000 pixels), each still with its full-resolution 3x3
     * neighbourhood, so the estimate stays unbiased: within 3 % of the every-row estimate on the demo clip at 480p,
     * 720p and 1080p, clean and with added noise. s is kept odd so that every row phase of the 8-row block grid is
     * sampled equally often.
     */
    static int noiseRowStep(int w, int h) {
        return oddStep(w, h, NOISE_SAMPLE_PIXELS);
    }

    /**
     * Rows of the block pass: every row up to about {@link #BLOCK_SAMPLE_PIXELS} pixels, then every s-th row
     * (s = 5 at 1080p), s odd, coprime with the 8-row grid: an even step samples only even row phases, and on
     * decoded video that made the blockiness of clean frames read up to 10 % high.
     */
    static int blockRowStep(int w, int h) {
        return oddStep(w, h, BLOCK_SAMPLE_PIXELS);
    }

    /**
     * Rows of the noise pass in a picture the decoder shrank by {@code reduction}: a reduced pixel stands for
     * {@code reduction^2} full ones, so the budget is {@link #NOISE_SAMPLE_PIXELS} / reduction^2, the same share of
     * the picture as on the full decode, which comes to the full picture's row step (at 1080p decoded at half size:
     * every 15th row, 35 rows, 34,000 pixels; every 3rd row took 0.6 ms). The estimate is the mean over the smoothest
     * quarter of them, about 8,000 values.
     */
    static int noiseRowStep(int w, int h, int reduction) {
        return oddStep(w, h, NOISE_SAMPLE_PIXELS / (reduction * reduction));
    }

    /**
     * Rows of the block pass in a picture the decoder shrank by {@code reduction}: what keeps the blockiness stable is
     * the number of sampled rows on the block grid's lines, so the step is the one the full picture would get
     * ({@link #blockRowStep(int, int)} of the full size: 5 at 1080p, 27 grid-line rows of the 540 at half size, as
     * many as the full decode samples) instead of every row of the reduced picture.
     */
    static int blockRowStep(int w, int h, int reduction) {
        return blockRowStep(w * reduction, h * reduction);
    }

    private static int oddStep(int w, int h, int pixels) {
        int s = Math.max(1, (int) Math.round((double) w * h / pixels));
        return s % 2 == 0 ? s + 1 : s;
    }

    record Plane(float[] values, int width, int height) {
    }

    /**
     * Luma shrunk (area average) to {@link #WORKING_WIDTH} wide, height capped at {@link #WORKING_MAX_HEIGHT};
     * frames already narrower (and not taller) are used as they are: enlarging adds no detail and would make every
     * small frame read as blurred.
     */
    static Plane workingPlane(byte[] luma, int w, int h) {
        return workingPlane(luma, w, h, 1);
    }

    /** The factor (at most 1) by which a full picture of {@code w x h} is shrunk to its working plane. */
    static double workingScale(long w, long h) {
        return Math.min(1.0, Math.min((double) WORKING_WIDTH / w, (double) WORKING_MAX_HEIGHT / h));
    }

    /**
     * The working plane of a picture the decoder shrank by {@code reduction} (1, 2 or 4): the size is the one the
     * full picture would get, so the sharpness, thumbnail and grid are measured on the plane their thresholds are
     * calibrated on. A picture shrunk below it (1080p decoded at a quarter, 480x270) is enlarged (bilinear, pixel
     * centres aligned) to it: that adds no detail, and the finest detail of the 640 px plane (what a 1080p frame has
     * between 480 and 640 px across) is gone, so the Laplacian reads lower than on the full decode; see
     * {@link #analyze(RgbImage, byte[], int)} for how much.
     */
    static Plane workingPlane(byte[] luma, int w, int h, int reduction) {
        long fullW = (long) w * reduction;
        long fullH = (long) h * reduction;
        double scale = workingScale(fullW, fullH);
        int ww = Math.max(1, (int) Math.round(fullW * scale));
        int wh = Math.max(1, (int) Math.round(fullH * scale));
        if (ww == w && wh == h) {
            float[] plane = new float[w * h];
            for (int i = 0; i < plane.length; i++) {
                plane[i] = luma[i] & 0xff;
            }
            return new Plane(plane, w, h);
        }
        if (ww < w && w % ww == 0 && h % (w / ww) == 0 && h / (w / ww) == wh) {
            return new Plane(Resampler.boxShrink(luma, w, h, w / ww), ww, wh); // 1080p, 720p, 4K: exact 3x, 2x, 6x
        }
        if (w % 3 == 0 && h % 3 == 0 && ww * 3 == w * 2 && wh * 3 == h * 2) {
            return new Plane(Resampler.shrinkThreeToTwo(luma, w, h), ww, wh); // 960x540: 1080p decoded at half size
        }
        if (w % 3 == 0 && h % 3 == 0 && ww * 3 == w * 4 && wh * 3 == h * 4) {
            return new Plane(Resampler.enlargeThreeToFour(luma, w, h), ww, wh); // 480x270: 1080p decoded at a quarter
        }
        return new Plane(Resampler.resample(luma, w, h, ww, wh), ww, wh);
    }

    /** Variance of the 4-neighbour Laplacian over the interior of the plane; 0 below 3x3. */
    static double laplacianVariance(float[] p, int w, int h) {
        if (w < 3 || h < 3) {
            return 0;
        }
        double sum = 0;
        double sumSquares = 0;
        for (int y = 1; y < h - 1; y++) {
            int r = y * w;
            float rowSum = 0;
            float rowSquares = 0;
            for (int x = 1; x < w - 1; x++) {
                int i = r + x;
                float lap = p[i - 1] + p[i + 1] + p[i - w] + p[i + w] - 4 * p[i];
                rowSum += lap;
                rowSquares += lap * lap;
            }
            sum += rowSum;
            sumSquares += rowSquares;
        }
        long n = (long) (w - 2) * (h - 2);
        double mean = sum / n;
        return Math.max(0, sumSquares / n - mean * mean);
    }

    static byte[] thumbnailOf(Plane working) {
        int f = working.width / THUMBNAIL_WIDTH;
        float[] t = working.width == f * THUMBNAIL_WIDTH && working.height == f * THUMBNAIL_HEIGHT
                ? Resampler.boxShrink(working.values, working.width, working.height, f) // 640x360: exact 10x
                : Resampler.resample(working.values, working.width, working.height, THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT);
        byte[] out = new byte[THUMBNAIL_LENGTH];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Math.max(0, Math.min(255, Math.round(t[i])));
        }
        return out;
    }
}
