package io.frameq.translate;

import io.frameq.frame.RgbImage;
import io.frameq.model.ModelDescriptor.Crop;
import io.frameq.model.ModelDescriptor.CropPolicy;
import io.frameq.model.ModelDescriptor.Patches;
import io.frameq.model.ModelDescriptor.Sampling;
import io.frameq.translate.CropSampler.Box;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where the patches of a full-reference patch set go, and the patch pixels: crop policy
 * {@code patches}, sampling {@code halton} (described here) or {@code caps} (content-aware, see
 * {@link CapsSampler}; it needs both images: {@link #plan(RgbImage, RgbImage)}), exactly as {@code models/MODEL-JSON.md} ("Policy
 * patches") and the Python reference {@code frameq_models.export.golden.sample_patches} define it, so that
 * Java and Python cut the same patches at the same places with the same float32 values.
 *
 * <p>For an image of H×W and patches of P×P (count N, up to S levels):
 * <ol>
 *   <li>Pyramid: level 0 is the normalized image, level s the 2×2 average of level s-1 (odd last
 *       row/column dropped), so {@code H_s = floor(H_{s-1} / 2)}. Levels whose shorter side is below
 *       P are not used; L is the number of usable levels (at least 1, else the image is refused).</li>
 *   <li>Patches per level: {@link Patches#countsPerScale(int)} (256 over 5 levels: 165/59/21/8/3).</li>
 *   <li>Patch i = 1..n_s of level s: top-left {@code y = floor(halton(i, 2) * (H_s - P + 1))},
 *       {@code x = floor(halton(i, 3) * (W_s - P + 1))} ({@link #halton(long, int)}, float64).</li>
 *   <li>Order: level 0 first, i ascending. Centre {@code u = (y + P/2) / (H_s - P/2)},
 *       {@code v = (x + P/2) / (W_s - P/2)}, clamped to {@code [0, 1 - 1e-6]} in float64, then
 *       float32; scale index {@code s}.</li>
 * </ol>
 *
 * <p><b>Seed.</b> The contract has no seed: seed 0 (the default) is the contract and reproduces the
 * Python golden patch for patch. A seed {@code k > 0} takes the next disjoint block of the same
 * Halton sequence on every level (patch i of level s uses index {@code i + k * n_s}), a different,
 * equally well spread, still deterministic patch set — for averaging repeated draws, as the 2024
 * VTAMIQ code does with random draws. For {@code caps} the seed seeds the generator (again 0 is the
 * contract). {@code halton} ignores the image content; {@code caps} follows VTAMIQ's published
 * method (difference map + centre bias + uniform) with a generator that both languages share.
 *
 * <p><b>Pixels.</b> {@link #extract} does not build the pyramid of the whole image: a level-s
 * patch is the 2^s-times 2×2 average of its own {@code P·2^s}-square region of the normalized
 * image. Pooling cells are aligned to the region's corner (a multiple of 2^s), so every value is
 * computed by the same float32 operations, in the same order ({@code ((a + b) + c) + d}, times
 * 0.25), as the reference's whole-image pyramid — bit for bit — at a fraction of the cost on large
 * frames.
 *
 * <p>Immutable and thread-safe.
 */
public final class PatchSampler {

    /** Upper clamp of a patch centre coordinate (positions lie in [0, 1)). */
    public static final double MAX_POSITION = 1.0 - 1e-6;

    /**
     * One patch.
     *
     * @param scale pyramid level it is cut from
     * @param y top row on that level
     * @param x left column on that level
     * @param u centre row in [0, 1), the {@code positions} value fed to the model (float32)
     * @param v centre column in [0, 1)
     */
    public record Patch(int scale, int y, int x, float u, float v) {}

    /**
     * The patch set of one image size.
     *
     * @param width image width
     * @param height image height
     * @param patchSize P
     * @param countsPerScale patches per usable level, level 0 first (copied)
     * @param patches the patches, in batch order
     */
    public record Plan(int width, int height, int patchSize, int[] countsPerScale, List<Patch> patches) {
        public Plan {
            countsPerScale = countsPerScale.clone();
            patches = List.copyOf(patches);
        }

        @Override
        public int[] countsPerScale() {
            return countsPerScale.clone();
        }

        /** Number of patches (N). */
        public int count() {
            return patches.size();
        }

        /** Number of usable pyramid levels. */
        public int levels() {
            return countsPerScale.length;
        }

        /** {@code positions} for the model, row-major {@code [N, 2]}: (u, v) per patch. */
        public float[] positions() {
            float[] out = new float[patches.size() * 2];
            for (int i = 0; i < patches.size(); i++) {
                out[2 * i] = patches.get(i).u();
                out[2 * i + 1] = patches.get(i).v();
            }
            return out;
        }

        /** {@code scales} for the model, row-major {@code [N, 2]}: the level index in both columns. */
        public long[] scales() {
            long[] out = new long[patches.size() * 2];
            for (int i = 0; i < patches.size(); i++) {
                out[2 * i] = patches.get(i).scale();
                out[2 * i + 1] = patches.get(i).scale();
            }
            return out;
        }

        /** Floats one image's patches occupy: {@code N * 3 * P * P}. */
        public int patchLength() {
            return Math.multiplyExact(patches.size(), 3 * patchSize * patchSize);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Plan p && width == p.width && height == p.height && patchSize == p.patchSize
                    && Arrays.equals(countsPerScale, p.countsPerScale) && patches.equals(p.patches);
        }

        @Override
        public int hashCode() {
            return Objects.hash(width, height, patchSize, Arrays.hashCode(countsPerScale), patches);
        }

        @Override
        public String toString() {
            return "Plan[" + width + "x" + height + ", " + patches.size() + " patches of " + patchSize + "x" + patchSize
                    + " per level " + Arrays.toString(countsPerScale) + "]";
        }
    }

    private final Crop crop;
    private final Patches params;
    private final int p;
    private final long seed;

    /** The contract's sampler (seed 0). */
    public PatchSampler(Crop crop) {
        this(crop, 0);
    }

    /**
     * A sampler drawing the patch set {@code seed} (0 = the contract; see the class comment).
     *
     * @throws IllegalArgumentException when the crop policy is not {@code patches} or the seed is negative
     */
    public PatchSampler(Crop crop, long seed) {
        this.crop = Objects.requireNonNull(crop, "crop");
        if (crop.policy() != CropPolicy.PATCHES || crop.patches().isEmpty()) {
            throw new IllegalArgumentException("PatchSampler: expected crop policy patches, actual " + crop.policy().wire());
        }
        if (seed < 0) {
            throw new IllegalArgumentException("PatchSampler: seed must be >= 0, got " + seed);
        }
        this.params = crop.patches().get();
        this.p = crop.height();
        this.seed = seed;
    }

    public Crop crop() {
        return crop;
    }

    public long seed() {
        return seed;
    }

    /** Patch side P. */
    public int patchSize() {
        return p;
    }

    /** Patches per image pair (N). */
    public int count() {
        return params.count();
    }

    /**
     * The radical inverse of {@code index} (>= 1) in {@code base}, the 1-D Halton sequence, in
     * float64 with the reference's operations: {@code f = 1; r = 0; while i > 0: f /= b;
     * r += f * (i % b); i //= b}.
     */
    public static double halton(long index, int base) {
        if (index < 0 || base < 2) {
            throw new IllegalArgumentException("halton: index >= 0 and base >= 2 required, got " + index + ", " + base);
        }
        double f = 1.0;
        double r = 0.0;
        long i = index;
        while (i > 0) {
            f /= base;
            r += f * (i % base);
            i /= base;
        }
        return r;
    }

    /** Number of usable pyramid levels of a {@code width}×{@code height} image (0 when it is smaller than one patch). */
    public int usableLevels(int width, int height) {
        int levels = 0;
        int h = height;
        int w = width;
        for (int s = 0; s < params.scales(); s++) {
            if (Math.min(h, w) >= p) {
                levels++;
            }
            h /= 2;
            w /= 2;
        }
        return levels;
    }

    /** The sampling this sampler applies. */
    public Sampling sampling() {
        return params.sampling();
    }

    /**
     * The patch set of a pair on the same grid (the distorted image already resized to the
     * reference size): content-aware for {@code caps}, {@link #plan(int, int)} for {@code halton}.
     *
     * @throws IllegalArgumentException when the sizes differ or the image is smaller than one patch
     */
    public Plan plan(RgbImage reference, RgbImage distorted) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(distorted, "distorted");
        if (params.sampling() != Sampling.CAPS) {
            return plan(reference.width(), reference.height());
        }
        int[] counts = countsFor(reference.width(), reference.height());
        return new Plan(reference.width(), reference.height(), p, counts,
                CapsSampler.place(reference, distorted, p, counts, seed));
    }

    /** Patches per usable level of a {@code width}×{@code height} image (level 0 first). */
    int[] countsFor(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("PatchSampler: image size must be positive, got " + width + "x" + height);
        }
        int levels = usableLevels(width, height);
        if (levels == 0) {
            throw new IllegalArgumentException("PatchSampler: image " + width + "x" + height + " is smaller than one " + p
                    + "x" + p + " patch");
        }
        return params.countsPerScale(levels);
    }

    /**
     * The Halton patch set of a {@code width}×{@code height} image (sampling {@code halton}; a
     * {@code caps} sampler needs the pixels, {@link #plan(RgbImage, RgbImage)}).
     *
     * @throws IllegalArgumentException when the image is smaller than one patch
     * @throws IllegalStateException when the sampling is {@code caps}
     */
    public Plan plan(int width, int height) {
        if (params.sampling() == Sampling.CAPS) {
            throw new IllegalStateException("PatchSampler: sampling caps places patches by content; call plan(reference, distorted)");
        }
        int[] counts = countsFor(width, height);
        int levels = counts.length;
        List<Patch> patches = new ArrayList<>(params.count());
        double half = p / 2.0;
        for (int s = 0; s < levels; s++) {
            int hs = height >> s;
            int ws = width >> s;
            long first = Math.multiplyExact(seed, (long) counts[s]);
            for (int i = 1; i <= counts[s]; i++) {
                long index = Math.addExact(first, i);
                int y = (int) Math.floor(halton(index, 2) * (hs - p + 1));
                int x = (int) Math.floor(halton(index, 3) * (ws - p + 1));
                patches.add(new Patch(s, y, x, position(y, half, hs), position(x, half, ws)));
            }
        }
        return new Plan(width, height, p, counts, patches);
    }

    /** A patch centre coordinate fed to the model: {@code (start + P/2) / (side - P/2)}, clamped, as float32. */
    static float position(int start, double half, int side) {
        return (float) clamp((start + half) / (side - half));
    }

    private static double clamp(double t) {
        return Math.min(Math.max(t, 0.0), MAX_POSITION);
    }

    /**
     * Writes the patches of {@code plan} cut from {@code image}, normalized by {@code normalizer},
     * into {@code dst[offset ..]} as {@code [N, 3, P, P]} ({@link Plan#patchLength()} floats).
     *
     * @throws IllegalArgumentException when the image is not the plan's size or {@code dst} is too short
     */
    public void extract(Plan plan, RgbImage image, ImageNormalizer normalizer, float[] dst, int offset) {
        if (image.width() != plan.width() || image.height() != plan.height()) {
            throw new IllegalArgumentException("PatchSampler: plan for " + plan.width() + "x" + plan.height()
                    + ", image " + image.width() + "x" + image.height());
        }
        int ps = plan.patchSize();
        if (offset < 0 || (long) offset + plan.patchLength() > dst.length) {
            throw new IllegalArgumentException("PatchSampler: " + plan.patchLength() + " floats at offset " + offset
                    + " exceed the buffer of " + dst.length);
        }
        int top = plan.levels() - 1;
        float[] region = new float[(ps << top) * (ps << top)];
        int plane = ps * ps;
        int out = offset;
        for (Patch patch : plan.patches()) {
            int s = patch.scale();
            int side = ps << s;
            Box box = new Box(patch.x() << s, patch.y() << s, side, side);
            for (int c = 0; c < 3; c++) {
                normalizer.writePlane(image, box, c, region, 0);
                pool(region, side, s);
                System.arraycopy(region, 0, dst, out, plane);
                out += plane;
            }
        }
    }

    /**
     * {@code times} 2×2 average-poolings of the {@code side}-square plane at the start of {@code a},
     * in place: value {@code (((a + b) + c) + d) * 0.25f} of the top-left, top-right, bottom-left,
     * bottom-right cells, in float32. In place is safe: output j reads cells at indices >= j only.
     */
    static void pool(float[] a, int side, int times) {
        int n = side;
        for (int t = 0; t < times; t++) {
            int m = n / 2;
            for (int y = 0; y < m; y++) {
                int r0 = 2 * y * n;
                int r1 = r0 + n;
                int o = y * m;
                for (int x = 0; x < m; x++) {
                    int c0 = r0 + 2 * x;
                    int c1 = r1 + 2 * x;
                    a[o + x] = (((a[c0] + a[c0 + 1]) + a[c1]) + a[c1 + 1]) * 0.25f;
                }
            }
            n = m;
        }
    }

    @Override
    public String toString() {
        return "PatchSampler[" + params.count() + " patches of " + p + "x" + p + ", up to " + params.scales() + " levels, "
                + params.sampling().wire() + (seed == 0 ? "" : ", seed " + seed) + "]";
    }
}
