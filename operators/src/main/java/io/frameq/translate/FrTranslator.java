package io.frameq.translate;

import io.frameq.frame.RgbImage;
import io.frameq.model.FloatTensor;
import io.frameq.model.LongTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelDescriptor.Family;
import io.frameq.model.ModelDescriptor.ScoreSpec;
import io.frameq.model.ModelDescriptorParser;
import io.frameq.model.ModelLoadException;
import io.frameq.model.Tensor;
import io.frameq.model.TensorSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Pre- and post-processing of a full-reference IQA model ({@code family: fr-iqa}, the patch-set
 * contract of {@code models/MODEL-JSON.md}, "Policy patches").
 *
 * <p>Pre: a reference and a distorted {@link RgbImage} → {@link PatchSampler} plan of the pair on
 * the reference grid (content-aware for sampling {@code caps}, the default of vtamiq-lite) → the same patches cut from both images by {@link ImageNormalizer} → the four inputs
 * {@code patches_ref}, {@code patches_dist} float32 {@code [1, N, 3, P, P]}, {@code positions}
 * float32 {@code [1, N, 2]}, {@code scales} int64 {@code [1, N, 2]} (one pair per run).
 *
 * <p><b>Renditions of another size.</b> The reference defines the grid. A distorted image of a
 * different size (a lower-resolution rendition of an adaptive-bitrate ladder, say) is first resized
 * to the reference size with {@link BilinearResampler} (Pillow's {@code BILINEAR}, which filters
 * when it shrinks), as a viewer would upscale it for display; the patches then compare the same
 * places. Its aspect ratio must match the reference's within {@link #MAX_ASPECT_MISMATCH} (2 %,
 * which covers rounded ladders such as 854x480 against 1920x1080); anything further apart is a
 * different picture, not a rendition, and is refused. Equal sizes are used as they are, which is
 * what the Python reference (it requires equal sizes) and the golden files do.
 *
 * <p>Post: the {@code score} output (else the first output; one value per pair) → quality in
 * [0, 1] by {@code score.quality} ({@code clamp((score - low) / (high - low))}, so lower-is-better
 * models with {@code low > high} need no further inversion).
 *
 * <p>Immutable and thread-safe; the caller owns the buffers it passes in.
 */
public final class FrTranslator {

    /** Largest relative difference of aspect ratios accepted between a distorted rendition and its reference. */
    public static final double MAX_ASPECT_MISMATCH = 0.02;

    /**
     * One pair's inputs.
     *
     * @param plan where the patches are (on the reference grid)
     * @param resized true when the distorted image was resized to the reference size first
     * @param patchesRef {@code [1, N, 3, P, P]}
     * @param patchesDist {@code [1, N, 3, P, P]}
     * @param positions {@code [1, N, 2]}
     * @param scales {@code [1, N, 2]}
     */
    public record Batch(PatchSampler.Plan plan, boolean resized, FloatTensor patchesRef, FloatTensor patchesDist,
                        FloatTensor positions, LongTensor scales) {

        /** The model inputs by name. */
        public Map<String, Tensor> inputs() {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put(ModelDescriptorParser.PATCHES_REF, patchesRef);
            m.put(ModelDescriptorParser.PATCHES_DIST, patchesDist);
            m.put(ModelDescriptorParser.POSITIONS, positions);
            m.put(ModelDescriptorParser.SCALES, scales);
            return m;
        }
    }

    /**
     * Post-processed result of one pair.
     *
     * @param score the model's score on its own scale
     * @param quality normalized quality, 0 worst .. 1 best
     */
    public record Scores(double score, double quality) {}

    private final ModelDescriptor descriptor;
    private final PatchSampler sampler;
    private final ImageNormalizer normalizer;
    private final String scoreOutput;
    private final ScoreSpec scoreSpec;

    /** The contract's translator (patch-set seed 0, which reproduces the Python reference). */
    public FrTranslator(ModelDescriptor descriptor) {
        this(descriptor, 0);
    }

