package io.frameq.quality;

import io.frameq.frame.RgbImage;
import io.frameq.model.FloatTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OnnxModel;
import io.frameq.onnx.OrtRuntime;
import io.frameq.testing.Images;
import io.frameq.translate.NrTranslator;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Throughput of a no-reference scorer on this machine: crops (work units) per second, once for the
 * bare model run on a prepared batch (comparable with {@code python -m frameq_models bench}, which
 * times {@code session.run} only) and once for the whole {@link NrScorer#score} path (crop,
 * normalize, run, aggregate). The bare phase also reports process CPU time per batch, which is far
 * less sensitive than wall time to other jobs on a shared machine ({@code operators/bench/ort_bench.py}
 * reports the same for Python). Not a test: it asserts nothing and prints a report, ending with one
 * JSON line.
 *
 * <p>How to run (from the repository root, after {@code mvn -o -B -q -pl operators test-compile} or any
 * build that leaves {@code operators/target/classes} and {@code operators/target/test-classes}):
 * <pre>
 * mvn -o -B -q -pl operators dependency:build-classpath -Dmdep.outputFile=/tmp/frameq-cp.txt
 * java -cp operators/target/classes:operators/target/test-classes:$(cat /tmp/frameq-cp.txt) io.frameq.quality.ScorerBenchmark \
 *     --repo models/repository --model maniqa-lite --threads 2 --seconds 20
 * </pre>
 * Options: {@code --repo DIR} (repeatable; default: {@code models/repository} when present, then the
 * bundled models), {@code --model NAME} (maniqa-lite), {@code --provider cpu|cuda[:id]|tensorrt[:id]}
 * (cpu), {@code --threads N} intra-op threads (2), {@code --inter N} inter-op threads (1),
 * {@code --seconds S} per phase (20), {@code --warmup N} runs (3), {@code --frame WxH} synthetic frame
 * size (1920x1080) or {@code --image FILE}.
 */
public final class ScorerBenchmark {

    private ScorerBenchmark() {}

