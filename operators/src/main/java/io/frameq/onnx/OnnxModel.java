package io.frameq.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import io.frameq.deadline.Deadline;
import io.frameq.deadline.DeadlineExceededException;
import io.frameq.model.FloatTensor;
import io.frameq.model.LongTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelLoadException;
import io.frameq.model.Tensor;
import io.frameq.model.TensorSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model's ONNX Runtime session, checked against its {@code model.json} and shared by every
 * thread that scores with it (ONNX Runtime's {@code run} is thread-safe).
 *
 * <p>{@link #open} reads the ONNX file, checks its sha256, creates the session on the configured
 * execution provider — falling back to CPU with a WARN line when CUDA or TensorRT is requested but
 * unavailable — checks the session's real input and output names, dtypes and shapes against the
 * descriptor, and runs once on zeros so that the first frame does not pay for lazy initialisation.
 * Any mismatch fails with a {@link ModelLoadException} naming model, field, expected and actual.
 *
 * <p>{@link #run} takes plain {@link Tensor}s — float32 {@link FloatTensor}s and int64
 * {@link LongTensor}s, one per declared input, by name — and returns plain {@link FloatTensor}s:
 * every native tensor and result is closed before it returns. Input data is copied into pooled
 * direct buffers (the Java API has no IOBinding). Only float32 outputs are fetched.
 *
 * <p>{@link #close} waits for runs in flight, then releases the session; later runs fail with
 * {@link IllegalStateException}.
 */
public final class OnnxModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxModel.class);
    private static final int MAX_POOLED_BUFFERS = 16;

    private final ModelDescriptor descriptor;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String activeProvider;
    private final String graphFile;
    private final String precision;
    private final Map<String, TensorSpec> inputSpecs;
    private final Set<String> floatOutputs;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final ConcurrentHashMap<Integer, ConcurrentLinkedQueue<ByteBuffer>> buffers = new ConcurrentHashMap<>();
    private final AtomicInteger pooled = new AtomicInteger();
    private boolean closed; // guarded by lock

    private OnnxModel(ModelDescriptor descriptor, ModelDescriptor graph, OrtEnvironment env, OrtSession session,
            String activeProvider) {
        this.descriptor = descriptor;
        this.env = env;
        this.session = session;
        this.activeProvider = activeProvider;
        this.graphFile = graph.file();
        this.precision = descriptor.variants().entrySet().stream().filter(e -> e.getValue().file().equals(graph.file()))
                .map(Map.Entry::getKey).findFirst().orElse("fp32");
        Map<String, TensorSpec> ins = new LinkedHashMap<>();
        descriptor.inputs().forEach(t -> ins.put(t.name(), t));
        this.inputSpecs = Collections.unmodifiableMap(ins);
        Set<String> outs = new LinkedHashSet<>();
        descriptor.outputs().stream().filter(t -> t.dtype().equals("float32")).forEach(t -> outs.add(t.name()));
        this.floatOutputs = Collections.unmodifiableSet(outs);
    }

    /**
     * Opens {@code descriptor}'s ONNX file on {@code runtime}.
     *
     * @throws ModelLoadException when the file is unreadable, its sha256 differs, the session
     *     cannot be created, its inputs/outputs differ from the descriptor, or the warm-up run fails
     */
    public static OnnxModel open(ModelDescriptor descriptor, OrtRuntime runtime) {
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(runtime, "runtime");
        long t0 = System.nanoTime();
        OrtEnvironment env = runtime.env();
        OnnxModel model = createSession(descriptor, runtime, env);
        try {
            model.checkContract();
            model.warmUp();
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        LOG.info("model '{}' v{} open on {} in {} ms ({}, {}, sha256 ok, I/O matches model.json, {})", descriptor.name(),
                descriptor.version(), model.activeProvider, (System.nanoTime() - t0) / 1_000_000, model.graphFile, model.precision,
                descriptor.trained() ? "trained" : "UNTRAINED weights");
        return model;
    }

    /**
     * The graph a session on {@code config}'s provider loads: the fp16 sibling ({@code variants.fp16}
     * in model.json) on CUDA and TensorRT, where half precision runs on tensor cores; on the CPU, where
     * ONNX Runtime's fp16 kernels are slower than its fp32 ones, the fp32 file, or the int8 sibling
     * ({@code variants.int8}) when {@link ExecutionConfig#cpuInt8()} asks for it. A model without the
     * sibling asked for uses its fp32 file.
     */
    public static ModelDescriptor graphFor(ModelDescriptor descriptor, ExecutionConfig config) {
        if (config.provider() == ExecutionConfig.Provider.CPU) {
            return config.cpuInt8() ? descriptor.variantDescriptor(ModelDescriptor.INT8).orElse(descriptor) : descriptor;
        }
        return descriptor.fp16Descriptor().orElse(descriptor);
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    /** The provider the session runs on: {@code cpu}, {@code cuda:<id>} or {@code tensorrt:<id>}. */
    public String activeProvider() {
        return activeProvider;
    }

    /** {@code fp32}, or {@code fp16} / {@code int8} when the session runs that sibling of the model (see {@link #graphFor}). */
    public String precision() {
        return precision;
    }

    /** The ONNX file the session was created from, in the model's version folder. */
    public String graphFile() {
        return graphFile;
    }

    /** Runs the model's single input; returns every float32 output by name, in descriptor order. */
    public Map<String, FloatTensor> run(String inputName, FloatTensor input) {
        return run(Map.of(inputName, input), floatOutputs);
    }

    /**
     * Runs with every declared input (float32 or int64, as declared); returns every float32 output
     * by name, in descriptor order.
     */
    public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs) {
        return run(inputs, floatOutputs);
    }

    /**
     * Runs with every declared input and fetches only {@code outputNames} (float32 outputs). Each
     * input's {@link Tensor#dtype()} must equal the declared dtype and its shape every fixed
     * dimension of the declared shape.
     *
     * @throws IllegalArgumentException when inputs or output names do not match the descriptor
     * @throws InferenceException when ONNX Runtime fails
     * @throws DeadlineExceededException when the calling thread's {@link Deadline} expires before or during the run
     * @throws IllegalStateException when the model is closed
     */
    public Map<String, FloatTensor> run(Map<String, ? extends Tensor> inputs, Set<String> outputNames) {
        checkInputs(inputs);
        for (String o : outputNames) {
            if (!floatOutputs.contains(o)) {
                throw new IllegalArgumentException("model '" + descriptor.name() + "': unknown or non-float32 output '" + o
                        + "', expected one of " + floatOutputs);
            }
        }
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("Trying to run closed model '" + descriptor.name() + "'");
            }
            return runLocked(inputs, outputNames);
        } finally {
            lock.readLock().unlock();
        }
    }

    private Map<String, FloatTensor> runLocked(Map<String, ? extends Tensor> inputs, Set<String> outputNames) {
        Map<String, OnnxTensor> tensors = new HashMap<>();
        List<ByteBuffer> taken = new ArrayList<>(inputs.size());
        try {
            for (Map.Entry<String, ? extends Tensor> e : inputs.entrySet()) {
                tensors.put(e.getKey(), toOnnx(e.getValue(), taken));
            }
            Deadline deadline = Deadline.current();
            if (deadline != null) {
                return runWithDeadline(deadline, tensors, outputNames);
            }
            try (OrtSession.Result result = session.run(tensors, outputNames)) {
                return floats(result, outputNames);
            }
        } catch (OrtException e) {
            throw new InferenceException("model '" + descriptor.name() + "': inference failed on " + activeProvider + ": "
                    + e.getMessage(), e);
        } finally {
            OnnxValue.close(tensors.values());
            taken.forEach(this::give);
        }
    }

    /**
     * A run the watchdog can stop: when the deadline expires, its hook sets the run options'
     * terminate flag, ONNX Runtime stops between kernels and fails the run, and the caller gets a
     * {@link DeadlineExceededException} instead of a thread stuck in native code. The hook and the
     * closing of the options are serialised, so the flag is never set on freed options.
     */
    private Map<String, FloatTensor> runWithDeadline(Deadline deadline, Map<String, OnnxTensor> tensors, Set<String> outputNames)
            throws OrtException {
        deadline.check();
        OrtSession.RunOptions options = new OrtSession.RunOptions();
        Object guard = new Object();
        boolean[] closedOptions = {false};
        Deadline.Registration hook = deadline.onExpire(() -> {
            synchronized (guard) {
                if (!closedOptions[0]) {
                    try {
                        options.setTerminate(true);
                    } catch (OrtException e) {
                        LOG.warn("model '{}': setting the terminate flag failed: {}", descriptor.name(), e.getMessage());
                    }
                }
            }
        });
        try (OrtSession.Result result = session.run(tensors, outputNames, options)) {
            deadline.check(); // expired as the run finished: abandoned all the same, as the watchdog decided
            return floats(result, outputNames);
        } catch (OrtException e) {
            if (deadline.expired()) {
                throw deadline.exceeded(e);
            }
            throw e;
        } finally {
            hook.close();
            synchronized (guard) {
                closedOptions[0] = true;
                options.close();
            }
        }
    }

    private Map<String, FloatTensor> floats(OrtSession.Result result, Set<String> outputNames) {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        for (String name : floatOutputs) {
            if (!outputNames.contains(name)) {
                continue;
            }
            OnnxValue v = result.get(name).orElseThrow(() -> new InferenceException(
                    "model '" + descriptor.name() + "': output '" + name + "' missing from the result"));
            out.put(name, toFloatTensor(name, v));
        }
        return out;
    }

    /** Copies {@code t} into a pooled direct buffer (recorded in {@code taken}) and wraps it, without a second copy. */
    private OnnxTensor toOnnx(Tensor t, List<ByteBuffer> taken) throws OrtException {
        if (t instanceof FloatTensor f) {
            ByteBuffer buf = take(Math.multiplyExact(f.data().length, Float.BYTES));
            taken.add(buf);
            return OnnxTensor.createTensor(env, buf.asFloatBuffer().put(f.data()).flip(), f.shape());
        }
        LongTensor l = (LongTensor) t; // Tensor is sealed: FloatTensor or LongTensor
        ByteBuffer buf = take(Math.multiplyExact(l.data().length, Long.BYTES));
        taken.add(buf);
        return OnnxTensor.createTensor(env, buf.asLongBuffer().put(l.data()).flip(), l.shape());
    }

    private FloatTensor toFloatTensor(String name, OnnxValue v) {
        if (!(v instanceof OnnxTensor t) || t.getInfo().type != OnnxJavaType.FLOAT) {
            throw new InferenceException("model '" + descriptor.name() + "': output '" + name + "' expected a float32 tensor, actual "
                    + v.getInfo());
        }
        FloatBuffer fb = t.getFloatBuffer();
        // getFloatBuffer already copies the native output into a fresh heap buffer that nothing else holds: take its
        // array instead of copying a second time (a restorer's 720p output is 11 MB per run).
        if (fb.hasArray() && fb.arrayOffset() == 0 && fb.position() == 0 && fb.remaining() == fb.array().length) {
            return new FloatTensor(fb.array(), t.getInfo().getShape());
        }
        float[] data = new float[fb.remaining()];
        fb.get(data);
        return new FloatTensor(data, t.getInfo().getShape());
    }

    private void checkInputs(Map<String, ? extends Tensor> inputs) {
        if (!inputs.keySet().equals(inputSpecs.keySet())) {
            throw new IllegalArgumentException("model '" + descriptor.name() + "': inputs expected " + inputSpecs.keySet()
                    + ", actual " + inputs.keySet());
        }
        for (Map.Entry<String, ? extends Tensor> e : inputs.entrySet()) {
            TensorSpec spec = inputSpecs.get(e.getKey());
            Tensor t = Objects.requireNonNull(e.getValue(), () -> "input '" + e.getKey() + "'");
            long[] shape = t.shape();
            if (!spec.dtype().equals(t.dtype()) || !spec.accepts(shape)) {
                throw new IllegalArgumentException("model '" + descriptor.name() + "': input '" + spec.name() + "' expected "
                        + spec.dtype() + Arrays.toString(spec.shape()) + ", actual " + t.dtype() + Arrays.toString(shape));
            }
        }
    }

    /**
     * A cleared native-order direct buffer of exactly {@code bytes}, from the pool when one of that
     * size is there. When none is and the pool is full, one buffer of another size is dropped so
     * that sizes no longer in use (another frame size) do not keep their slots forever.
     */
    private ByteBuffer take(int bytes) {
        ConcurrentLinkedQueue<ByteBuffer> q = buffers.get(bytes);
        ByteBuffer b = q == null ? null : q.poll();
        if (b != null) {
            pooled.decrementAndGet();
            return b.clear();
        }
        if (pooled.get() >= MAX_POOLED_BUFFERS) {
            for (ConcurrentLinkedQueue<ByteBuffer> other : buffers.values()) {
                if (other.poll() != null) {
                    pooled.decrementAndGet();
                    break;
                }
            }
        }
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    private void give(ByteBuffer b) {
        if (pooled.incrementAndGet() <= MAX_POOLED_BUFFERS) {
            buffers.computeIfAbsent(b.capacity(), k -> new ConcurrentLinkedQueue<>()).offer(b);
        } else {
            pooled.decrementAndGet();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            session.close();
            buffers.clear();
        } catch (OrtException e) {
            LOG.warn("model '{}': closing the ONNX Runtime session failed: {}", descriptor.name(), e.getMessage());
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "OnnxModel[" + descriptor.id() + " " + precision + " on " + activeProvider + "]";
    }

    // ------------------------------------------------------------------ open

    private static OnnxModel createSession(ModelDescriptor d, OrtRuntime runtime, OrtEnvironment env) {
        ExecutionConfig cfg = runtime.config();
        ModelDescriptor cpuGraph = graphFor(d, ExecutionConfig.cpu().withCpuInt8(cfg.cpuInt8())); // also the GPU fallback
        if (cfg.provider() != ExecutionConfig.Provider.CPU) {
            ModelDescriptor graph = graphFor(d, cfg);
            byte[] bytes = graph.readOnnx();
            try (OrtSession.SessionOptions opts = runtime.baseOptions()) {
                if (cfg.provider() == ExecutionConfig.Provider.TENSORRT) {
                    opts.addTensorrt(cfg.deviceId());
                }
                opts.addCUDA(cfg.deviceId()); // TensorRT hands unsupported nodes to CUDA
                return new OnnxModel(d, graph, env, env.createSession(bytes, opts), cfg.providerLabel());
            } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
                LOG.warn("model '{}': execution provider {} requested but unavailable, falling back to cpu ({}): {}",
                        d.name(), cfg.providerLabel(), cpuGraph.file(), e.toString());
            }
        }
        byte[] bytes = cpuGraph.readOnnx();
        try (OrtSession.SessionOptions opts = runtime.baseOptions()) {
            return new OnnxModel(d, cpuGraph, env, env.createSession(bytes, opts), "cpu");
        } catch (OrtException e) {
            throw new ModelLoadException(d.name(), "cannot create an ONNX Runtime session from " + cpuGraph.onnxUri() + ": " + e.getMessage(), e);
        }
    }

    private void checkContract() {
        try {
            checkSide("inputs", "input", descriptor.inputs(), session.getInputInfo());
            checkSide("outputs", "output", descriptor.outputs(), session.getOutputInfo());
        } catch (OrtException e) {
            throw new ModelLoadException(descriptor.name(), "cannot read the session's inputs/outputs: " + e.getMessage(), e);
        }
    }

    private void checkSide(String field, String what, List<TensorSpec> declared, Map<String, NodeInfo> real) {
        List<String> expectedNames = declared.stream().map(TensorSpec::name).toList();
        List<String> actualNames = List.copyOf(real.keySet());
        if (!Set.copyOf(expectedNames).equals(Set.copyOf(actualNames)) || expectedNames.size() != actualNames.size()) {
            throw new ModelLoadException(descriptor.name(), field, "names " + expectedNames + " (model.json)",
                    actualNames + " (ONNX graph " + field + ")");
        }
        for (int i = 0; i < declared.size(); i++) {
            TensorSpec spec = declared.get(i);
            ValueInfo info = real.get(spec.name()).getInfo();
            String at = field + "[" + i + "]";
            String where = " (ONNX graph " + what + " '" + spec.name() + "')";
            if (!(info instanceof TensorInfo ti)) {
                throw new ModelLoadException(descriptor.name(), at + ".dtype", spec.dtype() + " tensor (model.json)", info + where);
            }
            String dtype = dtype(ti.type);
            if (!dtype.equals(spec.dtype())) {
                throw new ModelLoadException(descriptor.name(), at + ".dtype", spec.dtype() + " (model.json)", dtype + where);
            }
            long[] shape = ti.getShape();
            if (!Arrays.equals(shape, spec.shape())) {
                throw new ModelLoadException(descriptor.name(), at + ".shape", Arrays.toString(spec.shape()) + " (model.json)",
                        Arrays.toString(shape) + where);
            }
        }
    }

    private static String dtype(OnnxJavaType t) {
        return switch (t) {
            case FLOAT -> "float32";
            case DOUBLE -> "float64";
            case FLOAT16 -> "float16";
            case BFLOAT16 -> "bfloat16";
            case INT8 -> "int8";
            case INT16 -> "int16";
            case INT32 -> "int32";
            case INT64 -> "int64";
            case UINT8 -> "uint8";
            case BOOL -> "bool";
            case STRING -> "string";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /**
     * One run on zeros (float32 and int64 inputs). A dynamic batch becomes the frame's unit count for
     * five-point models (5) and 2 otherwise — never 1, so a graph whose export froze the batch fails
     * here rather than on the first frame; for patch sets (layout BNCHW) the dynamic patch axis
     * becomes the crop's patch count; dynamic H and W of NCHW inputs become the crop size, other
     * dynamic dims 64.
     */
    private void warmUp() {
        if (!inputSpecs.values().stream().allMatch(t -> t.dtype().equals("float32") || t.dtype().equals("int64"))
                || floatOutputs.isEmpty()) {
            LOG.debug("model '{}': no warm-up run (inputs other than float32/int64, or no float32 output)", descriptor.name());
            return;
        }
        Map<String, Tensor> zeros = new HashMap<>();
        for (TensorSpec spec : inputSpecs.values()) {
            long[] shape = spec.shape();
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] == TensorSpec.DYNAMIC) {
                    shape[i] = warmUpDim(i, shape.length);
                }
            }
            int n = Math.toIntExact(FloatTensor.elementCount(shape));
            zeros.put(spec.name(), spec.dtype().equals("int64") ? new LongTensor(new long[n], shape)
                    : new FloatTensor(new float[n], shape));
        }
        long t0 = System.nanoTime();
        try {
            run(zeros);
        } catch (InferenceException e) {
            throw new ModelLoadException(descriptor.name(), "inputs", "a successful warm-up run on zeros shaped "
                    + zeros.values().stream().map(z -> Arrays.toString(z.shape())).toList(), e.getMessage(), e);
        }
        LOG.debug("model '{}': warm-up run {} ms", descriptor.name(), (System.nanoTime() - t0) / 1_000_000);
    }

    private long warmUpDim(int axis, int rank) {
        ModelDescriptor.Crop crop = descriptor.preprocess().crop();
        if (axis == 0) {
            return crop.policy() == ModelDescriptor.CropPolicy.FIVE_POINT ? 5 : 2;
        }
        if (axis == 1 && crop.patches().isPresent()) {
            return crop.patches().get().count();
        }
        if (rank == 4 && axis == 2 && crop.height() > 0) {
            return crop.height();
        }
        if (rank == 4 && axis == 3 && crop.width() > 0) {
            return crop.width();
        }
        return 64;
    }
}
