package io.frameq.app.bench;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.app.broker.EmbeddedKafka;
import io.frameq.app.config.FrameqConfig;
import io.frameq.app.demo.DemoClips;
import io.frameq.app.runtime.FrameqRuntime;
import io.frameq.frame.ContentType;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameHeaders;
import io.frameq.frame.FrameMetadata;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;
import io.frameq.model.FloatTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OnnxModel;
import io.frameq.onnx.OrtRuntime;
import io.frameq.translate.NrTranslator;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code frameq bench}: one measured run on this machine, written as JSON and a markdown table.
 * Not a test: it asserts nothing and its numbers depend on the machine and its load (the report
 * records the load average at start).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure decode, model-only and end-to-end throughput and latency; writes bench.json and bench.md.")
public final class BenchCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STREAM_THREADS = 2;
    private static final int CAMERA_COUNT = 8;

    @Option(names = "--out", defaultValue = "bench-out", description = "Output directory (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--model", defaultValue = "maniqa-lite", description = "NR model (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--seconds", defaultValue = "15", description = "Seconds per throughput measurement (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--threads", defaultValue = "0", description = "ONNX Runtime intra-op threads, 0 = default (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--set", description = "FrameQ configuration for the end-to-end runtime, KEY=VALUE (repeatable), "
            + "e.g. --set onnx.spin.wait=true to compare settings in interleaved runs.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--warmup-seconds", defaultValue = "20", description = "Before the end-to-end measurements, push about "
            + "this many seconds' worth of frames (at the model-only rate) through the pipeline, unmeasured (default ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--rate-warmup-seconds", defaultValue = "15", description = "Between the maximum-rate run and the "
            + "latency runs, feed frames at 65%% of the maximum for this long, unmeasured: frames arriving one by one take "
            + "other code paths (small fetches, single-frame batches) than a backlog, and the JIT compiles them first "
            + "(default ${DEFAULT-VALUE}; 0: none).")
    int rateWarmupSeconds;

    @Option(names = "--soak-seconds", defaultValue = "0", description = "After the latency runs, feed frames at 50%% of the "
            + "measured maximum for this long, sampling RSS, heap and direct buffers every --sample-seconds "
            + "(default ${DEFAULT-VALUE}: no soak).")
    int soakSeconds;

    @Option(names = "--sample-seconds", defaultValue = "10", description = "Soak sampling period (default ${DEFAULT-VALUE}).")
    int sampleSeconds;

    @Option(names = "--fleet", defaultValue = "0", description = "Fleet mode: replay this many cameras (the search's first "
            + "count) through the in-process broker and search for the largest count this box sustains; writes fleet.json "
            + "and fleet.md instead of the default measurements. 0 = off (default).")
    int fleet;

    @Option(names = "--fps", defaultValue = "1", description = "Fleet mode: frames per second per camera (default ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--resolution", defaultValue = "1920x1080", description = "Fleet mode: frame size, WIDTHxHEIGHT; the JPEG "
            + "quality is chosen for about 100 KB per 1080p frame (default ${DEFAULT-VALUE}).")
    String resolution;

    @Option(names = "--model-every", defaultValue = "30", description = "Fleet mode: seconds between model runs per camera "
            + "(model.sample.every.ms), besides every suspect; 0 = the model on every frame (default ${DEFAULT-VALUE}).")
    int modelEvery;

    @Option(names = "--fleet-seconds", defaultValue = "30", description = "Fleet mode: measured seconds per camera count "
            + "(default ${DEFAULT-VALUE}).")
    int fleetSeconds;

    @Option(names = "--fleet-warmup-seconds", defaultValue = "15", description = "Fleet mode: seconds at each count before it "
            + "is measured, for the new cameras' first frames (which always run the model) (default ${DEFAULT-VALUE}).")
    int fleetWarmupSeconds;

    @Option(names = "--fleet-trials", defaultValue = "5", description = "Fleet mode: most camera counts tried (default ${DEFAULT-VALUE}).")
    int fleetTrials;

    @Option(names = "--fleet-max-p99-ms", defaultValue = "1000", description = "Fleet mode: the p99 frame-in to event-out latency "
            + "a sustained count must keep (default ${DEFAULT-VALUE}).")
    double fleetMaxP99Ms;

    /**
     * Camera keys that the default partitioner spreads evenly over the frame topics' partitions: with
     * {@code cam-0..cam-7} on two partitions six of eight land on one, so one stream thread got 75 % of
     * the frames and the other idled, which measured the key choice instead of the pipeline.
     */
    private List<String> cameras;

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(out);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("date", Instant.now().toString());
        report.put("machine", machine());
        if (!settings.isEmpty()) {
            report.put("settings", new LinkedHashMap<>(settings));
        }
        report.put("rss_mib_start", rssMib());
        if (fleet > 0) {
            report.putAll(new FleetBench(fleet, fps, resolution, modelEvery, fleetSeconds, fleetWarmupSeconds, fleetTrials,
                    fleetMaxP99Ms, settings, out).run());
            report.put("rss_mib_end", rssMib());
            Files.writeString(out.resolve("fleet.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
            String md = FleetReport.markdown(report);
            Files.writeString(out.resolve("fleet.md"), md);
            System.out.print(md);
            return 0;
        }

        List<RgbImage> clip = DemoClips.read("pedestrians.mp4", 3, 60);
        RgbImage frame1080 = ImageEncoder.resize(clip.get(0), 1920, 1080);
        byte[] jpeg1080 = ImageEncoder.jpeg(frame1080, 90);
        // kept so that other decoders (libjpeg-turbo through OpenCV, PIL) can be timed on the same bytes:
        // python -m frameq_models bench-decode bench-out/decode-1080p.jpg
        Files.write(out.resolve("decode-1080p.jpg"), jpeg1080);
        report.put("decode_1080p_jpeg", decode(jpeg1080));
        progress("decode done");

        double cpuBefore = ThreadCpu.processSeconds();
        Map<String, Object> modelOnly = modelOnly();
        // process total: the model-only threads have ended by now, so a per-thread breakdown would miss them
        modelOnly.put("process_cpu_seconds", Math.round((ThreadCpu.processSeconds() - cpuBefore) * 100) / 100.0);
        report.put("model_only", modelOnly);
        progress("model-only done");

        double unitsPerFrame = ((Number) modelOnly.get("units_per_frame")).doubleValue();
        List<byte[]> frames = new ArrayList<>();
        for (RgbImage f : clip) {
            frames.add(ImageEncoder.jpeg(f, 90));
        }
        Map<String, Object> e2e = endToEnd(frames, unitsPerFrame, ((Number) modelOnly.get("frames_per_second")).doubleValue());
        report.put("end_to_end", e2e);
        double framesPerRun = ((Number) e2e.getOrDefault("mean_frames_per_model_run", 1.0)).doubleValue();
        if (framesPerRun > 1.05) {
            Map<String, Object> same = modelOnlyAt(framesPerRun);
            report.put("model_only_at_pipeline_batch", same);
            e2e.put("pipeline_efficiency_at_pipeline_batch",
                    ((Number) e2e.get("max_frames_per_second")).doubleValue() / ((Number) same.get("frames_per_second")).doubleValue());
            progress("model-only at the pipeline's batch done");
        }
        report.put("rss_mib_end", rssMib());

        Files.writeString(out.resolve("bench.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        Files.writeString(out.resolve("bench.md"), markdown(report));
        System.out.print(markdown(report));
        return 0;
    }

    private static void progress(String what) {
        System.err.println("bench: " + what);
    }

    private Map<String, Object> decode(byte[] jpeg) throws Exception {
        int n = 60;
        double[] ffmpeg = new double[n];
        double[] imageio = new double[n];
        try (FrameDecoders d = new FrameDecoders(DecodeLimits.DEFAULT)) {
            for (int i = -10; i < n; i++) {
                long t0 = System.nanoTime();
                d.decode(jpeg, FrameMetadata.of(ContentType.JPEG));
                long t1 = System.nanoTime();
                ImageIO.read(new ByteArrayInputStream(jpeg));
                long t2 = System.nanoTime();
                if (i >= 0) {
                    ffmpeg[i] = (t1 - t0) / 1e6;
                    imageio[i] = (t2 - t1) / 1e6;
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("bytes", jpeg.length);
            m.put("frameq_decoder", d.decoderName());
            m.put("frameq_ms_median", median(ffmpeg));
            m.put("imageio_ms_median", median(imageio));
            m.put("speedup", median(imageio) / median(ffmpeg));
            return m;
        }
    }

    /**
     * Intra-op threads the pipeline's runtime gets: {@code --set onnx.intra.op.threads} wins over {@code --threads},
     * and 0 resolves as in {@link FrameqRuntime#intraOpThreads}.
     */
    private int intraOpThreads() {
        int configured = Integer.parseInt(settings.getOrDefault(FrameqConfig.ONNX_INTRA_OP_THREADS, String.valueOf(threads)));
        return FrameqRuntime.intraOpThreads(configured, ExecutionConfig.Provider.CPU, modelCallers(),
                Runtime.getRuntime().availableProcessors());
    }

    /**
     * Stream threads of the pipeline ({@code --set stream.threads}, default 2); the frame topics get as
     * many partitions, so that every thread has work.
     */
    private int streamThreads() {
        return Integer.parseInt(settings.getOrDefault(FrameqConfig.STREAM_THREADS, String.valueOf(STREAM_THREADS)));
    }

    /**
     * Threads that call the model at once in the pipeline: the batcher's single dispatcher when
     * batching is on, otherwise every stream thread with its own frame (the rule of FrameqRuntime).
     */
    private int modelCallers() {
        int batchUnits = FrameqRuntime.batchMaxUnits(Integer.parseInt(settings.getOrDefault(FrameqConfig.BATCH_MAX_UNITS,
                String.valueOf(FrameqConfig.DEF.defaultValues().get(FrameqConfig.BATCH_MAX_UNITS)))), ExecutionConfig.Provider.CPU);
        return FrameqRuntime.modelCallers(batchUnits, streamThreads());
    }

    /**
     * Bare ONNX Runtime on the same graph, work unit and settings as the pipeline (threads, spin
     * wait, and as many concurrent callers as the pipeline has), so that the ratio of the two rates
     * is the pipeline's own cost.
     */
    private Map<String, Object> modelOnly() throws Exception {
        return modelOnly(1, seconds);
    }

    /**
     * Model-only throughput at the batcher's mean batch in the maximum-rate run, which is a mix of
     * batch sizes (one to a few frames): the time of a run is close to affine in its batch size
     * (fixed cost plus a cost per unit), so the mix takes as long as runs of the mean size, whose time
     * is interpolated between the two neighbouring whole sizes. Those two are measured in alternating
     * rounds (medians of four), since this VM's speed drifts by 10-25 % from one minute to the next.
     */
    private Map<String, Object> modelOnlyAt(double framesPerRun) throws Exception {
        int lo = (int) Math.floor(framesPerRun);
        int hi = lo + 1;
        int rounds = 4;
        double[] msLo = new double[rounds];
        double[] msHi = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            msLo[i] = ((Number) modelOnly(lo, seconds / 2.0).get("ms_per_call")).doubleValue();
            msHi[i] = ((Number) modelOnly(hi, seconds / 2.0).get("ms_per_call")).doubleValue();
        }
        double ms = median(msLo) + (framesPerRun - lo) * (median(msHi) - median(msLo));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("mean_frames_per_model_run", framesPerRun);
        r.put("ms_per_run_of_" + lo + "_frames", median(msLo));
        r.put("ms_per_run_of_" + hi + "_frames", median(msHi));
        r.put("ms_per_run_interpolated", ms);
        r.put("frames_per_second", framesPerRun * 1000 / ms);
        return r;
    }

    private Map<String, Object> modelOnly(int framesPerCall, double seconds) throws Exception {
        ModelDescriptor d = FrameqRuntime.nrDescriptor(ModelRepository.of(List.of(), true), model,
                settings.getOrDefault(FrameqConfig.MODEL_NR_CROP, "model"));
        boolean spin = Boolean.parseBoolean(settings.getOrDefault(FrameqConfig.ONNX_SPIN_WAIT, "false"));
        int callers = modelCallers();
        boolean int8 = Boolean.parseBoolean(settings.getOrDefault(FrameqConfig.ONNX_CPU_INT8, "false"));
        ExecutionConfig cfg = ExecutionConfig.cpu().withThreads(intraOpThreads(), 1).withSpinWait(spin).withCpuInt8(int8);
        try (OrtRuntime ort = OrtRuntime.create(cfg); OnnxModel m = OnnxModel.open(d, ort)) {
            NrTranslator t = new NrTranslator(d);
            RgbImage img = new RgbImage(640, 360, new byte[640 * 360 * 3]);
            FloatTensor one = t.preprocess(img, null).tensor();
            int units = (int) one.shape()[0];
            FloatTensor input = repeated(one, framesPerCall);
            String inputName = d.inputs().get(0).name();
            for (int i = 0; i < 3; i++) {
                m.run(inputName, input);
            }
            long end = System.nanoTime() + (long) (seconds * 1e9);
            AtomicLong calls = new AtomicLong();
            long t0 = System.nanoTime();
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                Thread w = new Thread(() -> {
                    while (System.nanoTime() < end) {
                        m.run(inputName, input);
                        calls.incrementAndGet();
                    }
                }, "bench-model-" + i);
                w.start();
                workers.add(w);
            }
            for (Thread w : workers) {
                w.join();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("model", d.name() + " v" + d.version());
            r.put("crop", d.preprocess().crop().policy().wire());
            r.put("units_per_frame", units);
            r.put("frames_per_call", framesPerCall);
            r.put("ms_per_call", secs * 1000 / calls.get() * callers);
            r.put("units_per_second", calls.get() * units * framesPerCall / secs);
            r.put("frames_per_second", calls.get() * framesPerCall / secs);
            r.put("intra_op_threads", intraOpThreads() == 0 ? "default" : intraOpThreads());
            r.put("concurrent_callers", callers);
            r.put("spin_wait", spin);
            r.put("precision", m.precision());
            return r;
        }
    }

    /** {@code copies} frames' units of {@code t} along the batch axis, as the batcher concatenates them. */
    static FloatTensor repeated(FloatTensor t, int copies) {
        long[] shape = t.shape().clone();
        shape[0] *= copies;
        float[] data = new float[t.data().length * copies];
        for (int i = 0; i < copies; i++) {
            System.arraycopy(t.data(), 0, data, i * t.data().length, t.data().length);
        }
        return new FloatTensor(data, shape);
    }

    /** Model runs and work units so far. */
    private record BatchTotals(double runs, double units) {
    }

    /** Totals of the batcher's {@code frameq_batch_size} histogram (zeros without a batcher). */
    private static BatchTotals batchTotals(PrometheusRegistry registry) {
        double runs = 0;
        double units = 0;
        for (var m : registry.scrape()) {
            if (m instanceof HistogramSnapshot h && m.getMetadata().getName().equals("frameq_batch_size")) {
                for (HistogramSnapshot.HistogramDataPointSnapshot p : h.getDataPoints()) {
                    runs += p.getCount();
                    units += p.getSum();
                }
            }
        }
        return new BatchTotals(runs, units);
    }

    /** Max throughput with a pre-filled topic, then latency at 50% and 80% of it at a fixed rate. */
    private Map<String, Object> endToEnd(List<byte[]> frames, double unitsPerFrame, double modelFps) throws Exception {
        Map<String, Object> r = new LinkedHashMap<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            int partitions = streamThreads();
            cameras = balancedKeys(Math.max(CAMERA_COUNT, partitions), partitions);
            kafka.createTopics(partitions, "bench.frames.warmup", "bench.frames.max", "bench.frames.max.again", "bench.frames.rate", "frameq.scores", "frameq.dlq", "frameq.alerts");
            int n = Math.max(50, (int) (modelFps * seconds));
            Map<String, String> props = new HashMap<>();
            props.put(FrameqConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            props.put(FrameqConfig.INPUT_PATTERN, "bench\\.frames\\..+");
            props.put(FrameqConfig.METRICS_PORT, "-1");
            props.put(FrameqConfig.MODEL_NR, model);
            props.put(FrameqConfig.STREAM_THREADS, String.valueOf(STREAM_THREADS));
            props.put(FrameqConfig.ONNX_INTRA_OP_THREADS, String.valueOf(threads));
            props.put(FrameqConfig.STATE_DIR, Files.createTempDirectory("frameq-bench-").toString());
            props.putAll(settings);
            try (FrameqRuntime runtime = FrameqRuntime.open(FrameqConfig.of(props));
                 KafkaConsumer<String, byte[]> c = consumer(kafka)) {
                c.subscribe(List.of("frameq.scores"));
                runtime.start();
                runtime.awaitRunning(60, TimeUnit.SECONDS);
                // Steady state, not start-up: the JIT compiles the Streams, client and broker paths during the
                // first thousands of records (C2 took ~5 CPU-s of a 20 s cold run on 2 cores), and RocksDB and the
                // batcher settle. The max-rate frames are produced only after the warm-up frames are scored.
                r.put("warmup", warmUp(kafka, c, frames, Math.max(40, (int) (modelFps * warmupSeconds))));
                progress("warm-up done");
                ThreadCpu.Mark cpuBefore = ThreadCpu.mark();
                BatchTotals batchesBefore = batchTotals(runtime.registry());
                Backlog max = backlog(kafka, c, "bench.frames.max", n, frames, seconds * 6L + 60);
                double fps = max.framesPerSecond();
                r.put("frames", max.frames());
                r.put("max_frames_per_second", fps);
                r.put("max_units_per_second", fps * unitsPerFrame);
                r.put("pipeline_efficiency", fps / modelFps);
                BatchTotals batchesAfter = batchTotals(runtime.registry());
                double runs = batchesAfter.runs() - batchesBefore.runs();
                if (runs > 0) {
                    r.put("model_runs", (long) runs);
                    r.put("mean_frames_per_model_run", (batchesAfter.units() - batchesBefore.units()) / runs / unitsPerFrame);
                }
                r.putAll(ThreadCpu.since(cpuBefore));
                progress("end-to-end max done");
                if (rateWarmupSeconds > 0) {
                    Map<String, Object> w = latency(kafka, c, frames, fps * 0.65, rateWarmupSeconds);
                    w.keySet().retainAll(List.of("rate_fps", "frames", "cpu_seconds_by_thread_group", "cpu_cores_busy"));
                    r.put("rate_warmup", w);
                    progress("rate warm-up done");
                }
                for (double load : new double[] {0.5, 0.8}) {
                    r.put("latency_at_" + (int) (load * 100) + "pct", latency(kafka, c, frames, fps * load, seconds));
                    progress("latency at " + (int) (load * 100) + "% done");
                }
                // The latency phases' rates derive from one maximum; this VM's speed drifts by 10-25 % from one
                // minute to the next, so a second maximum afterwards shows how far the "80 %" phase may be off.
                double again = backlog(kafka, c, "bench.frames.max.again", n, frames, seconds * 6L + 60).framesPerSecond();
                r.put("max_frames_per_second_again", again);
                r.put("max_again_over_max", again / fps);
                progress("end-to-end max again done");
                if (soakSeconds > 0) {
                    r.put("soak", soak(kafka, c, frames, fps * 0.5));
                    progress("soak done");
                }
            }
        }
        return r;
    }

    /** Frames of a backlog that were scored, and the rate at which they were. */
    private record Backlog(int frames, double framesPerSecond) {
    }

    /**
     * Pushes {@code n} frames into {@code topic} as a backlog and waits, at most {@code timeoutSeconds}, for their
     * events; the rate runs from the first to the last {@code scored_ts}.
     */
    private Backlog backlog(EmbeddedKafka kafka, KafkaConsumer<String, byte[]> c, String topic, int n, List<byte[]> frames,
            long timeoutSeconds) throws Exception {
        produce(kafka, topic, n, frames);
        long first = 0;
        long last = 0;
        int count = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (count < n && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> rec : c.poll(Duration.ofMillis(100))) {
                JsonNode e = JSON.readTree(rec.value());
                if (!e.get("source").get("topic").asText().equals(topic)) {
                    continue;
                }
                long ts = e.get("scored_ts").asLong();
                first = first == 0 ? ts : Math.min(first, ts);
                last = Math.max(last, ts);
                count++;
            }
        }
        return new Backlog(count, count <= 1 ? 0 : (count - 1) / ((last - first) / 1000.0));
    }

    private Map<String, Object> latency(EmbeddedKafka kafka, KafkaConsumer<String, byte[]> c, List<byte[]> frames, double rate,
            double durationSeconds) throws Exception {
        int n = Math.max(20, (int) (rate * durationSeconds));
        long periodNanos = (long) (1e9 / rate);
        List<Double> lat = new ArrayList<>();
        List<Double> visible = new ArrayList<>();
        Map<String, List<Double>> stages = new LinkedHashMap<>();
        ThreadCpu.Mark cpuBefore = ThreadCpu.mark();
        try (KafkaProducer<String, byte[]> p = producer(kafka)) {
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                long due = start + i * periodNanos;
                // Wait for the next send inside poll, so that events are read back as they arrive (their
                // "visible" latency) and this thread does not spin on cores the pipeline needs.
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    drain(c, lat, visible, stages, Math.max(1, Math.min(50, wait / 1_000_000)));
                }
                p.send(record("bench.frames.rate", i, frames.get(i % frames.size())));
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (lat.size() < n && System.nanoTime() < deadline) {
            drain(c, lat, visible, stages, 50);
        }
        double[] v = sorted(lat);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rate_fps", rate);
        m.put("frames", v.length);
        m.put("p50_ms", pct(v, 0.50));
        m.put("p95_ms", pct(v, 0.95));
        m.put("p99_ms", pct(v, 0.99));
        double[] vis = sorted(visible);
        m.put("visible_p50_ms", pct(vis, 0.50));
        m.put("visible_p95_ms", pct(vis, 0.95));
        m.put("visible_p99_ms", pct(vis, 0.99));
        Map<String, Object> breakdown = new LinkedHashMap<>();
        stages.forEach((stage, values) -> {
            double[] sv = sorted(values);
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("p50_ms", pct(sv, 0.50));
            q.put("p99_ms", pct(sv, 0.99));
            breakdown.put(stage, q);
        });
        m.put("stages", breakdown);
        m.putAll(ThreadCpu.since(cpuBefore));
        return m;
    }

    /** Pushes {@code n} frames through as fast as the pipeline takes them and waits for their events. */
    private Map<String, Object> warmUp(EmbeddedKafka kafka, KafkaConsumer<String, byte[]> c, List<byte[]> frames, int n)
            throws Exception {
        long t0 = System.nanoTime();
        Backlog run = backlog(kafka, c, "bench.frames.warmup", n, frames, warmupSeconds * 10L + 60);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frames", run.frames());
        m.put("seconds", (System.nanoTime() - t0) / 1e9);
        return m;
    }

    /**
     * Feeds frames at {@code rate} for {@link #soakSeconds}, sampling memory every {@link #sampleSeconds}:
     * process RSS, JVM heap in use (after no forced GC: what the process really holds) and direct
     * buffers. The RSS slope over the second half of the run says whether memory is flat.
     */
    private Map<String, Object> soak(EmbeddedKafka kafka, KafkaConsumer<String, byte[]> c, List<byte[]> frames, double rate)
            throws Exception {
        long periodNanos = (long) (1e9 / rate);
        long samplePeriod = TimeUnit.SECONDS.toNanos(sampleSeconds);
        List<Map<String, Object>> samples = new ArrayList<>();
        List<Double> lat = new ArrayList<>();
        int sent = 0;
        try (KafkaProducer<String, byte[]> p = producer(kafka)) {
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(soakSeconds);
            long nextSample = start;
            while (System.nanoTime() < end) {
                long now = System.nanoTime();
                if (now >= nextSample) {
                    samples.add(memorySample((now - start) / 1e9, sent, lat.size()));
                    nextSample += samplePeriod;
                }
                long due = start + sent * periodNanos;
                if (now >= due) {
                    p.send(record("bench.frames.rate", sent, frames.get(sent % frames.size())));
                    sent++;
                }
                drain(c, lat);
                TimeUnit.MILLISECONDS.sleep(Math.max(1, Math.min(20, (due - System.nanoTime()) / 1_000_000)));
            }
            samples.add(memorySample((System.nanoTime() - start) / 1e9, sent, lat.size()));
        }
        double[] v = sorted(lat);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", soakSeconds);
        m.put("rate_fps", rate);
        m.put("frames_sent", sent);
        m.put("frames_scored", v.length);
        m.put("p50_ms", pct(v, 0.50));
        m.put("p99_ms", pct(v, 0.99));
        m.put("rss_slope_mib_per_min_second_half", slope(samples.subList(samples.size() / 2, samples.size()), "rss_mib"));
        m.put("rss_mib_first", samples.get(0).get("rss_mib"));
        m.put("rss_mib_max", samples.stream().mapToLong(x -> (Long) x.get("rss_mib")).max().orElse(-1));
        m.put("rss_mib_last", samples.get(samples.size() - 1).get("rss_mib"));
        m.put("samples", samples);
        StringBuilder csv = new StringBuilder("t_s,rss_mib,heap_used_mib,direct_mib,frames_sent,frames_scored\n");
        for (Map<String, Object> s : samples) {
            csv.append(s.get("t_s")).append(',').append(s.get("rss_mib")).append(',').append(s.get("heap_used_mib")).append(',')
                    .append(s.get("direct_mib")).append(',').append(s.get("frames_sent")).append(',').append(s.get("frames_scored"))
                    .append('\n');
        }
        Files.writeString(out.resolve("soak.csv"), csv);
        return m;
    }

    private static Map<String, Object> memorySample(double t, int sent, int scored) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("t_s", Math.round(t * 10) / 10.0);
        s.put("rss_mib", rssMib());
        s.put("heap_used_mib", ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() >> 20);
        s.put("direct_mib", ManagementFactory.getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed).sum() >> 20);
        s.put("frames_sent", sent);
        s.put("frames_scored", scored);
        progress("soak t=" + s.get("t_s") + " s rss " + s.get("rss_mib") + " MiB, scored " + scored);
        return s;
    }

    /** Least-squares slope of {@code key} against time, per minute. */
    private static double slope(List<Map<String, Object>> samples, String key) {
        int n = samples.size();
        if (n < 2) {
            return Double.NaN;
        }
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (Map<String, Object> s : samples) {
            double x = ((Number) s.get("t_s")).doubleValue() / 60;
            double y = ((Number) s.get(key)).doubleValue();
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        double den = n * sxx - sx * sx;
        return den == 0 ? Double.NaN : (n * sxy - sx * sy) / den;
    }

    private static void drain(KafkaConsumer<String, byte[]> c, List<Double> lat) throws Exception {
        drain(c, lat, new ArrayList<>(), new LinkedHashMap<>(), 0);
    }

    /**
     * {@code lat}: frame in to score computed ({@code scored_ts - capture_ts}); {@code visible}: frame in
     * to the event read back from the scores topic here, which adds the Streams producer's send
     * (linger, batching) and the broker round trip. {@code stages}: the event's own {@code latency_ms}
     * (decode, detect, score, pipeline = record received to score computed) plus {@code before_pipeline}, the
     * rest of {@code lat}: the bench producer's send, the broker, and the record's wait for its stream thread.
     */
    private static void drain(KafkaConsumer<String, byte[]> c, List<Double> lat, List<Double> visible,
            Map<String, List<Double>> stages, long timeoutMs) throws Exception {
        ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(timeoutMs));
        long now = System.currentTimeMillis();
        for (ConsumerRecord<String, byte[]> rec : records) {
            JsonNode e = JSON.readTree(rec.value());
            if (e.get("source").get("topic").asText().equals("bench.frames.rate")) {
                double total = e.get("scored_ts").asLong() - e.get("capture_ts").asLong();
                lat.add(total);
                visible.add((double) (now - e.get("capture_ts").asLong()));
                JsonNode parts = e.path("latency_ms");
                parts.fieldNames().forEachRemaining(k -> stages.computeIfAbsent(k, x -> new ArrayList<>()).add(parts.get(k).asDouble()));
                if (parts.has("pipeline")) {
                    stages.computeIfAbsent("before_pipeline", x -> new ArrayList<>()).add(total - parts.get("pipeline").asDouble());
                }
            }
        }
    }

    /** Sends {@code n} frames to {@code topic} as fast as the broker takes them. */
    private void produce(EmbeddedKafka kafka, String topic, int n, List<byte[]> frames) {
        try (KafkaProducer<String, byte[]> p = producer(kafka)) {
            for (int i = 0; i < n; i++) {
                p.send(record(topic, i, frames.get(i % frames.size())));
            }
            p.flush();
        }
    }

    private ProducerRecord<String, byte[]> record(String topic, int i, byte[] jpeg) {
        RecordHeaders h = new RecordHeaders();
        h.add(FrameHeaders.CONTENT_TYPE, ContentType.JPEG.mime().getBytes(StandardCharsets.US_ASCII));
        h.add(FrameHeaders.TIMESTAMP, Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII));
        h.add(FrameHeaders.SEQ, Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
        return new ProducerRecord<>(topic, null, cameras.get(i % cameras.size()), jpeg, h);
    }

    /**
     * {@code count} keys spread over {@code partitions} by the default partitioner, at most ceil(count / partitions)
     * per partition: evenly where the numbers divide, otherwise off by at most one.
     */
    static List<String> balancedKeys(int count, int partitions) {
        int perPartition = (count + partitions - 1) / partitions;
        int[] taken = new int[partitions];
        List<String> keys = new ArrayList<>();
        for (int n = 0; keys.size() < count; n++) {
            String key = "cam-" + n;
            int p = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
            if (taken[p] < perPartition) {
                taken[p]++;
                keys.add(key);
            }
        }
        return List.copyOf(keys);
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(EmbeddedKafka kafka) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("load_average_at_start", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        return m;
    }

    private static long rssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return -1;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double[] sorted(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static double pct(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static String markdown(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder("# frameq bench\n\n");
        sb.append("| measurement | value |\n|---|---|\n");
        flatten("", r, sb);
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> m, StringBuilder sb) {
        m.forEach((k, v) -> {
            if (v instanceof List<?>) {
                return; // soak samples: in bench.json and soak.csv, not in the table
            }
            if (v instanceof Map<?, ?> sub) {
                flatten(prefix + k + ".", (Map<String, Object>) sub, sb);
            } else {
                String s = v instanceof Double d ? String.format("%.3f", d) : String.valueOf(v);
                sb.append("| ").append(prefix).append(k).append(" | ").append(s).append(" |\n");
            }
        });
    }
}