    public static void main(String[] args) throws IOException {
        Map<String, List<String>> opts = parse(args);
        String modelName = one(opts, "model", "maniqa-lite");
        int threads = Integer.parseInt(one(opts, "threads", "2"));
        int inter = Integer.parseInt(one(opts, "inter", "1"));
        double seconds = Double.parseDouble(one(opts, "seconds", "20"));
        int warmup = Integer.parseInt(one(opts, "warmup", "3"));
        ExecutionConfig config = ExecutionConfig.parse(one(opts, "provider", "cpu")).withThreads(threads, inter);

        List<Path> dirs = new ArrayList<>();
        for (String d : opts.getOrDefault("repo", List.of())) {
            dirs.add(Path.of(d));
        }
        if (dirs.isEmpty() && Files.isDirectory(Path.of("models/repository"))) {
            dirs.add(Path.of("models/repository"));
        }
        ModelRepository repo = ModelRepository.of(dirs, true);
        ModelDescriptor descriptor = repo.resolve(modelName);
        RgbImage frame = opts.containsKey("image") ? Images.read(Path.of(one(opts, "image", null))) : synthetic(one(opts, "frame", "1920x1080"));

        System.out.printf(Locale.ROOT, "model %s v%d (%s) from %s%nframe %dx%d, execution %s, %d processors, java %s%n",
                descriptor.name(), descriptor.version(), descriptor.trained() ? "trained" : "untrained", descriptor.source(),
                frame.width(), frame.height(), config, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        try (OrtRuntime runtime = OrtRuntime.create(config)) {
            NrTranslator translator = new NrTranslator(descriptor);
            NrTranslator.Batch batch = translator.preprocess(frame, null);
            int units = batch.plan().units();

            // Phase 1: the bare model on one prepared batch (what the Python benchmark measures).
            double bareUnitsPerSecond;
            double bareMsPerBatch;
            double bareCpuMsPerBatch;
            String provider;
            try (OnnxModel model = OnnxModel.open(descriptor, runtime)) {
                provider = model.activeProvider();
                for (int i = 0; i < warmup; i++) {
                    model.run(translator.inputName(), batch.tensor());
                }
                long runs = 0;
                long cpu0 = processCpuNanos();
                long start = System.nanoTime();
                long end = start + (long) (seconds * 1e9);
                long now;
                do {
                    Map<String, FloatTensor> out = model.run(translator.inputName(), batch.tensor());
                    if (out.isEmpty()) {
                        throw new IllegalStateException("no outputs");
                    }
                    runs++;
                    now = System.nanoTime();
                } while (now < end);
                double elapsed = (now - start) / 1e9;
                bareUnitsPerSecond = runs * units / elapsed;
                bareMsPerBatch = 1000 * elapsed / runs;
                bareCpuMsPerBatch = (processCpuNanos() - cpu0) / 1e6 / runs;
                System.out.printf(Locale.ROOT, "bare OnnxModel.run, batch %d: %.1f crops/s (%.1f ms per batch, %d runs; "
                        + "process CPU %.1f ms per batch)%n", units, bareUnitsPerSecond, bareMsPerBatch, runs, bareCpuMsPerBatch);
            }

            // Phase 2: the full scorer, frame in, score out.
            try (NrScorer scorer = NrScorer.open(descriptor, runtime)) {
                for (int i = 0; i < warmup; i++) {
                    scorer.score(frame);
                }
                List<NrScore> scores = new ArrayList<>();
                long start = System.nanoTime();
                long end = start + (long) (seconds * 1e9);
                long now;
                do {
                    scores.add(scorer.score(frame));
                    now = System.nanoTime();
                } while (now < end);
                double elapsed = (now - start) / 1e9;
                double unitsPerSecond = scores.size() * (double) units / elapsed;
                double pre = medianMs(scores, NrScore::preprocessNanos);
                double inf = medianMs(scores, NrScore::inferenceNanos);
                double post = medianMs(scores, NrScore::postprocessNanos);
                System.out.printf(Locale.ROOT, "NrScorer.score, %d crops per frame: %.1f crops/s (%.2f frames/s); median ms: "
                        + "preprocess %.2f, inference %.2f, postprocess %.3f%n", units, unitsPerSecond, scores.size() / elapsed,
                        pre, inf, post);
                System.out.printf(Locale.ROOT, "{\"model\":\"%s\",\"version\":%d,\"provider\":\"%s\",\"intra_op_threads\":%d,"
                                + "\"inter_op_threads\":%d,\"batch\":%d,\"frame\":\"%dx%d\",\"bare_units_per_second\":%.1f,"
                                + "\"bare_ms_per_batch\":%.2f,\"bare_cpu_ms_per_batch\":%.2f,\"scorer_units_per_second\":%.1f,\"scorer_median_ms\":{\"preprocess\":%.2f,"
                                + "\"inference\":%.2f,\"postprocess\":%.3f},\"seconds_per_phase\":%.0f,\"onnxruntime\":\"%s\"}%n",
                        descriptor.name(), descriptor.version(), provider, threads, inter, units, frame.width(), frame.height(),
                        bareUnitsPerSecond, bareMsPerBatch, bareCpuMsPerBatch, unitsPerSecond, pre, inf, post, seconds, runtime.version());
            }
        }
    }

    /** CPU time of the whole process (all threads), or -1 where the JVM cannot tell. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private interface NanosOf {
        long of(NrScore s);
    }

    private static double medianMs(List<NrScore> scores, NanosOf f) {
        long[] v = scores.stream().mapToLong(f::of).sorted().toArray();
        return v[v.length / 2] / 1e6;
    }

    private static Map<String, List<String>> parse(String[] args) {
        Map<String, List<String>> opts = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got " + Arrays.toString(args));
            }
            opts.computeIfAbsent(args[i].substring(2), k -> new ArrayList<>()).add(args[++i]);
        }
        return opts;
    }

    private static String one(Map<String, List<String>> opts, String key, String dflt) {
        List<String> v = opts.get(key);
        return v == null ? dflt : v.get(v.size() - 1);
    }

    private static RgbImage synthetic(String size) {
        String[] wh = size.toLowerCase(Locale.ROOT).split("x");
        int w = Integer.parseInt(wh[0]);
        int h = Integer.parseInt(wh[1]);
        Random rnd = new Random(42);
        byte[] px = new byte[w * h * 3];
        for (int i = 0; i < px.length; i++) {
            int x = (i / 3) % w;
            px[i] = (byte) Math.max(0, Math.min(255, 255 * x / w + (int) (rnd.nextGaussian() * 12)));
        }
        return new RgbImage(w, h, px);
    }
}
