package io.frameq.onnx;

import java.util.Locale;
import java.util.Objects;

/**
 * Where and how sessions run.
 *
 * @param provider execution provider
 * @param deviceId GPU ordinal for CUDA and TensorRT (0 for CPU)
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime choose (one per core)
 * @param interOpThreads threads across independent operators; 0 lets ONNX Runtime choose
 * @param spinWait whether ONNX Runtime's idle intra-op threads spin (busy-wait) for the next piece of
 *     work (its default) or block; spinning wins a little latency on an otherwise idle machine and
 *     takes the cores away from decoding, detectors and Kafka threads in a pipeline
 * @param cpuInt8 whether sessions on the CPU run a model's int8 sibling ({@code variants.int8} in model.json:
 *     int8 weights, activations quantised per call) where it has one; models without one run their fp32 graph
 */
public record ExecutionConfig(Provider provider, int deviceId, int intraOpThreads, int interOpThreads, boolean spinWait,
                              boolean cpuInt8) {

    /** Execution providers FrameQ knows how to request. */
    public enum Provider {
        CPU, CUDA, TENSORRT;

        /** Lower-case spelling used in configuration and in {@link OnnxModel#activeProvider()}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ExecutionConfig {
        Objects.requireNonNull(provider, "provider");
        if (deviceId < 0 || intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("ExecutionConfig: deviceId and thread counts must be >= 0, got deviceId="
                    + deviceId + " intraOpThreads=" + intraOpThreads + " interOpThreads=" + interOpThreads);
        }
        if (provider == Provider.CPU && deviceId != 0) {
            throw new IllegalArgumentException("ExecutionConfig: provider cpu takes no device id, got " + deviceId);
        }
    }

    /** fp32 graphs on the CPU. */
    public ExecutionConfig(Provider provider, int deviceId, int intraOpThreads, int interOpThreads, boolean spinWait) {
        this(provider, deviceId, intraOpThreads, interOpThreads, spinWait, false);
    }

    /** ONNX Runtime's own spinning default, fp32 graphs on the CPU. */
    public ExecutionConfig(Provider provider, int deviceId, int intraOpThreads, int interOpThreads) {
        this(provider, deviceId, intraOpThreads, interOpThreads, true);
    }

    /** CPU with ONNX Runtime's default thread counts. */
    public static ExecutionConfig cpu() {
        return new ExecutionConfig(Provider.CPU, 0, 0, 0);
    }

    /**
     * Parses a provider spec: {@code cpu}, {@code cuda}, {@code cuda:<id>}, {@code tensorrt} or
     * {@code tensorrt:<id>} (case-insensitive), with default thread counts.
     *
     * @throws IllegalArgumentException naming the valid forms
     */
    public static ExecutionConfig parse(String spec) {
        String valid = "expected one of cpu, cuda, cuda:<id>, tensorrt, tensorrt:<id>";
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("execution provider: " + valid + ", actual " + (spec == null ? "null" : "\"\""));
        }
        String s = spec.trim().toLowerCase(Locale.ROOT);
        int colon = s.indexOf(':');
        String name = colon < 0 ? s : s.substring(0, colon);
        int device = 0;
        Provider provider;
        switch (name) {
            case "cpu" -> provider = Provider.CPU;
            case "cuda", "gpu" -> provider = Provider.CUDA;
            case "tensorrt", "trt" -> provider = Provider.TENSORRT;
            default -> throw new IllegalArgumentException("execution provider: " + valid + ", actual \"" + spec + "\"");
        }
        if (colon >= 0) {
            if (provider == Provider.CPU) {
                throw new IllegalArgumentException("execution provider: " + valid + ", actual \"" + spec + "\" (cpu takes no device id)");
            }
            try {
                device = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                device = -1;
            }
            if (device < 0) {
                throw new IllegalArgumentException("execution provider: " + valid + " with a device id >= 0, actual \"" + spec + "\"");
            }
        }
        return new ExecutionConfig(provider, device, 0, 0);
    }

    /** A copy with the given thread counts (0 = ONNX Runtime default). */
    public ExecutionConfig withThreads(int intraOp, int interOp) {
        return new ExecutionConfig(provider, deviceId, intraOp, interOp, spinWait, cpuInt8);
    }

    /** A copy whose idle ONNX Runtime threads spin ({@code true}, ONNX Runtime's default) or block. */
    public ExecutionConfig withSpinWait(boolean spin) {
        return new ExecutionConfig(provider, deviceId, intraOpThreads, interOpThreads, spin, cpuInt8);
    }

    /** A copy whose CPU sessions run int8 siblings where models have them ({@code true}) or always fp32. */
    public ExecutionConfig withCpuInt8(boolean int8) {
        return new ExecutionConfig(provider, deviceId, intraOpThreads, interOpThreads, spinWait, int8);
    }

    /** {@code cpu}, {@code cuda:0}, {@code tensorrt:1}: the form {@link #parse} accepts. */
    public String providerLabel() {
        return provider == Provider.CPU ? "cpu" : provider.label() + ":" + deviceId;
    }

    @Override
    public String toString() {
        return providerLabel() + " (intra-op threads " + (intraOpThreads == 0 ? "default" : intraOpThreads)
                + ", inter-op threads " + (interOpThreads == 0 ? "default" : interOpThreads) + (spinWait ? "" : ", no spin-wait")
                + (cpuInt8 ? ", int8 graphs on cpu" : "") + ")";
    }
}
