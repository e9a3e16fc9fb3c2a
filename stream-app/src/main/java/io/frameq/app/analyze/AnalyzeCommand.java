package io.frameq.app.analyze;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.frameq.app.config.FrameqConfig;
import io.frameq.model.ModelDescriptor;
import io.frameq.source.FrameRecord;
import io.frameq.source.ReconnectPolicy;
import io.frameq.source.SamplingPolicy;
import io.frameq.source.SourceSpec;
import io.frameq.source.Sources;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code frameq analyze SOURCE... --out DIR}: the per-stream chain of {@code run} (decode, detectors
 * with per-stream state, the NR model, verdict hysteresis, routing, alerts) on images, folders,
 * image sequences, video files and live URLs, in this process and without a broker. Each source is
 * one stream, analysed by the operators of the Kafka topology itself (see {@link InProcessPipeline}).
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Analyse images, folders, image sequences, video files or live URLs with the same per-stream chain as `run`, "
                + "without Kafka.",
            "Writes DIR/events.jsonl and DIR/alerts.jsonl (the scores and alerts topics' JSON), DIR/dead-letters.jsonl, "
                + "DIR/summary.csv and DIR/report.html.",
            "Exit codes: 0 done; 1 a source could not be read; 2 bad arguments; 3 the --fail-on condition was met."})
