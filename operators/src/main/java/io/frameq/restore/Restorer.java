package io.frameq.restore;

import io.frameq.frame.RgbImage;
import io.frameq.model.FloatTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelDescriptor.CropPolicy;
import io.frameq.model.ModelDescriptor.Family;
import io.frameq.model.ModelDescriptor.Preprocess;
import io.frameq.model.ModelLoadException;
import io.frameq.model.ModelRepository;
import io.frameq.model.TensorSpec;
import io.frameq.onnx.OnnxModel;
import io.frameq.onnx.OrtRuntime;
import io.frameq.translate.CropSampler.Box;
import io.frameq.translate.ImageNormalizer;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs an image-restoration model (family {@code restore}): the whole frame is normalised with the
 * descriptor's {@code preprocess} block ({@link ImageNormalizer}: {@code (pixel / scale - mean) / std},
 * CHW, colour order), sent through the model as one {@code [1, 3, H, W]} unit, and the
 * {@code [1, 3, H, W]} output is returned as a tensor and as an 8-bit image
 * ({@code round(clamp((x * std + mean) * scale, 0, 255))} per channel).
 *
 * <p>The contract ({@code models/MODEL-JSON.md}, family {@code restore}): crop policy {@code none},
 * exactly one float32 input {@code [B, 3, H, W]} and a float32 first output of rank 4 with 3
 * channels; H and W may be dynamic (the graph pads to its multiple and crops back). Thread-safe:
 * share one per model.
 */
public final class Restorer implements AutoCloseable {

    private static final int C = 3;

    private final ModelDescriptor descriptor;
    private final ImageNormalizer normalizer;
    private final OnnxModel model;
    private final String inputName;
    private final String outputName;

    /** The model's output for one frame: the raw tensor and the frame it encodes. */
    public record Restored(FloatTensor tensor, RgbImage image, long preprocessNanos, long inferenceNanos) {}

    private Restorer(ModelDescriptor descriptor, OnnxModel model) {
        this.descriptor = descriptor;
        this.normalizer = new ImageNormalizer(descriptor.preprocess());
        this.model = model;
        this.inputName = descriptor.inputs().get(0).name();
        this.outputName = descriptor.outputs().get(0).name();
    }

    /** Resolves {@code name} in {@code repo} and opens it on {@code runtime}. */
    public static Restorer open(ModelRepository repo, String name, OrtRuntime runtime) {
        return open(repo.resolve(name), runtime);
    }

    /**
     * Opens {@code descriptor} on {@code runtime}.
     *
     * @throws ModelLoadException when the descriptor is not a restore contract (family, crop policy,
     *     input/output shapes) or the model does not load
     */
    public static Restorer open(ModelDescriptor descriptor, OrtRuntime runtime) {
        check(descriptor);
        return new Restorer(descriptor, OnnxModel.open(descriptor, runtime));
    }

    /** The restore contract checks, done before a session is opened. */
    static void check(ModelDescriptor d) {
        String model = d.name();
        if (d.family() != Family.RESTORE) {
            throw new ModelLoadException(model, "family", "restore (for a restorer)", d.family().wire());
        }
        if (d.preprocess().crop().policy() != CropPolicy.NONE) {
            throw new ModelLoadException(model, "preprocess.crop.policy", "none (a restorer works on whole frames)",
                    d.preprocess().crop().policy().wire());
        }
        if (d.inputs().size() != 1) {
            throw new ModelLoadException(model, "inputs", "exactly 1 input for family restore", d.inputs().size() + " inputs");
        }
        checkImage(model, "inputs[0]", d.inputs().get(0));
        checkImage(model, "outputs[0]", d.outputs().get(0));
    }

    private static void checkImage(String model, String field, TensorSpec s) {
        long[] shape = s.shape();
        if (!"float32".equals(s.dtype()) || shape.length != 4 || shape[1] != C) {
            throw new ModelLoadException(model, field, "float32 [N, 3, H, W]", s.dtype() + Arrays.toString(shape));
        }
    }

