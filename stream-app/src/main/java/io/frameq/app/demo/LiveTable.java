package io.frameq.app.demo;

import java.io.PrintStream;
import java.util.Map;

/** Prints the per-stream live table during the demo and the verdict table at its end. */
final class LiveTable {

    private final PrintStream out;
    private final DemoScenario scenario;
    private final DemoFeeder feeder;
    private final ScoreBoard board;

    LiveTable(PrintStream out, DemoScenario scenario, DemoFeeder feeder, ScoreBoard board) {
        this.out = out;
        this.scenario = scenario;
        this.feeder = feeder;
        this.board = board;
    }

    void print(long elapsedMillis) {
        Map<String, ScoreBoard.StreamStats> stats = board.stats();
        long now = System.currentTimeMillis();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%n── t=%3ds ─────────────────────────────────────────────────────────────────────────────%n",
                elapsedMillis / 1000));
        sb.append(String.format("%-7s %-12s %-6s %6s %6s %8s %9s %8s  %s%n",
                "STREAM", "FAULT", "NOW", "SENT", "SCORED", "QUALITY", "DEGRADED", "LAG", "FLAGS (last frame)"));
        for (DemoScenario.Camera cam : scenario.cameras()) {
            ScoreBoard.StreamStats s = stats.get(cam.streamId());
            String now1 = scenario.faultActive(cam, elapsedMillis) ? "FAULT" : "-";
            synchronized (s) {
                String q = Double.isNaN(s.lastQuality) ? "-" : String.format("%.3f%s", s.lastQuality, s.trained ? "" : "*");
                String degraded = s.events == 0 ? "-" : String.format("%.0f%%", 100.0 * s.degraded / s.events);
                String lag = s.events == 0 ? "-" : String.format("%.2fs", s.lastLatencyMs / 1000.0);
                // Silent = no new event for 5 s of wall time, whatever the pipeline lag.
                boolean silent = s.events > 0 && now - s.lastEventWallMs > 5000;
                sb.append(String.format("%-7s %-12s %-6s %6d %6d %8s %9s %8s  %s%n", cam.streamId(), cam.fault().label(), now1,
                        feeder.sent(cam.streamId()), s.events, q, degraded, lag,
                        silent ? "SILENT (no frames)" : String.join(",", s.lastReasons)));
            }
        }
        Map<String, Long> dlq = board.dlqByReason();
        sb.append(String.format("DLQ: %s   (* = untrained model: quality shown, not used for verdicts)%n",
                dlq.isEmpty() ? "none" : dlq));
        out.print(sb);
        out.flush();
    }

    /** Prints the end-of-run verdicts; true when every check passed. */
    boolean summary(String metricsText) {
        Map<String, ScoreBoard.StreamStats> stats = board.stats();
        boolean ok = true;
        out.printf("%n══ Summary ════════════════════════════════════════════════════════════════════════════%n");
        out.printf("%-7s %-12s %6s %6s %8s %8s %18s %15s %s%n", "STREAM", "FAULT", "SENT", "SCORED", "MEAN Q", "FAULTED",
                "CAUGHT BY DETECTOR", "CAUGHT BY MODEL", "FLAGGED CLEAN FRAMES");
        for (DemoScenario.Camera cam : scenario.cameras()) {
            ScoreBoard.StreamStats s = stats.get(cam.streamId());
            synchronized (s) {
                String caught = "-";
                if (cam.fault().expectedFlag() != null && s.faultedFrames > 0) {
                    double rate = (double) s.faultedCaught / s.faultedFrames;
                    boolean pass = rate >= 0.5;
                    ok &= pass;
                    caught = String.format("%s %.0f%% %s", cam.fault().expectedFlag(), 100 * rate, pass ? "✓" : "✗");
                }
                if (s.events == 0) {
                    ok = false;
                }
                String byModel = !s.trained || s.faultedFrames == 0 ? "-"
                        : String.format("%.0f%%", 100.0 * s.faultedLowQuality / s.faultedFrames);
                out.printf("%-7s %-12s %6d %6d %8s %8d %18s %15s %.1f%%%n", cam.streamId(), cam.fault().label(),
                        feeder.sent(cam.streamId()), s.events,
                        s.events == 0 ? "-" : String.format("%.3f%s", s.qualitySum / s.events, s.trained ? "" : "*"),
                        s.faultedFrames, caught, byModel, s.cleanFrames == 0 ? 0.0 : 100.0 * s.cleanFlagged / s.cleanFrames);
            }
        }
        Map<String, Long> dlq = board.dlqByReason();
        out.printf("DLQ by reason: %s (corrupt JPEGs sent: %d)%n", dlq.isEmpty() ? "none" : dlq, feeder.corruptSent());
        if (metricsText != null) {
            long withFrames = scenario.cameras().stream()
                    .filter(c -> hasSeries(metricsText, "frameq_frames_total", c.streamId()))
                    .count();
            long withQuality = scenario.cameras().stream()
                    .filter(c -> hasSeries(metricsText, "frameq_quality_score_count", c.streamId())).count();
            out.printf("/metrics: frameq_frames_total for %d/%d streams, frameq_quality_score for %d/%d streams%n", withFrames,
                    scenario.cameras().size(), withQuality, scenario.cameras().size());
            ok &= withFrames == scenario.cameras().size() && withQuality == scenario.cameras().size();
        }
        out.println(ok ? "RESULT: every stream scored, every detectable fault caught by its detector."
                : "RESULT: some checks failed (see ✗ above).");
        return ok;
    }

    private static boolean hasSeries(String text, String metric, String stream) {
        for (String line : text.split("\n")) {
            if (line.startsWith(metric + "{") && line.contains("stream=\"" + stream + "\"")) {
                return true;
            }
        }
        return false;
    }
}
