package io.frameq.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ONNX Runtime environment plus the {@link ExecutionConfig} that sessions opened through it
 * use. ONNX Runtime allows one environment per JVM; every {@code OrtRuntime} shares it, so create
 * one per configuration (usually one per application) and open every {@link OnnxModel} from it.
 *
 * <p>Closing marks this runtime unusable for opening further models; models already open keep
 * working until they are closed themselves (the shared environment is never released — ONNX
 * Runtime makes that a no-op since 1.11).
 *
 * <pre>{@code
 * try (OrtRuntime rt = OrtRuntime.create(ExecutionConfig.parse("cuda:0").withThreads(2, 1));
 *      OnnxModel model = OnnxModel.open(descriptor, rt)) {
 *     Map<String, FloatTensor> out = model.run("image", batch);
 * }
 * }</pre>
 */
public final class OrtRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OrtRuntime.class);

    private final ExecutionConfig config;
    private final OrtEnvironment env;
    private volatile boolean closed;

    private OrtRuntime(ExecutionConfig config, OrtEnvironment env) {
        this.config = config;
        this.env = env;
    }

    /**
     * A runtime for {@code config}. Loads the ONNX Runtime native library on first use.
     *
     * @throws IllegalStateException when the native library cannot be loaded
     */
    public static OrtRuntime create(ExecutionConfig config) {
        Objects.requireNonNull(config, "config");
        OrtEnvironment env;
        try {
            env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "frameq");
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("cannot load ONNX Runtime: " + e, e);
        }
        LOG.info("ONNX Runtime {} ready, execution {}", env.getVersion(), config);
        return new OrtRuntime(config, env);
    }

    public ExecutionConfig config() {
        return config;
    }

    /** The ONNX Runtime version string (e.g. {@code 1.29.0}). */
    public String version() {
        return env.getVersion();
    }

    OrtEnvironment env() {
        if (closed) {
            throw new IllegalStateException("Trying to open a model on a closed OrtRuntime");
        }
        return env;
    }

    /** Session options for {@code config} without any execution provider added yet. */
    OrtSession.SessionOptions baseOptions() throws OrtException {
        OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
        try {
            opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            if (config.intraOpThreads() > 0) {
                opts.setIntraOpNumThreads(config.intraOpThreads());
            }
            if (config.interOpThreads() > 0) {
                opts.setInterOpNumThreads(config.interOpThreads());
            }
            if (!config.spinWait()) {
                // Documented ONNX Runtime session config keys; "0" makes idle pool threads block instead of spinning.
                opts.addConfigEntry("session.intra_op.allow_spinning", "0");
                opts.addConfigEntry("session.inter_op.allow_spinning", "0");
            }
            return opts;
        } catch (OrtException | RuntimeException e) {
            opts.close();
            throw e;
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "OrtRuntime[" + config + (closed ? ", closed" : "") + "]";
    }
}
