package io.frameq.app.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.app.broker.EmbeddedKafka;
import io.frameq.app.config.FrameqConfig;
import io.frameq.app.config.ModelSamplingConfig;
import io.frameq.app.demo.DemoClips;
import io.frameq.app.runtime.FrameqRuntime;
import io.frameq.frame.ContentType;
import io.frameq.frame.FrameHeaders;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code frameq bench --fleet N}: how many cameras this box sustains. N cameras each send a JPEG
 * at {@code fps} (real clips scaled to the resolution, about 100 KB at 1080p) through the in-process
 * broker into one {@link FrameqRuntime} with the model sampled every {@code modelEverySeconds} per
 * camera and on every suspect. A trial at a camera count first warms up (each new camera's first
 * frame runs the model), then measures; it is sustained when every frame got its event, the p99
 * frame-in to event-out latency is at most {@code maxP99Ms}, and the latency did not grow from the
 * first to the last fifth of the measurement (no growing lag). The search grows the count by half
 * while trials pass and bisects once one fails. On a box shared with other work the count found is
 * what was left of the CPU; each trial also reports its CPU per camera, and the count the box's
 * cores would carry at that cost ({@code cameras_per_idle_cores_projected}, without the JIT's
 * warm-up). Not a test: it asserts nothing.
 */
