package io.frameq.quality;

import io.frameq.frame.RgbImage;
import io.frameq.model.FloatTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelLoadException;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.InferenceException;
import io.frameq.onnx.OnnxModel;
import io.frameq.onnx.OrtRuntime;
import io.frameq.translate.NrTranslator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Scores frames with a no-reference IQA model: {@link NrTranslator} pre-processing, one
 * {@link OnnxModel} run for all crops of the frame, post-processing to a frame score and quality.
 *
 * <p>Thread-safe: open one per model per application and share it between stream threads. Batch
 * buffers are pooled, so steady-state scoring allocates no per-frame batch.
 *
 * <pre>{@code
 * try (OrtRuntime rt = OrtRuntime.create(ExecutionConfig.cpu().withThreads(2, 1));
 *      NrScorer scorer = NrScorer.open(ModelRepository.bundled(), "maniqa-lite", rt)) {
 *     NrScore s = scorer.score(image);
 * }
 * }</pre>
 */
public final class NrScorer implements FrameScorer, AutoCloseable {

    private static final int MAX_POOLED = 32;

    private final ModelDescriptor descriptor;
    private final NrTranslator translator;
    private final OnnxModel model;
    private final Set<String> outputs;
    private final ConcurrentLinkedQueue<float[]> buffers = new ConcurrentLinkedQueue<>();

    private NrScorer(NrTranslator translator, OnnxModel model) {
        this.descriptor = translator.descriptor();
        this.translator = translator;
        this.model = model;
        this.outputs = translator.outputs();
    }

    /**
     * Resolves {@code name} in {@code repo} and opens it on {@code runtime}.
     *
     * @throws ModelLoadException when the model is missing, broken, not nr-iqa, or does not match
     *     its model.json
     */
    public static NrScorer open(ModelRepository repo, String name, OrtRuntime runtime) {
        return open(repo.resolve(name), runtime);
    }

    /** Opens {@code descriptor} on {@code runtime}; see {@link #open(ModelRepository, String, OrtRuntime)}. */
    public static NrScorer open(ModelDescriptor descriptor, OrtRuntime runtime) {
        NrTranslator translator = new NrTranslator(descriptor); // family and score checks before the session
        return new NrScorer(translator, OnnxModel.open(descriptor, runtime));
    }

    /**
     * Scores one frame.
     *
     * @throws InferenceException when the model run fails
     * @throws ArithmeticException when the model produces a non-finite score
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public NrScore score(RgbImage image) {
        Objects.requireNonNull(image, "image");
        long t0 = System.nanoTime();
        NrTranslator.Batch batch = translator.preprocess(image, buffers.poll());
        long t1 = System.nanoTime();
        Map<String, FloatTensor> out;
        try {
            out = model.run(Map.of(translator.inputName(), batch.tensor()), outputs);
        } finally {
            recycle(batch.tensor().data());
        }
        long t2 = System.nanoTime();
        NrTranslator.Scores s = translator.postprocess(out, batch.plan());
        long t3 = System.nanoTime();
        return new NrScore(descriptor.name(), descriptor.version(), descriptor.trained(), s.score(), s.quality(),
                s.cropScores(), t1 - t0, t2 - t1, t3 - t2, s.map());
    }

    @Override
    public ModelDescriptor descriptor() {
        return descriptor;
    }

    public NrTranslator translator() {
        return translator;
    }

    /** The shared session, for {@link BatchingNrScorer}. */
    OnnxModel model() {
        return model;
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
        if (buffers.size() < MAX_POOLED) {
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
        return "NrScorer[" + descriptor.id() + " on " + model.activeProvider() + "]";
    }
}