    /**
     * A translator drawing patch set {@code seed} (see {@link PatchSampler}).
     *
     * @throws ModelLoadException when the descriptor is not an fr-iqa patch-set model with a score section
     */
    public FrTranslator(ModelDescriptor descriptor, long seed) {
        this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
        if (descriptor.family() != Family.FR_IQA) {
            throw new ModelLoadException(descriptor.name(), "family", Family.FR_IQA.wire() + " (for a full-reference scorer)",
                    descriptor.family().wire());
        }
        this.scoreSpec = descriptor.score().orElseThrow(() ->
                new ModelLoadException(descriptor.name(), "score", "a score section for family fr-iqa", "missing"));
        this.sampler = new PatchSampler(descriptor.preprocess().crop(), seed);
        this.normalizer = new ImageNormalizer(descriptor.preprocess());
        this.scoreOutput = descriptor.output("score").orElse(descriptor.outputs().get(0)).name();
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    public PatchSampler sampler() {
        return sampler;
    }

    public ImageNormalizer normalizer() {
        return normalizer;
    }

    /** The graph output holding the score. */
    public String scoreOutput() {
        return scoreOutput;
    }

    /**
     * {@code distorted} on the reference grid: itself when the sizes are equal, else resized to the
     * reference size with {@link BilinearResampler}.
     *
     * @throws IllegalArgumentException when the aspect ratios differ by more than {@link #MAX_ASPECT_MISMATCH}
     */
    public static RgbImage toReferenceGrid(RgbImage reference, RgbImage distorted) {
        if (distorted.width() == reference.width() && distorted.height() == reference.height()) {
            return distorted;
        }
        double ref = (double) reference.width() / reference.height();
        double dist = (double) distorted.width() / distorted.height();
        if (Math.abs(dist / ref - 1.0) > MAX_ASPECT_MISMATCH) {
            throw new IllegalArgumentException("full-reference pair: distorted " + distorted.width() + "x" + distorted.height()
                    + " is not a rendition of reference " + reference.width() + "x" + reference.height()
                    + " (aspect ratios differ by more than " + Math.round(MAX_ASPECT_MISMATCH * 100) + " %)");
        }
        return BilinearResampler.resize(distorted, reference.width(), reference.height());
    }

    /** The batch of a pair; allocates its patch buffers. */
    public Batch preprocess(RgbImage reference, RgbImage distorted) {
        return preprocess(reference, distorted, null, null);
    }

    /**
     * The batch of a pair. Patches are written into {@code reuseRef} / {@code reuseDist} when they
     * have exactly the needed length ({@link PatchSampler.Plan#patchLength()}), else into new arrays.
     *
     * @throws IllegalArgumentException when the reference is smaller than one patch or the distorted
     *     image is not a rendition of it
     */
    public Batch preprocess(RgbImage reference, RgbImage distorted, float[] reuseRef, float[] reuseDist) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(distorted, "distorted");
        RgbImage dist = toReferenceGrid(reference, distorted);
        PatchSampler.Plan plan = sampler.plan(reference, dist);
        int n = plan.count();
        int p = plan.patchSize();
        int length = plan.patchLength();
        float[] ref = reuseRef != null && reuseRef.length == length ? reuseRef : new float[length];
        float[] dst = reuseDist != null && reuseDist.length == length && reuseDist != ref ? reuseDist : new float[length];
        sampler.extract(plan, reference, normalizer, ref, 0);
        sampler.extract(plan, dist, normalizer, dst, 0);
        long[] patchShape = {1, n, 3, p, p};
        long[] pairShape = {1, n, 2};
        Batch batch = new Batch(plan, dist != distorted, new FloatTensor(ref, patchShape), new FloatTensor(dst, patchShape),
                new FloatTensor(plan.positions(), pairShape), new LongTensor(plan.scales(), pairShape));
        for (Map.Entry<String, Tensor> e : batch.inputs().entrySet()) {
            TensorSpec spec = descriptor.input(e.getKey()).orElseThrow();
            if (!spec.accepts(e.getValue().shape())) {
                throw new IllegalArgumentException("model '" + descriptor.name() + "': " + e.getKey() + " "
                        + Arrays.toString(e.getValue().shape()) + " does not fit input " + spec);
            }
        }
        return batch;
    }

    /**
     * Score and quality from the model's outputs for one pair.
     *
     * @throws IllegalArgumentException when the score output is missing or does not hold one value
     * @throws ArithmeticException when the score is not finite (a model fault, not a quality)
     */
    public Scores postprocess(Map<String, FloatTensor> outputs) {
        FloatTensor t = outputs.get(scoreOutput);
        if (t == null) {
            throw new IllegalArgumentException("model '" + descriptor.name() + "': output '" + scoreOutput
                    + "' expected, actual outputs " + outputs.keySet());
        }
        if (t.data().length != 1) {
            throw new IllegalArgumentException("model '" + descriptor.name() + "': output '" + scoreOutput
                    + "' expected 1 value (one per pair), actual shape " + Arrays.toString(t.shape()));
        }
        double score = t.data()[0];
        if (!Double.isFinite(score)) {
            throw new ArithmeticException("model '" + descriptor.name() + "': pair scored " + score);
        }
        return new Scores(score, quality(score));
    }

    /** The normalized 0..1 quality of a score on the model's scale (see {@link ModelDescriptor.QualityMapping}). */
    public double quality(double score) {
        return scoreSpec.quality().apply(score);
    }

    @Override
    public String toString() {
        return "FrTranslator[" + descriptor.id() + ", " + sampler + ", score output '" + scoreOutput + "']";
    }
}
