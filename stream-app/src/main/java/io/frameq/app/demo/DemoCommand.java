package io.frameq.app.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import io.frameq.app.broker.EmbeddedKafka;
import io.frameq.app.config.FrameqConfig;
import io.frameq.app.config.RouteRestoreConfig;
import io.frameq.app.runtime.FrameqRuntime;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;
import io.frameq.source.SourceSpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code frameq demo}: a real KRaft broker in this JVM, bundled clips replayed as camera streams
 * with scheduled faults, the full topology, a live per-stream table and /metrics.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run FrameQ end to end on an embedded Kafka broker with simulated cameras and faults.")
public final class DemoCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);
    static final String[] CLIPS = {"pedestrians.mp4", "plaza.mp4", "people.mp4"};
    private static final int FRAMES_PER_CLIP = 120;

    @Option(names = "--duration", description = "Stop after this long and print a summary (e.g. 60s, 2m). Default: until Ctrl-C.",
            converter = DurationConverter.class)
    Duration duration;

    @Option(names = "--streams", defaultValue = "8", description = "Number of camera streams (default ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = "--fps", defaultValue = "1", description = "Frames per second per camera (default ${DEFAULT-VALUE}).")
    int fps;

    @Option(names = "--metrics-port", defaultValue = "9400", description = "Prometheus /metrics port; 0 picks a free one, -1 disables it (default ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--stream-threads", defaultValue = "2", description = "Kafka Streams threads (default ${DEFAULT-VALUE}).")
    int streamThreads;

    @Option(names = "--scenario", defaultValue = "cameras",
            description = "cameras: NR monitoring of simulated cameras with faults; cdn: full-reference monitoring of an origin "
                    + "stream and its H.264 bitrate ladder (runs for --duration, default 60 s). Default ${DEFAULT-VALUE}.")
    String scenarioName;

    @Option(names = "--events-out", paramLabel = "FILE", description = "Also write every score event (JSON lines) to FILE.")
    Path eventsOut;

    @Option(names = "--restore", description = "Restore the frames the routing policy sends to a restorer (blur, noise, dark, "
            + "over-exposure faults) within the per-stream budget, publish them to frameq.restored and report the count and "
            + "mean quality gain in the summary. Off by default: it adds model runs to a busy machine.")
    boolean restore;

    @Option(names = "--restored-out", paramLabel = "DIR", description = "With --restore: keep the first restored JPEGs of each stream in DIR.")
    Path restoredOut;

    @Option(names = "--source", paramLabel = "FILE", description = "Play these clips (a video file, image sequence, folder or "
            + "image; repeatable) on the cameras instead of the bundled ones: every 2nd frame, the first " + FRAMES_PER_CLIP + ".")
    List<String> sourceClips = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (streams < 1 || streams > 64) {
            throw new IllegalArgumentException("--streams: expected 1..64, actual " + streams);
        }
        if (fps < 1 || fps > 30) {
            throw new IllegalArgumentException("--fps: expected 1..30, actual " + fps);
        }
        sourceClips.forEach(SourceSpec::parse); // a missing file is named now, before the broker starts
        PrintStream out = System.out;
        if ("cdn".equals(scenarioName)) {
            return new CdnDemo(out).run(duration, fps, metricsPort, streamThreads, eventsOut);
        }
        if (!"cameras".equals(scenarioName)) {
            throw new IllegalArgumentException("--scenario: expected cameras or cdn, actual '" + scenarioName + "'");
        }
        long cycle = duration == null ? 60_000 : Math.max(20_000, duration.toMillis());
        DemoScenario scenario = DemoScenario.of(streams, sourceClips.isEmpty() ? CLIPS.length : sourceClips.size(), cycle);
        out.printf("FrameQ demo: %d cameras at %d fps, faults in %.0f%%..%.0f%% of every %d s cycle%n", streams, fps,
                DemoScenario.FAULT_START * 100, DemoScenario.FAULT_END * 100, cycle / 1000);

        Path stateDir = Files.createTempDirectory("frameq-demo-state-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            List<String> topics = new ArrayList<>(scenario.topics());
            kafka.createTopics(2, topics.toArray(String[]::new));
            kafka.createTopics(2, "frameq.scores", "frameq.dlq", "frameq.alerts");
            if (restore) {
                kafka.createTopics(2, "frameq.restored");
            }
            List<List<byte[]>> clips = sourceClips.isEmpty() ? loadClips(out) : loadSourceClips(out, decoders);

            Map<String, String> props = new HashMap<>();
            props.put(FrameqConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            props.put(FrameqConfig.APPLICATION_ID, "frameq-demo");
            props.put(FrameqConfig.INPUT_PATTERN, "frameq\\.frames\\..+");
            props.put(FrameqConfig.METRICS_PORT, String.valueOf(metricsPort));
            props.put(FrameqConfig.STREAM_THREADS, String.valueOf(streamThreads));
            props.put(FrameqConfig.STATE_DIR, stateDir.toString());
            props.put(FrameqConfig.COMMIT_INTERVAL_MS, "500");
            props.put("kafka.metadata.max.age.ms", "5000");
            if (restore) {
                props.put(RouteRestoreConfig.RESTORE_ENABLED, "true");
                // demo frames are small (one tile each); a fifth of each stream's frames at most keeps the demo responsive
                props.put(RouteRestoreConfig.RESTORE_BUDGET_FRAME_SHARE, "0.2");
                props.put(RouteRestoreConfig.RESTORE_BUDGET_WINDOW_FRAMES, "20");
            }
            FrameqConfig config = FrameqConfig.of(props);

            try (FrameqRuntime runtime = FrameqRuntime.open(config)) {
                runtime.start();
                runtime.awaitRunning(60, TimeUnit.SECONDS);
                out.printf("Kafka %s · model %s v%d (%s) · metrics http://localhost:%d/metrics%n", kafka.bootstrapServers(),
                        runtime.scorer().descriptor().name(), runtime.scorer().descriptor().version(),
                        runtime.scorer().descriptor().trained() ? "trained" : "UNTRAINED: scores shown, not used for verdicts",
                        runtime.metricsPort());
                try (java.io.Writer events = eventsOut == null ? null : Files.newBufferedWriter(eventsOut);
                     DemoFeeder feeder = new DemoFeeder(kafka.bootstrapServers(), scenario, clips, fps, decoders);
                     ScoreBoard board = new ScoreBoard(kafka.bootstrapServers(), "frameq.scores", "frameq.dlq", feeder, scenario,
                             events);
                     RestoredBoard restoredBoard = !restore ? null : new RestoredBoard(kafka.bootstrapServers(), "frameq.restored",
                             restoredOut == null ? null : Files.createDirectories(restoredOut))) {
                    Thread main = Thread.currentThread();
                    // Ctrl-C: stop the loop, then hold the JVM until the summary is printed and resources closed.
                    java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
                    Thread hook = new Thread(() -> {
                        main.interrupt();
                        try {
                            finished.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException ignored) {
                            Thread.currentThread().interrupt();
                        }
                    }, "demo-shutdown");
                    Runtime.getRuntime().addShutdownHook(hook);
                    feeder.start();
                    LiveTable table = new LiveTable(out, scenario, feeder, board);
                    long end = duration == null ? Long.MAX_VALUE : System.currentTimeMillis() + duration.toMillis();
                    try {
                        while (System.currentTimeMillis() < end) {
                            Thread.sleep(Math.min(2000, Math.max(1, end - System.currentTimeMillis())));
                            table.print(System.currentTimeMillis() - feeder.startMillis());
                        }
                    } catch (InterruptedException e) {
                        out.println("Interrupted: stopping.");
                    }
                    try {
                        feeder.close();
                        Thread.interrupted(); // clear a Ctrl-C interrupt so draining and scraping can still wait
                        out.println("Feeder stopped; waiting for the pipeline to judge the frames already sent...");
                        drain(board, feeder, scenario);
                        String metricsText = runtime.metricsPort() == 0 ? null : scrape(runtime.metricsPort());
                        boolean ok = table.summary(metricsText);
                        if (restoredBoard != null) {
                            awaitRestorations(restoredBoard, board, scenario);
                            ok &= restorationSummary(out, restoredBoard, board, scenario, metricsText);
                        }
                        try {
                            Runtime.getRuntime().removeShutdownHook(hook);
                        } catch (IllegalStateException ignored) {
                            // already shutting down
                        }
                        return ok ? 0 : 1;
                    } finally {
                        finished.countDown();
                    }
                }
            }
        }
    }

    /**
     * Restored frames per faulted camera and restorer, the mean NR quality gain, and what the budget
     * held back; fails when a camera whose restorable fault was caught by its detector had no frame restored.
     */
    private static boolean restorationSummary(PrintStream out, RestoredBoard board, ScoreBoard scores, DemoScenario scenario,
                                              String metricsText) {
        Map<String, RestoredBoard.Tally> tallies = board.tallies();
        long total = 0;
        double gainSum = 0;
        long withGain = 0;
        long restorableFaults = 0;
        long restoredFaults = 0;
        out.printf("%n── Restoration (frameq.restored) ─────────────────────────────────────────────────────%n");
        for (DemoScenario.Camera cam : scenario.cameras()) {
            RestoredBoard.Tally t = tallies.get(cam.streamId());
            boolean restorable = switch (cam.fault()) {
                case BLUR, NOISE, DARK, OVEREXPOSED -> true;
                default -> false;
            };
            long caught;
            ScoreBoard.StreamStats st = scores.stats().get(cam.streamId());
            synchronized (st) {
                caught = st.faultedCaught;
            }
            if (restorable && caught == 0 && t == null) {
                out.printf("%-7s %-12s restored 0 (no faulted frame scored and flagged yet: nothing to restore)%n", cam.streamId(),
                        cam.fault().label());
                continue;
            }
            restorableFaults += restorable ? 1 : 0;
            if (t == null) {
                if (restorable) {
                    out.printf("%-7s %-12s restored 0 of %d flagged faulted frames ✗%n", cam.streamId(), cam.fault().label(), caught);
                }
                continue;
            }
            restoredFaults += restorable ? 1 : 0;
            total += t.restored();
            gainSum += t.gainSum();
            withGain += t.withGain();
            out.printf("%-7s %-12s restored %3d  by %s  mean gain %+.4f%n", cam.streamId(), cam.fault().label(), t.restored(),
                    t.byRestorer(), t.meanGain());
        }
        String overBudget = metricsText == null ? "?" : String.format("%.0f", sumSeries(metricsText, "frameq_restore_over_budget_total"));
        out.printf("Restored %d frames, mean quality gain %+.4f (NR quality after - before; the shipped restorers are denoisers "
                + "(models/EVAL.md): noise gains most, dark and over-exposed frames barely change); not restored for budget: %s%n", total, withGain == 0 ? Double.NaN : gainSum / withGain,
                overBudget);
        boolean ok = restoredFaults == restorableFaults;
        out.println(ok ? "RESTORE: every camera whose restorable fault was flagged had frames restored."
                : "RESTORE: some cameras with a flagged restorable fault had no frame restored (✗ above).");
        return ok;
    }

    /**
     * The restored topic trails the scores topic by a restoration and a re-score: waits (at most 15 s)
     * until every camera whose restorable fault was flagged has a restored frame, or nothing changes for 8 s.
     */
    private static void awaitRestorations(RestoredBoard restored, ScoreBoard scores, DemoScenario scenario)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 15_000;
        long lastChange = System.currentTimeMillis();
        long lastTotal = -1;
        while (System.currentTimeMillis() < deadline && System.currentTimeMillis() - lastChange < 8_000) {
            Map<String, RestoredBoard.Tally> t = restored.tallies();
            boolean missing = scenario.cameras().stream().anyMatch(c -> {
                ScoreBoard.StreamStats st = scores.stats().get(c.streamId());
                synchronized (st) {
                    return st.faultedCaught > 0 && !t.containsKey(c.streamId())
                            && switch (c.fault()) {
                                case BLUR, NOISE, DARK, OVEREXPOSED -> true;
                                default -> false;
                            };
                }
            });
            if (!missing) {
                return;
            }
            long total = t.values().stream().mapToLong(RestoredBoard.Tally::restored).sum();
            if (total != lastTotal) {
                lastTotal = total;
                lastChange = System.currentTimeMillis();
            }
            Thread.sleep(250);
        }
    }

    private static double sumSeries(String metricsText, String name) {
        return metricsText.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /**
     * Waits until the pipeline has judged what the feeder already sent. On a loaded machine the backlog can be many
     * seconds long, so the wait goes on while events keep arriving and stops only when they stall for 10 s (or
     * after 2 min): a summary over half the frames would call a working pipeline broken.
     */
    private static void drain(ScoreBoard board, DemoFeeder feeder, DemoScenario scenario) throws InterruptedException {
        long hardDeadline = System.currentTimeMillis() + 120_000;
        long lastSeen = -1;
        long lastProgress = System.currentTimeMillis();
        while (System.currentTimeMillis() < hardDeadline && System.currentTimeMillis() - lastProgress < 10_000) {
            long sent = scenario.cameras().stream().mapToLong(c -> feeder.sent(c.streamId())).sum();
            long seen = board.stats().values().stream().mapToLong(s -> s.events).sum()
                    + board.dlqByReason().values().stream().mapToLong(Long::longValue).sum();
            if (seen >= sent) {
                return;
            }
            if (seen != lastSeen) {
                lastSeen = seen;
                lastProgress = System.currentTimeMillis();
            }
            Thread.sleep(250);
        }
    }

    private static String scrape(int port) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            LOG.warn("could not scrape /metrics: {}", e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The --source clips, read once as JPEG frames. */
    private List<List<byte[]>> loadSourceClips(PrintStream out, FrameDecoders decoders) {
        List<List<byte[]>> clips = new ArrayList<>();
        for (String source : sourceClips) {
            List<byte[]> jpegs = SourceClips.read(source, 2, FRAMES_PER_CLIP, decoders);
            clips.add(jpegs);
            out.printf("  clip %-16s %3d frames%n", source, jpegs.size());
        }
        return clips;
    }

    /** Decodes each bundled clip once and keeps its frames as JPEG bytes (memory stays small). */
    private static List<List<byte[]>> loadClips(PrintStream out) {
        List<List<byte[]>> clips = new ArrayList<>();
        for (String name : CLIPS) {
            List<RgbImage> frames = DemoClips.read(name, 2, FRAMES_PER_CLIP);
            List<byte[]> jpegs = new ArrayList<>(frames.size());
            for (RgbImage f : frames) {
                jpegs.add(ImageEncoder.jpeg(f, 92));
            }
            clips.add(jpegs);
            out.printf("  clip %-16s %3d frames %dx%d%n", name, jpegs.size(), frames.get(0).width(), frames.get(0).height());
        }
        return clips;
    }
}
