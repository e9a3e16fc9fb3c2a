package io.frameq.app.runtime;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import io.frameq.app.demo.DemoClips;
import io.frameq.baseline.BaselineJudge;
import io.frameq.baseline.BaselineSettings;
import io.frameq.baseline.SceneMode;
import io.frameq.baseline.StreamBaseline;
import io.frameq.detect.DetectorReport;
import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.frame.ContentType;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FfmpegImageDecoder;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameMetadata;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.quality.NrScorer;

/**
 * What the start-up warm-up buys: the CPU time of decode plus detectors of the first frames after a cold start,
 * with and without {@link StartupWarmUp}. A benchmark main, not a test: it prints and asserts nothing. Two steps,
 * so the measured JVM has decoded nothing before:
 *
 * <pre>
 * java -cp stream-app/target/frameq.jar:stream-app/target/test-classes io.frameq.app.runtime.WarmUpBenchmark prepare DIR
 * java -cp ... io.frameq.app.runtime.WarmUpBenchmark measure DIR WARMUP_MS [FRAMES]
 * </pre>
 *
 * {@code prepare} writes the fleet benchmark's 1080p frames (bundled clips pedestrians.mp4 and plaza.mp4, every
 * 6th frame, 20 each, JPEG q45 as {@code bench --fleet} encodes them; not people.mp4, whose first frame is the
 * warm-up's). {@code measure} opens what {@code FrameqRuntime} opens for the frame path (decoders, detectors,
 * baseline judge, maniqa-lite on ONNX Runtime), runs the warm-up for WARMUP_MS (0 = none) on the main thread, then
 * on a new thread (as a stream thread would) decodes each frame shrunk to 640 px and runs the detectors and the
 * judge on it, FRAMES times (default 200, the 40 files in turn). Per frame: that thread's CPU time; for the whole
 * window: wall time, the process's CPU and the JIT's compile time.
 */
public final class WarmUpBenchmark {

    private WarmUpBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("prepare")) {
            prepare(Path.of(args[1]));
        } else if (args.length >= 3 && args[0].equals("measure")) {
            measure(Path.of(args[1]), Long.parseLong(args[2]), args.length >= 4 ? Integer.parseInt(args[3]) : 200);
        } else {
            System.err.println("usage: WarmUpBenchmark prepare DIR | measure DIR WARMUP_MS [FRAMES]");
            System.exit(2);
        }
    }

    private static void prepare(Path dir) throws Exception {
        Files.createDirectories(dir);
        int n = 0;
        for (String clip : List.of("pedestrians.mp4", "plaza.mp4")) {
            for (RgbImage f : DemoClips.read(clip, 6, 20)) {
                Files.write(dir.resolve(String.format(Locale.ROOT, "%03d.jpg", n++)), ImageEncoder.jpeg(ImageEncoder.resize(f, 1920, 1080), 45));
            }
        }
        System.out.println("wrote " + n + " frames to " + dir);
    }

    private static void measure(Path dir, long warmUpMs, int frames) throws Exception {
        List<byte[]> jpegs = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList()) {
                jpegs.add(Files.readAllBytes(p));
            }
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        DetectorSuite detectors = new DetectorSuite(DetectorThresholds.DEFAULTS);
        BaselineJudge judge = new BaselineJudge(BaselineSettings.DEFAULTS);
        try (FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT);
             OrtRuntime ort = OrtRuntime.create(ExecutionConfig.parse("cpu").withThreads(1, 1));
             NrScorer scorer = NrScorer.open(ModelRepository.bundled(), "maniqa-lite", ort)) {
            StartupWarmUp.Report warm = StartupWarmUp.Report.SKIPPED;
            if (warmUpMs > 0) {
                warm = StartupWarmUp.builder().setFrame(StartupWarmUp.bundledFrame()).setDecoders(decoders).setDetectors(detectors)
                        .setJudge(judge).optScorer(scorer, StartupWarmUp.DEFAULT_MODEL_RUNS).optReducedMinWidth(640)
                        .setBudgetMs(warmUpMs).build().run();
            }
            double[] cpuMs = new double[frames];
            long jit0 = jit.getTotalCompilationTime();
            long proc0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            Thread stream = new Thread(() -> {
                FrameMetadata meta = FrameMetadata.of(ContentType.JPEG);
                StreamBaseline baseline = new StreamBaseline(judge.settings().capacity());
                byte[] thumb = null;
                for (int i = 0; i < frames; i++) {
                    long t0 = threads.getCurrentThreadCpuTime();
                    FfmpegImageDecoder.Reduced r = decoders.decodeReduced(jpegs.get(i % jpegs.size()), meta, 640);
                    RgbImage image = r.frames().get(0).image();
                    DetectorReport report = detectors.analyze(image, thumb, r.reduction().factor());
                    judge.judge(baseline, report, SceneMode.monochrome(image), i * 1000L, true);
                    thumb = report.thumbnail();
                    cpuMs[i] = (threads.getCurrentThreadCpuTime() - t0) / 1e6;
                }
            }, "bench-stream-thread");
            stream.start();
            stream.join();
            double wallS = (System.nanoTime() - wall0) / 1e9;
            double procS = (os.getProcessCpuTime() - proc0) / 1e9;
            long jitMs = jit.getTotalCompilationTime() - jit0;
            System.out.printf(Locale.ROOT, "warmup_ms=%d warmup=[%s]%n", warmUpMs, warm);
            System.out.printf(Locale.ROOT, "frames=%d wall_s=%.2f process_cpu_s=%.2f jit_compile_ms=%d%n", frames, wallS, procS, jitMs);
            int[][] ranges = {{0, 1}, {1, 10}, {10, 50}, {50, 100}, {100, frames}};
            for (int[] rg : ranges) {
                if (rg[1] > frames) {
                    continue;
                }
                double[] part = Arrays.copyOfRange(cpuMs, rg[0], rg[1]);
                System.out.printf(Locale.ROOT, "frames %d-%d: decode+detect+judge CPU ms mean %.2f median %.2f%n", rg[0] + 1, rg[1],
                        Arrays.stream(part).average().orElse(Double.NaN), median(part));
            }
            System.out.printf(Locale.ROOT, "all %d: mean %.2f median %.2f total_cpu_ms %.0f%n", frames,
                    Arrays.stream(cpuMs).average().orElse(Double.NaN), median(cpuMs), Arrays.stream(cpuMs).sum());
            StringBuilder csv = new StringBuilder("frame,cpu_ms\n");
            for (int i = 0; i < frames; i++) {
                csv.append(i + 1).append(',').append(String.format(Locale.ROOT, "%.3f", cpuMs[i])).append('\n');
            }
            String out = System.getProperty("csv");
            if (out != null) {
                Files.writeString(Path.of(out), csv);
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s[s.length / 2];
    }
}
