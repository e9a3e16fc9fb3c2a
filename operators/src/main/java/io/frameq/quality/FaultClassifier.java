package io.frameq.quality;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.frameq.frame.RgbImage;
import io.frameq.model.FloatTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelDescriptor.Family;
import io.frameq.model.ModelLoadException;
import io.frameq.model.ModelRepository;
import io.frameq.model.TensorSpec;
import io.frameq.onnx.OnnxModel;
import io.frameq.onnx.OrtRuntime;

/**
 * Runs a {@code fault-head} model (family {@link Family#FAULT_HEAD}, {@code models/python/frameq_models/archs/faulthead.py}):
 * the whole frame box-averaged to S x S RGB in [0, 1] in, one probability per fault class out. The model computes its
 * own image statistics inside the graph, so this class only shrinks the frame; the shrink is the same arithmetic as
 * the Python {@code box_resize} it was trained with (a plain box mean with integer box edges), so Java and Python see
 * the same features.
 *
 * <p>Each probability has its class's decision threshold folded in: above 0.5 means the fault. The class names (the
 * output's columns) are {@code metrics.classes} of model.json, {@code FaultType} codes.
 *
 * <p>Thread-safe (the ONNX session is); one per application. Cost: one pass over the frame's pixels (about 2 ms for
 * 1080p) and about 2.5 ms of model time on one CPU thread (the graph computes its statistics on 256x256).
 */
public final class FaultClassifier implements AutoCloseable {

    /** The bundled model's name. */
    public static final String DEFAULT_MODEL = "fault-head";

    private final ModelDescriptor descriptor;
    private final OnnxModel model;
    private final List<String> classes;
    private final int size;
    private final String input;
    private final String output;

    private FaultClassifier(ModelDescriptor descriptor, List<String> classes, OnnxModel model) {
        this.descriptor = descriptor;
        this.classes = classes;
        this.model = model;
        this.size = descriptor.preprocess().crop().height();
        this.input = descriptor.inputs().get(0).name();
        this.output = descriptor.outputs().get(0).name();
    }

    /**
     * Resolves {@code name} in {@code repo} and opens it.
     *
     * @throws ModelLoadException when the model is missing or broken, not a fault-head, or its shapes disagree
     */
    public static FaultClassifier open(ModelRepository repo, String name, OrtRuntime runtime) {
        return open(repo.resolve(name), runtime);
    }

    /** Opens {@code descriptor}; see {@link #open(ModelRepository, String, OrtRuntime)}. */
    public static FaultClassifier open(ModelDescriptor descriptor, OrtRuntime runtime) {
        List<String> classes = contract(descriptor); // checked before a session is made
        return new FaultClassifier(descriptor, classes, OnnxModel.open(descriptor, runtime));
    }

    /** The class names in output order, after checking family, input, output and {@code metrics.classes}. */
    static List<String> contract(ModelDescriptor d) {
        String m = d.name();
        if (d.family() != Family.FAULT_HEAD) {
            throw new ModelLoadException(m, "family", Family.FAULT_HEAD.wire() + " (for a fault classifier)", d.family().wire());
        }
        ModelDescriptor.Crop crop = d.preprocess().crop();
        if (crop.height() <= 0 || crop.height() != crop.width()) {
            throw new ModelLoadException(m, "preprocess.crop.size", "[S, S] (the frame is shrunk to a square)",
                    "[" + crop.height() + ", " + crop.width() + "]");
        }
        if (d.inputs().size() != 1 || d.outputs().size() != 1) {
            throw new ModelLoadException(m, "inputs/outputs", "1 input and 1 output",
                    d.inputs().size() + " inputs, " + d.outputs().size() + " outputs");
        }
        TensorSpec in = d.inputs().get(0);
        if (!in.dtype().equals("float32") || in.rank() != 4 || in.dim(1) != 3 || in.dim(2) != crop.height()
                || in.dim(3) != crop.width()) {
            throw new ModelLoadException(m, "inputs[0]", "float32 [N, 3, " + crop.height() + ", " + crop.width() + "]",
                    in.toString());
        }
        Object listed = d.metrics().get("classes");
        if (!(listed instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(String.class::isInstance)) {
            throw new ModelLoadException(m, "metrics.classes", "a non-empty list of fault type codes (the output's columns)",
                    String.valueOf(listed));
        }
        TensorSpec out = d.outputs().get(0);
        if (!out.dtype().equals("float32") || out.rank() != 2 || out.dim(1) != list.size()) {
            throw new ModelLoadException(m, "outputs[0]", "float32 [N, " + list.size() + "] (one column per class)",
                    out.toString());
        }
        return list.stream().map(String.class::cast).toList();
    }

    /**
     * The fault probabilities of one frame, by class code in output order (unmodifiable).
     *
     * @throws io.frameq.onnx.InferenceException when the model run fails
     */
    public Map<String, Double> classify(RgbImage image) {
        Objects.requireNonNull(image, "image");
        float[] chw = boxResize(image, size);
        Map<String, FloatTensor> out = model.run(input, new FloatTensor(chw, new long[] {1, 3, size, size}));
        float[] p = out.get(output).data();
        Map<String, Double> byClass = new LinkedHashMap<>();
        for (int c = 0; c < classes.size(); c++) {
            double v = p[c];
            if (!Double.isFinite(v)) {
                throw new ArithmeticException("model '" + descriptor.name() + "': non-finite probability " + v + " for class "
                        + classes.get(c));
            }
            byClass.put(classes.get(c), v);
        }
        return Collections.unmodifiableMap(byClass);
    }

    /**
     * The frame as a [3, size, size] plane of RGB in [0, 1]: output pixel (y, x) is the mean of the input pixels in
     * rows [floor(y H / size), floor((y + 1) H / size)) and the same for columns, at least one pixel each way
     * (Python: {@code archs.faulthead.box_resize}). Downscaling reads every pixel once; integer sums keep it exact.
     */
    static float[] boxResize(RgbImage image, int size) {
        int w = image.width();
        int h = image.height();
        byte[] px = image.pixels();
        int plane = size * size;
        float[] out = new float[3 * plane];
        int[] x0 = new int[size];
        int[] x1 = new int[size];
        for (int ox = 0; ox < size; ox++) {
            x0[ox] = (int) ((long) ox * w / size);
            x1[ox] = Math.max((int) ((long) (ox + 1) * w / size), x0[ox] + 1);
        }
        for (int oy = 0; oy < size; oy++) {
            int y0 = (int) ((long) oy * h / size);
            int y1 = Math.max((int) ((long) (oy + 1) * h / size), y0 + 1);
            for (int ox = 0; ox < size; ox++) {
                long r = 0;
                long g = 0;
                long b = 0;
                for (int y = y0; y < y1; y++) {
                    int i = (y * w + x0[ox]) * 3;
                    int end = (y * w + x1[ox]) * 3;
                    for (; i < end; i += 3) {
                        r += px[i] & 0xff;
                        g += px[i + 1] & 0xff;
                        b += px[i + 2] & 0xff;
                    }
                }
                double area = 255.0 * (y1 - y0) * (x1[ox] - x0[ox]);
                int o = oy * size + ox;
                out[o] = (float) (r / area);
                out[plane + o] = (float) (g / area);
                out[2 * plane + o] = (float) (b / area);
            }
        }
        return out;
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    /** The class codes, in output order. */
    public List<String> classes() {
        return classes;
    }

    @Override
    public void close() {
        model.close();
    }

    @Override
    public String toString() {
        return "FaultClassifier[" + descriptor.id() + "]";
    }
}
