package io.frameq.translate;

import io.frameq.frame.RgbImage;
import io.frameq.model.FloatTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelDescriptor.Family;
import io.frameq.model.ModelDescriptor.QualityMapping;
import io.frameq.model.ModelDescriptor.ScoreSpec;
import io.frameq.model.ModelLoadException;
import io.frameq.model.TensorSpec;
import io.frameq.translate.CropSampler.Box;
import io.frameq.translate.CropSampler.Plan;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * Pre- and post-processing of a no-reference IQA model ({@code family: nr-iqa}).
 *
 * <p>Pre: frame → {@link CropSampler} plan → {@link ImageNormalizer} → one float32 batch
 * {@code [units, 3, h, w]}. Post: the score output (the output named {@code score}, else the
 * first declared output; one value per unit) → per-crop scores → frame score by
 * {@code preprocess.aggregate} → quality in [0, 1] by {@code score.quality}
 * ({@code clamp((score - low) / (high - low))}; lower-is-better models state {@code low > high}).
 *
 * <p>Immutable and thread-safe; the caller owns the batch buffers it passes in.
 */
public final class NrTranslator {

    /** One frame's batch: the plan it was cut by and the tensor to run. */
    public record Batch(Plan plan, FloatTensor tensor) {}

    /**
     * Post-processed result of one frame.
     *
     * @param score frame score on the model's own scale
     * @param quality normalized quality, 0 worst .. 1 best
     * @param cropScores per-unit scores in batch order
     * @param map where the score comes from, on the fault grid; null when the model has no patch maps
     */
    public record Scores(double score, double quality, double[] cropScores, PatchMaps.Grid map) {
        public Scores(double score, double quality, double[] cropScores) {
            this(score, quality, cropScores, null);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Scores s && Double.compare(score, s.score) == 0 && Double.compare(quality, s.quality) == 0
                    && Arrays.equals(cropScores, s.cropScores) && Objects.equals(map, s.map);
        }

        @Override
        public int hashCode() {
            return Objects.hash(score, quality, Arrays.hashCode(cropScores), map);
        }

        @Override
        public String toString() {
            return "Scores[score=" + score + ", quality=" + quality + ", cropScores=" + Arrays.toString(cropScores) + "]";
        }
    }

    private final ModelDescriptor descriptor;
    private final CropSampler sampler;
    private final ImageNormalizer normalizer;
    private final String inputName;
    private final String scoreOutput;
    /** MANIQA-style per-patch outputs, both present or both null. */
    private final String scoreMapOutput;
    private final String weightMapOutput;
    private final java.util.Set<String> outputs;
    private final ScoreSpec scoreSpec;

    /**
     * @throws ModelLoadException when the descriptor is not an nr-iqa model with a score section
     */
    public NrTranslator(ModelDescriptor descriptor) {
        this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
        if (descriptor.family() != Family.NR_IQA) {
            throw new ModelLoadException(descriptor.name(), "family", Family.NR_IQA.wire() + " (for a no-reference scorer)",
                    descriptor.family().wire());
        }
        this.scoreSpec = descriptor.score().orElseThrow(() ->
                new ModelLoadException(descriptor.name(), "score", "a score section for family nr-iqa", "missing"));
        this.sampler = new CropSampler(descriptor.preprocess().crop());
        this.normalizer = new ImageNormalizer(descriptor.preprocess());
        this.inputName = descriptor.inputs().get(0).name();
        this.scoreOutput = descriptor.output("score").orElse(descriptor.outputs().get(0)).name();
        boolean maps = descriptor.output(SCORE_MAP).isPresent() && descriptor.output(WEIGHT_MAP).isPresent();
        this.scoreMapOutput = maps ? SCORE_MAP : null;
        this.weightMapOutput = maps ? WEIGHT_MAP : null;
        this.outputs = maps ? java.util.Set.of(scoreOutput, SCORE_MAP, WEIGHT_MAP) : java.util.Set.of(scoreOutput);
    }

    /** Output names of the per-patch score and weight maps an attention-pooling model (MANIQA) declares. */
    public static final String SCORE_MAP = "score_map";
    public static final String WEIGHT_MAP = "weight_map";