public final class AnalyzeCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyzeCommand.class);

    /** Exit code when the {@code --fail-on} condition is met. */
    public static final int EXIT_CONDITION = 3;
    /** Exit code when a source could not be read. */
    public static final int EXIT_SOURCE_FAILED = 1;

    /** What makes the exit code {@link #EXIT_CONDITION}. */
    public enum FailOn {
        /** any frame the stream verdict (with hysteresis) calls degraded */
        degraded,
        /** any alert opened */
        alert
    }

    @Parameters(arity = "1..*", paramLabel = "SOURCE", description = {"[ID=]LOCATION: an image, a folder (its images, recursively, "
            + "sorted), an image sequence (img%%04d.png or 'frames/*.jpg'), a video file (any container and codec FFmpeg reads) or a "
            + "URL (rtsp://, http(s):// incl. HLS and MJPEG, udp://...). ID is the stream id (default: from the name)."})
    List<String> sources;

    @Mixin
    SourceOptions source = new SourceOptions();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if missing).")
    Path out;

    @Option(names = "--model", paramLabel = "NAME", description = "NR model (default: model.nr of the configuration, maniqa-lite).")
    String model;

    @Option(names = "--repository", paramLabel = "DIR", description = "Extra model repository directory (repeatable).")
    List<Path> repositories = new ArrayList<>();

    @Option(names = "--provider", paramLabel = "P", description = "cpu, cuda[:N] or tensorrt (default: onnx.provider, cpu).")
    String provider;

    @Option(names = "--threads", paramLabel = "N", description = "Streams analysed at once (default: sources or cores, the fewer).")
    Integer threads;

    @Option(names = "--fail-on", paramLabel = "WHAT", description = "Exit with 3 when a stream's verdict turned degraded (degraded) "
            + "or an alert opened (alert).")
    FailOn failOn;

    @Option(names = "--max-frames", paramLabel = "N", defaultValue = "0",
            description = "Stop each source after N analysed frames (default 0: no limit).")
    long maxFrames;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop each source after this many seconds of analysis (live URLs run until stopped otherwise).")
    double durationSeconds;

    @Option(names = "--start-time", paramLabel = "TIME", converter = io.frameq.app.analyze.StartTimeConverter.class,
            description = "Capture time of the first frame of files and folders, ISO-8601 or epoch ms (default: now, rounded down "
                    + "to a whole alert window).")
    Long startTime;

    @Option(names = "--frame-encoding", paramLabel = "ENC", defaultValue = "raw",
            description = "How decoded video frames reach the topology: raw (RGB24, no second lossy coding) or jpeg (as a camera "
                    + "publishes them). Still JPEG/PNG files always go as they are. Default ${DEFAULT-VALUE}.")
    String frameEncoding;

    @Option(names = "--thumbnails", paramLabel = "N", defaultValue = "6", description = "Worst frames shown per stream (default ${DEFAULT-VALUE}).")
    int thumbnails;

    @Option(names = "--reconnect-attempts", paramLabel = "N", defaultValue = "10",
            description = "Failed reconnects in a row after which a live source gives up (0: never; default ${DEFAULT-VALUE}).")
    int reconnectAttempts;

    @Option(names = "--stills-as-camera", description = "Treat an image or a folder of images as one camera's snapshots: "
            + "judge them against the stream's learnt normal (baselines: warm-up, moved), as a video. Default: each image "
            + "is judged on its own, as `score` does.")
    boolean stillsAsCamera;

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file of `run` (thresholds, alerts, decode limits...); "
            + "its Kafka and topic settings are not used.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Configuration override (repeatable), e.g. alerts.window.ms=5000.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        FrameqConfig cfg = configuration();
        SamplingPolicy sampling = source.sampling();
        FrameRecord.Encoding encoding = encoding(frameEncoding);
        if (thumbnails < 0 || maxFrames < 0 || durationSeconds < 0 || reconnectAttempts < 0) {
            throw new IllegalArgumentException("--thumbnails, --max-frames, --duration and --reconnect-attempts: expected >= 0");
        }
        List<SourceSpec> specs = Sources.uniqueIds(sources.stream().map(SourceSpec::parse).toList());
        int parallel = threads != null ? threads : Math.min(specs.size(), Runtime.getRuntime().availableProcessors());
        if (parallel < 1) {
            throw new IllegalArgumentException("--threads: expected >= 1, actual " + parallel);
        }
        long started = System.currentTimeMillis();
        // Rounded down to a whole alert window: windows are aligned to the epoch, so the clip's own timeline then
        // decides which frames share a window, and a clip gives the same alerts whenever it is analysed.
        long window = cfg.alertPolicy().windowMs();
        long startMs = startTime == null ? started - Math.floorMod(started, window) : startTime;
        Sources.Options sourceOptions = Sources.Options.defaults(startMs)
                .withReconnect(new ReconnectPolicy(ReconnectPolicy.DEFAULTS.initialDelayMs(), ReconnectPolicy.DEFAULTS.maxDelayMs(),
                        reconnectAttempts))
                .withInputOptions(source.inputOptions());
        Files.createDirectories(out);
        // under DIR rather than /tmp: Kafka Streams warns that an OS temp folder may be cleared under it
        Path stateRoot = Files.createDirectories(out.resolve(".state"));
        CountDownLatch finished = new CountDownLatch(1);
        // the stop hook may run while the list is being filled
        List<StreamAnalysis> analyses = new CopyOnWriteArrayList<>();
        Thread hook = new Thread(() -> {
            LOG.info("Stopping: the sources end, what was analysed is written");
            analyses.forEach(StreamAnalysis::stop);
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "frameq-analyze-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (InProcessPipeline pipeline = new InProcessPipeline(cfg, parallel);
             AnalysisOutput output = new AnalysisOutput(out);
             Progress progress = Progress.forConsole(specs.size())) {
            StreamAnalysis.Limits limits = new StreamAnalysis.Limits(maxFrames, Math.round(durationSeconds * 1000));
            for (SourceSpec spec : specs) {
                analyses.add(new StreamAnalysis(spec, sampling, sourceOptions, pipeline, output, limits, encoding, stateRoot, thumbnails,
                        progress, stillsAsCamera));
            }
            List<StreamReport> reports = runAll(analyses, parallel);
            ModelDescriptor d = pipeline.model();
            SummaryCsv.write(out.resolve(SummaryCsv.FILE), reports);
            HtmlReport.write(out.resolve(HtmlReport.FILE), new HtmlReport.RunInfo(d.name(), d.version(), d.trained(), describe(sampling),
                    started, (System.currentTimeMillis() - started) / 1000.0), reports);
            return exitCode(reports);
        } finally {
            StreamAnalysis.deleteRecursively(stateRoot);
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down (Ctrl-C): the hook is what is waiting for us
            }
        }
    }

    private static List<StreamReport> runAll(List<StreamAnalysis> analyses, int parallel) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r);
            t.setName("frameq-analyze-" + t.getId());
            return t;
        });
        try {
            List<Future<StreamReport>> futures = new ArrayList<>();
            analyses.forEach(a -> futures.add(pool.submit(a)));
            List<StreamReport> reports = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    reports.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    StreamReport r = analyses.get(i).report();
                    r.error = "analysis failed: " + e.getCause();
                    LOG.error("{}: analysis failed", r.streamId, e.getCause());
                    reports.add(r);
                }
            }
            return reports;
        } finally {
            pool.shutdownNow();
        }
    }

    private int exitCode(List<StreamReport> reports) {
        if (reports.stream().anyMatch(r -> r.error != null)) {
            return EXIT_SOURCE_FAILED;
        }
        if (failOn == FailOn.degraded && reports.stream().anyMatch(r -> r.streamDegradedFrames > 0)) {
            return EXIT_CONDITION;
        }
        if (failOn == FailOn.alert && reports.stream().anyMatch(r -> r.alertsOpened > 0)) {
            return EXIT_CONDITION;
        }
        return 0;
    }

    /** The configuration of {@code run} from --config and --set, with analyze's own input and no load shedding. */
    FrameqConfig configuration() {
        Map<String, String> props = new HashMap<>();
        if (config != null) {
            props.putAll(readProperties(config));
        }
        props.putAll(overrides);
        props.remove(FrameqConfig.INPUT_PATTERN);
        props.put(FrameqConfig.INPUT_TOPICS, InProcessPipeline.INPUT_TOPIC);
        // an analysis reads files at its own pace: a frame is never "late", and shedding would skip the model on a slow machine
        props.put(FrameqConfig.SHED_MAX_LAG_MS, "0");
        if (model != null) {
            props.put(FrameqConfig.MODEL_NR, model);
        }
        if (provider != null) {
            props.put(FrameqConfig.ONNX_PROVIDER, provider);
        }
        if (!repositories.isEmpty()) {
            List<String> dirs = new ArrayList<>();
            String configured = props.get(FrameqConfig.MODEL_REPOSITORY);
            if (configured != null && !configured.isBlank()) {
                dirs.add(configured);
            }
            repositories.forEach(p -> dirs.add(p.toString()));
            props.put(FrameqConfig.MODEL_REPOSITORY, String.join(",", dirs));
        }
        return FrameqConfig.of(props);
    }

    private static Map<String, String> readProperties(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("--config " + file + ": cannot be read: " + e.getMessage(), e);
        }
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k.trim(), p.getProperty(k).trim()));
        return m;
    }


    private static FrameRecord.Encoding encoding(String text) {
        try {
            return FrameRecord.Encoding.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--frame-encoding: expected raw or jpeg, actual '" + text + "'");
        }
    }

    private static String describe(SamplingPolicy s) {
        List<String> parts = new ArrayList<>();
        parts.add(s.everyN() == 1 ? "every frame" : "every " + s.everyN() + "th frame");
        if (s.maxFps() > 0) {
            parts.add(String.format(Locale.ROOT, "at most %.3g/s", s.maxFps()));
        }
        if (s.keyframesOnly()) {
            parts.add("keyframes only");
        }
        return String.join(", ", parts);
    }
}
