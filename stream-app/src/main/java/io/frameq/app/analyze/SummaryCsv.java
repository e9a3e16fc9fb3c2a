package io.frameq.app.analyze;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code summary.csv}: one row per stream (RFC 4180 quoting). */
final class SummaryCsv {

    static final String FILE = "summary.csv";
    static final List<String> COLUMNS = List.of("stream", "source", "live", "frames_read", "frames_sampled", "events", "dead_letters",
            "degraded_frames", "degraded_share", "stream_degraded_frames", "alerts", "mean_quality", "min_quality", "top_degradations",
            "reconnects", "decode_errors", "last_frame_ts", "frames_per_second", "error");

    private SummaryCsv() {}

    static void write(Path file, List<StreamReport> reports) {
        List<String> lines = new ArrayList<>();
        lines.add(String.join(",", COLUMNS));
        for (StreamReport r : reports) {
            List<String> cells = List.of(r.streamId, r.location, Boolean.toString(r.live), Long.toString(r.stats.framesRead()),
                    Long.toString(r.stats.framesSampled()), Long.toString(r.events), Long.toString(r.deadLetters),
                    Long.toString(r.degradedFrames), number(r.degradedShare()), Long.toString(r.streamDegradedFrames),
                    Long.toString(r.alertsOpened), number(r.meanQuality()), number(r.minQuality()), String.join(" ", r.topDegradations(3)),
                    Long.toString(r.stats.reconnects()), Long.toString(r.stats.decodeErrors()),
                    Long.toString(r.stats.lastFrameTimeMs()), String.format(Locale.ROOT, "%.2f",
                            r.framesPerSecond()), r.error == null ? "" : r.error);
            lines.add(String.join(",", cells.stream().map(SummaryCsv::quote).toList()));
        }
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static String number(Double d) {
        return d == null ? "" : String.format(Locale.ROOT, "%.4f", d);
    }

    static String quote(String cell) {
        if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
            return "\"" + cell.replace("\"", "\"\"") + "\"";
        }
        return cell;
    }
}
