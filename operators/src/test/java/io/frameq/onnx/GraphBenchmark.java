package io.frameq.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.frameq.model.FloatTensor;
import io.frameq.model.LongTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelDescriptorParser;
import io.frameq.model.Tensor;
import io.frameq.model.TensorSpec;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Model-only throughput of one ONNX graph of the model repository through FrameQ's own path
 * ({@link OrtRuntime} + {@link OnnxModel}: sha256 and I/O checks, pooled direct buffers, every
 * float32 output copied back to the heap), for side-by-side comparison with ONNX Runtime in Python
 * and PyTorch eager ({@code python -m frameq_models compare-runtimes} runs this class with the same
 * graph, input shapes and thread count). Not a test: it prints one JSON line.
 *
 * <pre>
 * mvn -o -B -q -pl operators test-compile
 * mvn -o -B -q -pl operators dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile=/tmp/frameq-cp.txt
 * java -cp operators/target/classes:operators/target/test-classes:$(cat /tmp/frameq-cp.txt) io.frameq.onnx.GraphBenchmark \
 *     --model-json models/repository/lpienet-lite/model.json --input image=1x3x720x1280 --threads 2 --seconds 10
 * </pre>
 * Options: {@code --model-json FILE}; {@code --graph NAME} a codec graph of the model's
 * {@code codec.graphs} block (e.g. {@code g_a}) instead of the model's main file; {@code --variant NAME} a sibling
 * graph of the model's {@code variants} block (e.g. {@code int8});
 * {@code --input NAME=D0xD1x...} one per graph input (float32 inputs are uniform in [0, 1), int64
 * inputs uniform in {0, 1, 2}); {@code --threads N} intra-op threads (2, inter-op 1, as FrameQ
 * runs); {@code --seconds S} (10); {@code --warmup N} runs (2); {@code --min-runs N} (3).
 */
public final class GraphBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GraphBenchmark() {}

    public static void main(String[] args) throws IOException {
        Map<String, List<String>> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, actual " + String.join(" ", args));
            }
            opts.computeIfAbsent(args[i].substring(2), k -> new ArrayList<>()).add(args[++i]);
        }
        Path modelJson = Path.of(required(opts, "model-json"));
        int threads = Integer.parseInt(one(opts, "threads", "2"));
        double seconds = Double.parseDouble(one(opts, "seconds", "10"));
        int warmup = Integer.parseInt(one(opts, "warmup", "2"));
        int minRuns = Integer.parseInt(one(opts, "min-runs", "3"));
        String graph = one(opts, "graph", null);
        String variant = one(opts, "variant", null);

        ModelDescriptor descriptor = ModelDescriptorParser.parse(modelJson);
        if (graph != null) {
            descriptor = codecGraph(descriptor, modelJson, graph);
        }
        if (variant != null) {
            String name = descriptor.name();
            descriptor = descriptor.variantDescriptor(variant).orElseThrow(() -> new IllegalArgumentException("model '" + name
                    + "': variants." + variant + " expected in " + modelJson + ", actual absent"));
        }
        Map<String, Tensor> inputs = inputs(descriptor, opts.getOrDefault("input", List.of()));

        ExecutionConfig config = ExecutionConfig.cpu().withThreads(threads, 1);
        try (OrtRuntime runtime = OrtRuntime.create(config); OnnxModel model = OnnxModel.open(descriptor, runtime)) {
            for (int i = 0; i < warmup; i++) {
                model.run(inputs);
            }
            long runs = 0;
            long cpu0 = processCpuNanos();
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long now;
            do {
                if (model.run(inputs).isEmpty()) {
                    throw new IllegalStateException("model '" + descriptor.name() + "' returned no float32 output");
                }
                runs++;
                now = System.nanoTime();
            } while (now < end || runs < minRuns);
            double elapsed = (now - start) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("runtime", "frameq-java");
            r.put("model", descriptor.name());
            r.put("file", descriptor.file());
            r.put("onnxruntime", runtime.version());
            r.put("provider", model.activeProvider());
            r.put("intra_op_threads", threads);
            r.put("inputs", shapes(inputs));
            r.put("runs", runs);
            r.put("seconds_per_run", elapsed / runs);
            r.put("cpu_seconds_per_run", cpuSeconds / runs);
            System.out.println(JSON.writeValueAsString(r));
        }
    }

    /** The descriptor of one graph of a codec model: its file, sha256, inputs and outputs from {@code codec.graphs}. */
    static ModelDescriptor codecGraph(ModelDescriptor d, Path modelJson, String graph) throws IOException {
        JsonNode g = JSON.readTree(modelJson.toFile()).path("codec").path("graphs").path(graph);
        if (g.isMissingNode()) {
            throw new IllegalArgumentException("model '" + d.name() + "': codec.graphs." + graph + " expected in " + modelJson
                    + ", actual absent");
        }
        return new ModelDescriptor(d.name(), d.version(), d.family(), d.architecture(), d.config(), g.path("file").asText(),
                g.path("sha256").asText(), d.opset(), specs(g.path("inputs")), specs(g.path("outputs")), d.preprocess(),
                d.score(), d.workUnit(), d.parameters(), d.gflopsPerUnit(), d.training(), d.licence(), d.metrics(), d.source());
    }

    private static List<TensorSpec> specs(JsonNode arr) {
        List<TensorSpec> out = new ArrayList<>();
        for (JsonNode t : arr) {
            long[] shape = new long[t.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.path("shape").get(i).asLong();
            }
            out.add(new TensorSpec(t.path("name").asText(), t.path("dtype").asText(), shape));
        }
        return out;
    }

    private static Map<String, Tensor> inputs(ModelDescriptor d, List<String> specs) {
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        SplittableRandom rnd = new SplittableRandom(0);
        for (String s : specs) {
            int eq = s.indexOf('=');
            String name = s.substring(0, eq);
            String[] dims = s.substring(eq + 1).toLowerCase(Locale.ROOT).split("x");
            long[] shape = new long[dims.length];
            for (int i = 0; i < dims.length; i++) {
                shape[i] = Long.parseLong(dims[i]);
            }
            TensorSpec spec = d.input(name).orElseThrow(() -> new IllegalArgumentException("model '" + d.name()
                    + "': --input " + name + " expected one of " + d.inputs().stream().map(TensorSpec::name).toList()));
            int n = Math.toIntExact(FloatTensor.elementCount(shape));
            if (spec.dtype().equals("int64")) {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    v[i] = rnd.nextInt(3);
                }
                inputs.put(name, new LongTensor(v, shape));
            } else {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = (float) rnd.nextDouble();
                }
                inputs.put(name, new FloatTensor(v, shape));
            }
        }
        return inputs;
    }

    private static Map<String, long[]> shapes(Map<String, Tensor> inputs) {
        Map<String, long[]> m = new LinkedHashMap<>();
        inputs.forEach((k, v) -> m.put(k, v.shape()));
        return m;
    }

    /** The last value of {@code --key}, or {@code dflt} (null for an optional option without one). */
    private static String one(Map<String, List<String>> opts, String key, String dflt) {
        List<String> v = opts.get(key);
        return v == null ? dflt : v.get(v.size() - 1);
    }

    private static String required(Map<String, List<String>> opts, String key) {
        String v = one(opts, key, null);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    /** CPU time of the whole process (all threads), or -1 where the JVM cannot tell. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }
}