    /** The model input for {@code image}: {@code [1, 3, H, W]}, normalised per the descriptor. */
    public FloatTensor input(RgbImage image) {
        Objects.requireNonNull(image, "image");
        float[] data = new float[C * image.width() * image.height()];
        normalizer.write(image, new Box(0, 0, image.width(), image.height()), data, 0);
        return new FloatTensor(data, new long[] {1, C, image.height(), image.width()});
    }

    /** The model input for the {@code box} of {@code image}: {@code [1, 3, box.height, box.width]}. */
    public FloatTensor input(RgbImage image, Box box) {
        Objects.requireNonNull(image, "image");
        float[] data = new float[C * box.width() * box.height()];
        normalizer.write(image, box, data, 0);
        return new FloatTensor(data, new long[] {1, C, box.height(), box.width()});
    }

    /**
     * Runs the model on one prepared {@code [1, 3, H, W]} input (a whole frame or a tile) and returns
     * its output in model space.
     *
     * @throws io.frameq.onnx.InferenceException when the model run fails
     * @throws IllegalStateException when the output shape differs from the input's
     */
    public FloatTensor run(FloatTensor in) {
        Map<String, FloatTensor> out = model.run(Map.of(inputName, in), Set.of(outputName));
        FloatTensor restored = out.get(outputName);
        if (!Arrays.equals(restored.shape(), in.shape())) {
            throw new IllegalStateException("model '" + descriptor.name() + "': output '" + outputName + "' has shape "
                    + Arrays.toString(restored.shape()) + ", expected the input's " + Arrays.toString(in.shape()));
        }
        return restored;
    }

    /**
     * Restores one frame.
     *
     * @throws io.frameq.onnx.InferenceException when the model run fails
     * @throws IllegalStateException when the output is not {@code [1, 3, H, W]} of the frame's size,
     *     or after {@link #close()}
     */
    public Restored restore(RgbImage image) {
        long t0 = System.nanoTime();
        FloatTensor in = input(image);
        long t1 = System.nanoTime();
        Map<String, FloatTensor> out = model.run(Map.of(inputName, in), Set.of(outputName));
        long t2 = System.nanoTime();
        FloatTensor restored = out.get(outputName);
        if (!Arrays.equals(restored.shape(), in.shape())) {
            throw new IllegalStateException("model '" + descriptor.name() + "': output '" + outputName + "' has shape "
                    + Arrays.toString(restored.shape()) + ", expected the input's " + Arrays.toString(in.shape()));
        }
        return new Restored(restored, toImage(restored, descriptor.preprocess()), t1 - t0, t2 - t1);
    }

    /** Inverse of the normalisation for a {@code [1, 3, H, W]} tensor: 8-bit RGB, rounded half up and clamped. */
    public static RgbImage toImage(FloatTensor t, Preprocess p) {
        if (t.rank() != 4 || t.dim(0) != 1 || t.dim(1) != C) {
            throw new IllegalArgumentException("expected a [1, 3, H, W] tensor, got " + Arrays.toString(t.shape()));
        }
        int h = Math.toIntExact(t.dim(2));
        int w = Math.toIntExact(t.dim(3));
        int plane = h * w;
        byte[] px = new byte[3 * plane];
        float[] data = t.data();
        for (int c = 0; c < C; c++) {
            int dst = p.colorOrder() == ModelDescriptor.ColorOrder.RGB ? c : C - 1 - c;
            double mean = p.mean()[c];
            double std = p.std()[c];
            for (int i = 0; i < plane; i++) {
                double v = Math.floor((data[c * plane + i] * std + mean) * p.scale() + 0.5);
                px[i * 3 + dst] = (byte) (int) Math.max(0, Math.min(255, v));
            }
        }
        return new RgbImage(w, h, px);
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    /** The execution provider in use ({@code cpu} after a fallback). */
    public String activeProvider() {
        return model.activeProvider();
    }

    /** The graph's precision: {@code fp32}, or {@code fp16} / {@code int8} when a sibling graph runs (see {@code OnnxModel.graphFor}). */
    public String precision() {
        return model.precision();
    }

    @Override
    public void close() {
        model.close();
    }
}
