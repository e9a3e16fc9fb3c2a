package io.frameq.quality;

import io.frameq.frame.RgbImage;
import io.frameq.model.FloatTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelLoadException;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.InferenceException;
import io.frameq.onnx.OnnxModel;
import io.frameq.onnx.OrtRuntime;
import io.frameq.translate.FrTranslator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Scores reference/distorted pairs with a full-reference IQA model (family {@code fr-iqa}, e.g.
 * VTAMIQ): {@link FrTranslator} pre-processing (rendition resize, CAPS or Halton patch set, normalization),
 * one {@link OnnxModel} run per pair, score → quality.
 *
 * <p>Thread-safe: open one per model per application and share it between stream threads. Patch
 * buffers are pooled, so steady-state scoring allocates no per-pair patch set.
 *
 * <pre>{@code
 * try (OrtRuntime rt = OrtRuntime.create(ExecutionConfig.cpu().withThreads(2, 1));
 *      FrScorer scorer = FrScorer.open(ModelRepository.bundled(), "vtamiq-lite", rt)) {
 *     FrScore s = scorer.score(reference, distorted);
 * }
 * }</pre>
 */
public final class FrScorer implements AutoCloseable {

    private static final int MAX_POOLED = 32;

    private final ModelDescriptor descriptor;
    private final FrTranslator translator;
    private final OnnxModel model;
    private final Set<String> outputs;
    private final ConcurrentLinkedQueue<float[]> buffers = new ConcurrentLinkedQueue<>();

    private FrScorer(FrTranslator translator, OnnxModel model) {
        this.descriptor = translator.descriptor();
        this.translator = translator;
        this.model = model;
        this.outputs = Set.of(translator.scoreOutput());
    }

    /**
     * Resolves {@code name} in {@code repo} and opens it on {@code runtime}.
     *
     * @throws ModelLoadException when the model is missing, broken, not fr-iqa, or does not match
     *     its model.json
     */
    public static FrScorer open(ModelRepository repo, String name, OrtRuntime runtime) {
        return open(repo.resolve(name), runtime);
    }

    /** Opens {@code descriptor} on {@code runtime}; see {@link #open(ModelRepository, String, OrtRuntime)}. */
    public static FrScorer open(ModelDescriptor descriptor, OrtRuntime runtime) {
        FrTranslator translator = new FrTranslator(descriptor); // family and score checks before the session
        return new FrScorer(translator, OnnxModel.open(descriptor, runtime));
    }

    /**
     * Scores {@code distorted} against {@code reference}. A distorted image of another size with the
     * same aspect ratio (a rendition) is resized to the reference size first (see {@link FrTranslator}).
     *
     * @throws IllegalArgumentException when the reference is smaller than one patch or the distorted
     *     image is not a rendition of it
     * @throws InferenceException when the model run fails
     * @throws ArithmeticException when the model produces a non-finite score
     * @throws IllegalStateException after {@link #close()}
     */
    public FrScore score(RgbImage reference, RgbImage distorted) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(distorted, "distorted");
        long t0 = System.nanoTime();
        float[] ref = buffers.poll();
        float[] dist = buffers.poll();
        FrTranslator.Batch batch;
        try {
            batch = translator.preprocess(reference, distorted, ref, dist);
        } catch (RuntimeException e) {
            recycle(ref);
            recycle(dist);
            throw e;
        }
        long t1 = System.nanoTime();
        Map<String, FloatTensor> out;
        try {
            out = model.run(batch.inputs(), outputs);
        } finally {
            recycle(batch.patchesRef().data());
            recycle(batch.patchesDist().data());
        }
        long t2 = System.nanoTime();
        FrTranslator.Scores s = translator.postprocess(out);
        long t3 = System.nanoTime();
        return new FrScore(descriptor.name(), descriptor.version(), descriptor.trained(), s.score(), s.quality(),
                batch.plan().count(), batch.resized(), t1 - t0, t2 - t1, t3 - t2);
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    public FrTranslator translator() {
        return translator;
    }

    /** The execution provider in use ({@code cpu} after a fallback). */
    public String activeProvider() {
        return model.activeProvider();
    }

    /** The graph's precision: {@code fp32}, or {@code fp16} / {@code int8} when a sibling graph runs (see {@code OnnxModel.graphFor}). */
    public String precision() {
        return model.precision();
    }

    private void recycle(float[] buffer) {
        if (buffer != null && buffers.size() < MAX_POOLED) {
            buffers.offer(buffer);
        }
    }

    /** Closes the model; runs in flight finish first. */
    @Override
    public void close() {
        model.close();
        buffers.clear();
    }

    @Override
    public String toString() {
        return "FrScorer[" + descriptor.id() + " on " + model.activeProvider() + "]";
    }
}