final class FleetBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "fleet.frames";
    private static final int PARTITIONS = 2;
    /** Latency growth from the first to the last fifth of a trial above which its lag is growing. */
    private static final double MAX_GROWTH_MS = 250;
    private static final List<String> CLIPS = List.of("pedestrians.mp4", "people.mp4", "plaza.mp4");
    /** Frames per clip (every 6th of the clip): a camera loops over the frames of one clip, so its scene stays put. */
    private static final int CLIP_FRAMES = 20;

    private final int startCameras;
    private final double fps;
    private final int width;
    private final int height;
    private final int modelEverySeconds;
    private final int trialSeconds;
    private final int warmupSeconds;
    private final int maxTrials;
    private final double maxP99Ms;
    private final Map<String, String> settings;
    private final Path out;

    private List<byte[]> frames;
    private long seq;

    FleetBench(int startCameras, double fps, String resolution, int modelEverySeconds, int trialSeconds, int warmupSeconds,
               int maxTrials, double maxP99Ms, Map<String, String> settings, Path out) {
        String[] wh = resolution.toLowerCase(java.util.Locale.ROOT).split("x");
        if (wh.length != 2) {
            throw new IllegalArgumentException("--resolution: expected WIDTHxHEIGHT, e.g. 1920x1080, actual '" + resolution + "'");
        }
        this.width = Integer.parseInt(wh[0].strip());
        this.height = Integer.parseInt(wh[1].strip());
        if (startCameras < 1 || fps <= 0 || modelEverySeconds < 0 || trialSeconds < 5 || maxTrials < 1) {
            throw new IllegalArgumentException("--fleet: expected cameras >= 1, fps > 0, model-every >= 0, fleet-seconds >= 5 and "
                    + "fleet-trials >= 1, actual " + startCameras + ", " + fps + ", " + modelEverySeconds + ", " + trialSeconds
                    + ", " + maxTrials);
        }
        this.startCameras = startCameras;
        this.fps = fps;
        this.modelEverySeconds = modelEverySeconds;
        this.trialSeconds = trialSeconds;
        this.warmupSeconds = warmupSeconds;
        this.maxTrials = maxTrials;
        this.maxP99Ms = maxP99Ms;
        this.settings = settings;
        this.out = out;
    }

    Map<String, Object> run() throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        frames = frames(report);
        List<Map<String, Object>> trials = new ArrayList<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(PARTITIONS, TOPIC, "frameq.scores", "frameq.dlq", "frameq.alerts");
            Map<String, String> props = new HashMap<>();
            props.put(FrameqConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            props.put(FrameqConfig.INPUT_TOPICS, TOPIC);
            props.put(FrameqConfig.METRICS_PORT, "-1");
            props.put(FrameqConfig.STREAM_THREADS, String.valueOf(PARTITIONS));
            props.put(FrameqConfig.STATE_DIR, Files.createTempDirectory("frameq-fleet-").toString());
            if (modelEverySeconds > 0) {
                props.put(ModelSamplingConfig.EVERY_MS, String.valueOf(modelEverySeconds * 1000L));
                props.put(ModelSamplingConfig.EVERY_FRAMES, "0");
            }
            props.putAll(settings);
            report.put("settings", new java.util.TreeMap<>(props));
            try (FrameqRuntime runtime = FrameqRuntime.open(FrameqConfig.of(props));
                 KafkaConsumer<String, byte[]> c = consumer(kafka);
                 KafkaProducer<String, byte[]> p = producer(kafka)) {
                c.subscribe(List.of("frameq.scores"));
                runtime.start();
                runtime.awaitRunning(60, TimeUnit.SECONDS);
                int lo = 0;
                int hi = Integer.MAX_VALUE;
                int n = startCameras;
                for (int t = 0; t < maxTrials && n > 0; t++) {
                    Map<String, Object> trial = trial(p, c, n);
                    trials.add(trial);
                    boolean ok = (Boolean) trial.get("sustained");
                    progress("trial " + (t + 1) + ": " + n + " cameras " + (ok ? "sustained" : "NOT sustained: " + trial.get("why"))
                            + ", p99 " + trial.get("visible_p99_ms") + " ms, cpu " + trial.get("cpu_cores_busy") + " cores");
                    if (ok) {
                        lo = Math.max(lo, n);
                    } else {
                        hi = Math.min(hi, n);
                    }
                    int next = hi == Integer.MAX_VALUE ? (int) Math.ceil(n * 1.5) : (lo + hi) / 2;
                    if (next <= lo || next >= hi || hi - lo <= Math.max(4, lo / 10)) {
                        break;
                    }
                    n = next;
                    // let a failed trial's backlog drain before the next one, so it starts clean
                    drainAll(c, 30);
                }
                report.put("max_sustained_cameras", lo);
                report.put("first_failed_cameras", hi == Integer.MAX_VALUE ? null : hi);
            }
        }
        report.put("trials", trials);
        trials.stream().filter(x -> x.get("cameras").equals(report.get("max_sustained_cameras"))).findFirst()
                .ifPresent(best -> report.put("at_max", best));
        return report;
    }

    /** Real clips, scaled to the resolution and encoded at the JPEG quality that gives ~100 KB per 1080p frame. */
    private List<byte[]> frames(Map<String, Object> report) {
        long target = Math.round(100_000.0 * width * height / (1920.0 * 1080.0));
        List<RgbImage> clip = new ArrayList<>();
        for (String name : CLIPS) {
            clip.addAll(DemoClips.read(name, 6, CLIP_FRAMES));
        }
        RgbImage probe = ImageEncoder.resize(clip.get(0), width, height);
        int quality = 95;
        while (quality > 30 && ImageEncoder.jpeg(probe, quality).length > target * 1.1) {
            quality -= 5;
        }
        List<byte[]> out = new ArrayList<>();
        long bytes = 0;
        for (RgbImage f : clip) {
            byte[] jpeg = ImageEncoder.jpeg(ImageEncoder.resize(f, width, height), quality);
            bytes += jpeg.length;
            out.add(jpeg);
        }
        report.put("resolution", width + "x" + height);
        report.put("fps_per_camera", fps);
        report.put("model_every_seconds", modelEverySeconds);
        report.put("jpeg_quality", quality);
        report.put("jpeg_mean_kb", Math.round(bytes / (double) out.size() / 100) / 10.0);
        report.put("distinct_frames", out.size());
        progress("fleet: " + out.size() + " frames " + width + "x" + height + " JPEG q" + quality + ", mean "
                + report.get("jpeg_mean_kb") + " KB");
        return out;
    }

    /** One camera count: warm-up, then a measured run at the fleet's rate. */
    private Map<String, Object> trial(KafkaProducer<String, byte[]> p, KafkaConsumer<String, byte[]> c, int cameras) throws Exception {
        List<String> keys = BenchCommand.balancedKeys(cameras, PARTITIONS);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("cameras", cameras);
        r.put("frames_per_second", cameras * fps);
        Phase warm = send(p, c, keys, warmupSeconds);
        warm.drain(c, 20);
        r.put("warmup_seconds", warmupSeconds);
        r.put("warmup_unscored", warm.sent - warm.latency.size());
        // the first seconds at this count: where a cold JVM (or the start-up warm-up's absence) shows in the first trial
        double[] warmVisible = sorted(warm.visible);
        r.put("warmup_visible_p50_ms", pct(warmVisible, 0.5));
        r.put("warmup_visible_p99_ms", pct(warmVisible, 0.99));
        r.put("warmup_decode_ms_per_frame", mean(warm.stage.get("decode")));
        r.put("warmup_detect_ms_per_frame", mean(warm.stage.get("detect")));
        ThreadCpu.Mark cpu = ThreadCpu.mark();
        Phase m = send(p, c, keys, trialSeconds);
        Map<String, Object> cpuUse = ThreadCpu.since(cpu); // the sending window only: the fleet's steady load
        m.drain(c, 10);
        double[] lat = sorted(m.latency);
        double[] vis = sorted(m.visible);
        r.put("frames_sent", m.sent);
        r.put("frames_scored", m.latency.size());
        r.put("p50_ms", pct(lat, 0.5));
        r.put("p99_ms", pct(lat, 0.99));
        r.put("visible_p50_ms", pct(vis, 0.5));
        r.put("visible_p99_ms", pct(vis, 0.99));
        double growth = m.growthMs();
        r.put("latency_growth_ms", growth);
        r.put("model_runs", m.modelRuns);
        r.put("model_runs_per_second", m.modelRuns / (double) trialSeconds);
        r.put("flagged_frames", m.suspectFrames);
        r.put("flags", m.flags);
        r.put("sampled_out", m.sampledOut);
        r.put("shed", m.shed);
        r.put("budget_deferred", m.budget);
        Map<String, Object> stages = new LinkedHashMap<>();
        stages.put("decode_ms_per_frame", mean(m.stage.get("decode")));
        stages.put("detect_ms_per_frame", mean(m.stage.get("detect")));
        stages.put("model_ms_per_run", m.modelRuns == 0 ? 0 : sum(m.stage.get("score")) / m.modelRuns);
        r.put("stage_wall_ms", stages);
        r.putAll(cpuUse);
        Object busy = cpuUse.get("cpu_cores_busy");
        if (busy instanceof Number b) {
            r.put("cpu_ms_per_camera_second", Math.round(b.doubleValue() * 1000 / cameras * 100) / 100.0);
        }
        if (cpuUse.get("cpu_seconds_by_thread_group") instanceof Map<?, ?> groups && groups.get("total") instanceof Number total) {
            // the JIT still compiles during the first minutes; without it, the steady state's cost per camera
            double jit = groups.get("jit") instanceof Number j ? j.doubleValue() : 0;
            double perCamera = (total.doubleValue() - jit) * 1000 / trialSeconds / cameras;
            r.put("cpu_ms_per_camera_second_without_jit", Math.round(perCamera * 100) / 100.0);
            int cores = Runtime.getRuntime().availableProcessors();
            r.put("cameras_per_idle_cores_projected", (int) Math.floor(cores * 1000 / perCamera));
        }
        String why = null;
        if (m.latency.size() < m.sent) {
            why = (m.sent - m.latency.size()) + " of " + m.sent + " frames without an event 10 s after the run";
        } else if (pct(vis, 0.99) > maxP99Ms) {
            why = "p99 " + Math.round(pct(vis, 0.99)) + " ms > " + Math.round(maxP99Ms) + " ms";
        } else if (growth > MAX_GROWTH_MS) {
            why = "latency grew by " + Math.round(growth) + " ms during the run";
        }
        r.put("sustained", why == null);
        r.put("why", why);
        return r;
    }

    /** What one sending window produced and read back. */
    private final class Phase {
        final long firstSeq;
        long sent;
        final List<Double> latency = new ArrayList<>();
        final List<Double> visible = new ArrayList<>();
        final List<long[]> byCapture = new ArrayList<>(); // {capture_ts, latency}
        final Map<String, List<Double>> stage = new HashMap<>();
        long modelRuns;
        long suspectFrames;
        final Map<String, Integer> flags = new java.util.TreeMap<>();
        long sampledOut;
        long shed;
        long budget;

        Phase(long firstSeq) {
            this.firstSeq = firstSeq;
        }

        void poll(KafkaConsumer<String, byte[]> c, long timeoutMs) throws Exception {
            long now0 = System.currentTimeMillis();
            for (ConsumerRecord<String, byte[]> rec : c.poll(Duration.ofMillis(timeoutMs))) {
                JsonNode e = JSON.readTree(rec.value());
                long s = e.get("seq").asLong();
                if (s < firstSeq || s >= firstSeq + sent) {
                    continue;
                }
                long capture = e.get("capture_ts").asLong();
                double total = e.get("scored_ts").asLong() - capture;
                latency.add(total);
                visible.add((double) (now0 - capture));
                byCapture.add(new long[] {capture, (long) (now0 - capture)});
                JsonNode parts = e.path("latency_ms");
                parts.fieldNames().forEachRemaining(k -> stage.computeIfAbsent(k, x -> new ArrayList<>()).add(parts.get(k).asDouble()));
                if (!e.path("degradations").isEmpty()) {
                    suspectFrames++;
                    e.get("degradations").forEach(d -> flags.merge(d.asText(), 1, Integer::sum));
                }
                JsonNode skipped = e.path("model_skipped");
                if (skipped.isMissingNode() || skipped.isNull()) {
                    modelRuns++;
                } else if ("shed".equals(skipped.asText())) {
                    shed++;
                } else if ("budget".equals(skipped.asText())) {
                    budget++;
                } else {
                    sampledOut++;
                }
            }
        }

        void drain(KafkaConsumer<String, byte[]> c, int seconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (latency.size() < sent && System.nanoTime() < deadline) {
                poll(c, 100);
            }
        }

        /** Median visible latency of the last fifth of the frames (by capture time) minus that of the first fifth. */
        double growthMs() {
            if (byCapture.size() < 10) {
                return 0;
            }
            List<long[]> s = new ArrayList<>(byCapture);
            s.sort((a, b) -> Long.compare(a[0], b[0]));
            int k = s.size() / 5;
            double[] first = s.subList(0, k).stream().mapToDouble(x -> x[1]).sorted().toArray();
            double[] last = s.subList(s.size() - k, s.size()).stream().mapToDouble(x -> x[1]).sorted().toArray();
            return pct(last, 0.5) - pct(first, 0.5);
        }
    }

    /**
     * Every camera sends one frame per 1/fps, the cameras' sends spread evenly over that period (real cameras are not
     * in phase); each camera walks the clip frames from its own offset, so consecutive frames of a camera differ.
     */
    private Phase send(KafkaProducer<String, byte[]> p, KafkaConsumer<String, byte[]> c, List<String> keys, int seconds)
            throws Exception {
        Phase phase = new Phase(seq);
        int n = keys.size();
        long total = Math.round(n * fps * seconds);
        double periodNanos = 1e9 / (n * fps);
        long start = System.nanoTime();
        for (long j = 0; j < total; j++) {
            long due = start + (long) (j * periodNanos);
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                phase.poll(c, Math.max(1, Math.min(20, wait / 1_000_000)));
            }
            int cam = (int) (j % n);
            long round = j / n;
            // the clip and the starting frame follow the camera's id, not its place in this trial's list: a camera
            // keeps its scene from one trial to the next (a new scene under an old id is a camera that "moved")
            int id = Math.floorMod(keys.get(cam).hashCode(), 1 << 20);
            int clip = id % CLIPS.size();
            byte[] jpeg = frames.get(clip * CLIP_FRAMES + (int) ((id * 7L + round) % CLIP_FRAMES));
            RecordHeaders h = new RecordHeaders();
            h.add(FrameHeaders.CONTENT_TYPE, ContentType.JPEG.mime().getBytes(StandardCharsets.US_ASCII));
            h.add(FrameHeaders.TIMESTAMP, Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.US_ASCII));
            h.add(FrameHeaders.SEQ, Long.toString(seq++).getBytes(StandardCharsets.US_ASCII));
            p.send(new ProducerRecord<>(TOPIC, null, keys.get(cam), jpeg, h));
            phase.sent++;
        }
        p.flush();
        return phase;
    }

    private static void drainAll(KafkaConsumer<String, byte[]> c, int quietSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(quietSeconds);
        int empty = 0;
        while (System.nanoTime() < deadline && empty < 10) {
            empty = c.poll(Duration.ofMillis(200)).isEmpty() ? empty + 1 : 0;
        }
    }

    private static KafkaProducer<String, byte[]> producer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(EmbeddedKafka kafka) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "fleet-" + System.nanoTime(), ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static void progress(String what) {
        System.err.println("bench: " + what);
    }

    private static double[] sorted(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static double pct(double[] sorted, double q) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double sum(List<Double> v) {
        return v == null ? 0 : v.stream().mapToDouble(Double::doubleValue).sum();
    }

    private static double mean(List<Double> v) {
        return v == null || v.isEmpty() ? Double.NaN : sum(v) / v.size();
    }

    Path out() {
        return out;
    }
}