    /** The graph outputs a run must fetch: the score, and the patch maps when the model has them. */
    public java.util.Set<String> outputs() {
        return outputs;
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    public CropSampler sampler() {
        return sampler;
    }

    public ImageNormalizer normalizer() {
        return normalizer;
    }

    /** The graph input the batch feeds. */
    public String inputName() {
        return inputName;
    }

    /** The graph output holding one score per unit. */
    public String scoreOutput() {
        return scoreOutput;
    }

    /** The plan for {@code image}. */
    public Plan plan(RgbImage image) {
        return sampler.plan(image.width(), image.height());
    }

    /** Floats the batch of {@code plan} needs. */
    public static int batchLength(Plan plan) {
        int n = 0;
        for (Box b : plan.boxes()) {
            n = Math.addExact(n, ImageNormalizer.unitLength(b));
        }
        return n;
    }

    /**
     * Scales (when the plan says so), cuts and normalizes {@code image} into a batch. Writes into {@code reuse} when it has exactly
     * the needed length, else allocates.
     */
    public Batch preprocess(RgbImage image, float[] reuse) {
        Plan plan = plan(image);
        Box first = plan.boxes().get(0);
        long[] shape = {plan.units(), 3, first.height(), first.width()};
        TensorSpec spec = descriptor.inputs().get(0);
        if (!spec.accepts(shape)) {
            throw new IllegalArgumentException("model '" + descriptor.name() + "': batch " + Arrays.toString(shape)
                    + " does not fit input " + spec);
        }
        int length = batchLength(plan);
        float[] data = reuse != null && reuse.length == length ? reuse : new float[length];
        RgbImage source = plan.rescaled() ? BilinearResampler.resize(image, plan.scaledWidth(), plan.scaledHeight()) : image;
        int offset = 0;
        for (Box box : plan.boxes()) {
            normalizer.write(source, box, data, offset);
            offset += ImageNormalizer.unitLength(box);
        }
        return new Batch(plan, new FloatTensor(data, shape));
    }

    /**
     * Per-crop scores, frame score and quality from the model's outputs for a batch of
     * {@code units}.
     *
     * @throws IllegalArgumentException when the score output is missing or has the wrong size
     * @throws ArithmeticException when a score is not finite (a model fault, not a quality)
     */
    public Scores postprocess(Map<String, FloatTensor> outputs, int units) {
        FloatTensor t = outputs.get(scoreOutput);
        if (t == null) {
            throw new IllegalArgumentException("model '" + descriptor.name() + "': output '" + scoreOutput
                    + "' expected, actual outputs " + outputs.keySet());
        }
        if (t.data().length != units) {
            throw new IllegalArgumentException("model '" + descriptor.name() + "': output '" + scoreOutput + "' expected " + units
                    + " values (one per crop), actual shape " + Arrays.toString(t.shape()));
        }
        double[] crops = new double[units];
        double sum = 0;
        for (int i = 0; i < units; i++) {
            crops[i] = t.data()[i];
            if (!Double.isFinite(crops[i])) {
                throw new ArithmeticException("model '" + descriptor.name() + "': crop " + i + " scored " + crops[i]);
            }
            sum += crops[i];
        }
        double score = switch (descriptor.preprocess().aggregate()) {
            case MEAN -> sum / units;
        };
        return new Scores(score, quality(score), crops);
    }

    /**
     * Like {@link #postprocess(Map, int)}, and with the patch maps projected on the frame's grid when the model
     * declares them and the run fetched them.
     */
    public Scores postprocess(Map<String, FloatTensor> outputs, Plan plan) {
        Scores s = postprocess(outputs, plan.units());
        FloatTensor scoreMap = scoreMapOutput == null ? null : outputs.get(scoreMapOutput);
        FloatTensor weightMap = weightMapOutput == null ? null : outputs.get(weightMapOutput);
        if (scoreMap == null || weightMap == null) {
            return s;
        }
        return new Scores(s.score(), s.quality(), s.cropScores(), PatchMaps.project(plan, scoreMap, weightMap));
    }

    /** The normalized 0..1 quality of a score on the model's scale (see {@link QualityMapping}). */
    public double quality(double score) {
        return scoreSpec.quality().apply(score);
    }

    @Override
    public String toString() {
        return "NrTranslator[" + descriptor.id() + ", " + sampler + ", score output '" + scoreOutput + "']";
    }
}
