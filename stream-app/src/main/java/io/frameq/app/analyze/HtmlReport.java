package io.frameq.app.analyze;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code report.html}: one self-contained page (inline CSS and SVG, thumbnails as data URIs, no
 * script, nothing fetched) that opens anywhere, also offline and from a mail attachment. Per
 * stream: a quality timeline with degraded frames, the stream verdict and alert intervals; one
 * small chart per detector; the alerts; the worst frames with the regions their events blame.
 */
final class HtmlReport {

    static final String FILE = "report.html";

    private static final int WIDTH = 900;
    private static final int PAD_LEFT = 48;
    private static final int PAD_RIGHT = 12;
    private static final int PLOT_W = WIDTH - PAD_LEFT - PAD_RIGHT;
    private static final int QUALITY_H = 160;
    private static final int DETECTOR_H = 54;

    /** The run as a whole: what the page's header says. */
    record RunInfo(String model, int modelVersion, boolean trained, String sampling, long startedMs, double seconds) {}

    private HtmlReport() {}

    static void write(Path file, RunInfo run, List<StreamReport> reports) {
        try {
            Files.writeString(file, render(run, reports), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static String render(RunInfo run, List<StreamReport> reports) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>FrameQ analysis</title>\n<style>")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}h2{margin-top:36px;border-bottom:1px solid #ccc}")
                .append("table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:left}")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}.bad{color:#b00020}.muted{color:#777}")
                .append(".thumbs{display:flex;flex-wrap:wrap;gap:12px}.thumbs figure{margin:0;width:320px}")
                .append(".frame{position:relative;line-height:0}.frame img{width:100%}.frame svg{position:absolute;left:0;top:0;width:100%;height:100%}")
                .append("figcaption{font-size:12px}svg text{font:11px system-ui,sans-serif;fill:#555}")
                .append("</style></head><body>\n");
        h.append("<h1>FrameQ analysis</h1>\n<p>").append(esc(Instant.ofEpochMilli(run.startedMs()).toString())).append(" &middot; model <b>")
                .append(esc(run.model())).append("</b> v").append(run.modelVersion())
                .append(run.trained() ? "" : " <span class=\"bad\">(untrained: its scores carry no meaning and decide no verdict)</span>")
                .append(" &middot; sampling ").append(esc(run.sampling())).append(" &middot; ")
                .append(fmt("%.1f", run.seconds())).append(" s</p>\n");
        summaryTable(h, reports);
        for (StreamReport r : reports) {
            stream(h, r);
        }
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void summaryTable(StringBuilder h, List<StreamReport> reports) {
        h.append("<table><tr><th>stream</th><th>frames</th><th>sampled</th><th>degraded</th><th>alerts</th><th>mean quality</th>")
                .append("<th>min quality</th><th>top degradations</th><th>frames/s</th></tr>\n");
        for (StreamReport r : reports) {
            h.append("<tr><td><a href=\"#s-").append(esc(anchor(r.streamId))).append("\">").append(esc(r.streamId)).append("</a>")
                    .append(r.error == null ? "" : " <span class=\"bad\">failed</span>").append("</td>")
                    .append(num(r.stats.framesRead())).append(num(r.stats.framesSampled()))
                    .append("<td class=\"n").append(r.degradedFrames > 0 ? " bad" : "").append("\">").append(fmt("%.1f %%", 100 * r.degradedShare()))
                    .append("</td><td class=\"n").append(r.alertsOpened > 0 ? " bad" : "").append("\">").append(r.alertsOpened).append("</td>")
                    .append("<td class=\"n\">").append(q(r.meanQuality())).append("</td><td class=\"n\">").append(q(r.minQuality()))
                    .append("</td><td>").append(esc(String.join(", ", r.topDegradations(3)))).append("</td>")
                    .append("<td class=\"n\">").append(fmt("%.1f", r.framesPerSecond())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void stream(StringBuilder h, StreamReport r) {
        h.append("<section id=\"s-").append(esc(anchor(r.streamId))).append("\"><h2>").append(esc(r.streamId)).append("</h2>\n<p class=\"muted\">")
                .append(esc(r.location)).append(r.live ? " (live)" : "").append(" &middot; ").append(r.stats.framesRead()).append(" frames read, ")
                .append(r.stats.framesSampled()).append(" sampled, ").append(r.events).append(" events, ").append(r.deadLetters)
                .append(" dead letters, ").append(r.stats.reconnects()).append(" reconnects, ").append(r.stats.decodeErrors())
                .append(" decode errors</p>\n");
        if (r.error != null) {
            h.append("<p class=\"bad\">").append(esc(r.error)).append("</p>\n");
        }
        Timeline t = r.timeline;
        if (t.size() == 0) {
            h.append("<p>No frames were analysed.</p></section>\n");
            return;
        }
        long t0 = r.firstCaptureTs;
        long t1 = Math.max(r.lastCaptureTs, t0 + 1);
        qualityChart(h, r, t0, t1);
        for (String name : t.detectorNames()) {
            detectorChart(h, t, name, t0, t1);
        }
        alertsTable(h, r, t0);
        worstFrames(h, r, t0);
        h.append("</section>\n");
    }

    private static double x(long time, long t0, long t1) {
        return PAD_LEFT + (double) (time - t0) / (t1 - t0) * PLOT_W;
    }

    private static void qualityChart(StringBuilder h, StreamReport r, long t0, long t1) {
        Timeline t = r.timeline;
        int top = 8;
        int plotH = QUALITY_H - top - 34;
        h.append("<svg class=\"timeline\" width=\"").append(WIDTH).append("\" height=\"").append(QUALITY_H)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(QUALITY_H).append("\" role=\"img\" aria-label=\"quality of ")
                .append(esc(r.streamId)).append(" over time\">\n");
        // stream verdict: degraded stretches as a pale band
        bands(h, t, t0, t1, top, plotH, t::streamDegraded, "#fde7e9");
        for (long[] a : alertIntervals(r, t1)) {
            double ax = x(a[0], t0, t1);
            double aw = Math.max(2, x(a[1], t0, t1) - ax);
            h.append("<rect x=\"").append(fmt("%.1f", ax)).append("\" y=\"").append(top).append("\" width=\"").append(fmt("%.1f", aw))
                    .append("\" height=\"").append(plotH).append("\" fill=\"#ff9800\" fill-opacity=\"0.25\" stroke=\"#ff9800\"><title>quality alert</title></rect>\n")
                    .append("<text x=\"").append(fmt("%.1f", ax + 3)).append("\" y=\"").append(top + 12).append("\">alert</text>\n");
        }
        for (double g : new double[] {0, 0.5, 1}) {
            double y = top + (1 - g) * plotH;
            h.append("<line x1=\"").append(PAD_LEFT).append("\" x2=\"").append(WIDTH - PAD_RIGHT).append("\" y1=\"").append(fmt("%.1f", y))
                    .append("\" y2=\"").append(fmt("%.1f", y)).append("\" stroke=\"#ddd\"/><text x=\"4\" y=\"").append(fmt("%.1f", y + 4))
                    .append("\">").append(fmt("%.1f", g)).append("</text>\n");
        }
        h.append("<text x=\"4\" y=\"").append(top + plotH / 2 - 10).append("\">quality</text>\n");
        series(h, t, t0, t1, t::quality, 0, 1, top, plotH, "#1565c0");
        // degraded frames: red ticks below the plot
        int tickY = top + plotH + 4;
        StringBuilder ticks = new StringBuilder();
        int lastPx = -1;
        for (int i = 0; i < t.size(); i++) {
            if (t.degraded(i)) {
                int px = (int) Math.round(x(t.time(i), t0, t1));
                if (px != lastPx) {
                    ticks.append('M').append(px).append(' ').append(tickY).append("v8");
                    lastPx = px;
                }
            }
        }
        if (ticks.length() > 0) {
            h.append("<path d=\"").append(ticks).append("\" stroke=\"#b00020\" stroke-width=\"1\"><title>degraded frames</title></path>\n");
        }
        h.append("<text x=\"4\" y=\"").append(tickY + 8).append("\">degraded</text>\n");
        axis(h, t0, t1, QUALITY_H - 6);
        h.append("</svg>\n");
    }

    private static void detectorChart(StringBuilder h, Timeline t, String name, long t0, long t1) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < t.size(); i++) {
            double v = t.detector(name, i);
            if (!Double.isNaN(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min == Double.POSITIVE_INFINITY) {
            return;
        }
        if (max == min) {
            max = min + 1;
        }
        int top = 4;
        int plotH = DETECTOR_H - 8;
        h.append("<svg class=\"detector\" width=\"").append(WIDTH).append("\" height=\"").append(DETECTOR_H).append("\" viewBox=\"0 0 ")
                .append(WIDTH).append(' ').append(DETECTOR_H).append("\" role=\"img\" aria-label=\"").append(esc(name)).append("\">\n")
                .append("<rect x=\"").append(PAD_LEFT).append("\" y=\"").append(top).append("\" width=\"").append(PLOT_W).append("\" height=\"")
                .append(plotH).append("\" fill=\"#fafafa\"/>\n<text x=\"4\" y=\"").append(top + 12).append("\">").append(esc(name))
                .append("</text><text x=\"4\" y=\"").append(top + 26).append("\" class=\"muted\">").append(fmt("%.3g", max)).append("</text><text x=\"4\" y=\"")
                .append(top + plotH).append("\">").append(fmt("%.3g", min)).append("</text>\n");
        final String n = name;
        series(h, t, t0, t1, i -> t.detector(n, i), min, max, top, plotH, "#455a64");
        h.append("</svg>\n");
    }

    /**
     * A line through the points; with more points than pixels, each pixel column draws the range of
     * its points instead (a spike of one frame in an hour stays visible). NaN breaks the line.
     */
    private static void series(StringBuilder h, Timeline t, long t0, long t1, IntToDoubleFunction value, double min, double max,
            int top, int plotH, String colour) {
        StringBuilder d = new StringBuilder();
        if (t.size() > PLOT_W * 2) {
            double[] lo = new double[PLOT_W + 1];
            double[] hi = new double[PLOT_W + 1];
            java.util.Arrays.fill(lo, Double.NaN);
            java.util.Arrays.fill(hi, Double.NaN);
            for (int i = 0; i < t.size(); i++) {
                double v = value.applyAsDouble(i);
                if (Double.isNaN(v)) {
                    continue;
                }
                int c = (int) Math.round(x(t.time(i), t0, t1)) - PAD_LEFT;
                c = Math.max(0, Math.min(PLOT_W, c));
                lo[c] = Double.isNaN(lo[c]) ? v : Math.min(lo[c], v);
                hi[c] = Double.isNaN(hi[c]) ? v : Math.max(hi[c], v);
            }
            boolean pen = false;
            for (int c = 0; c <= PLOT_W; c++) {
                if (Double.isNaN(lo[c])) {
                    pen = false;
                    continue;
                }
                d.append(pen ? 'L' : 'M').append(PAD_LEFT + c).append(' ').append(fmt("%.1f", y(hi[c], min, max, top, plotH)));
                d.append('L').append(PAD_LEFT + c).append(' ').append(fmt("%.1f", y(lo[c], min, max, top, plotH)));
                pen = true;
            }
        } else {
            boolean pen = false;
            for (int i = 0; i < t.size(); i++) {
                double v = value.applyAsDouble(i);
                if (Double.isNaN(v)) {
                    pen = false;
                    continue;
                }
                d.append(pen ? 'L' : 'M').append(fmt("%.1f", x(t.time(i), t0, t1))).append(' ').append(fmt("%.1f", y(v, min, max, top, plotH)));
                pen = true;
            }
        }
        if (d.length() > 0) {
            h.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.2\"/>\n");
        }
    }

    private static double y(double v, double min, double max, int top, int plotH) {
        double f = (Math.max(min, Math.min(max, v)) - min) / (max - min);
        return top + (1 - f) * plotH;
    }

    private interface IndexPredicate {
        boolean test(int i);
    }

    private static void bands(StringBuilder h, Timeline t, long t0, long t1, int top, int plotH, IndexPredicate on, String fill) {
        int start = -1;
        for (int i = 0; i <= t.size(); i++) {
            boolean inside = i < t.size() && on.test(i);
            if (inside && start < 0) {
                start = i;
            } else if (!inside && start >= 0) {
                double a = x(t.time(start), t0, t1);
                double b = x(t.time(i - 1), t0, t1);
                h.append("<rect x=\"").append(fmt("%.1f", a)).append("\" y=\"").append(top).append("\" width=\"")
                        .append(fmt("%.1f", Math.max(1, b - a))).append("\" height=\"").append(plotH).append("\" fill=\"").append(fill)
                        .append("\"><title>stream verdict degraded</title></rect>\n");
                start = -1;
            }
        }
    }

    /** Quality incidents as [start, end] of capture time: open window start to resolving window end, or the stream's end. */
    static List<long[]> alertIntervals(StreamReport r, long streamEnd) {
        Map<String, long[]> open = new HashMap<>();
        List<long[]> out = new ArrayList<>();
        for (JsonNode a : r.alerts) {
            if (!"quality".equals(a.path("kind").asText())) {
                continue;
            }
            String id = a.path("alert_id").asText();
            if ("open".equals(a.path("state").asText())) {
                long[] iv = {a.path("window_start").asLong(), streamEnd};
                open.put(id, iv);
                out.add(iv);
            } else if (open.containsKey(id)) {
                open.remove(id)[1] = a.path("window_end").asLong();
            }
        }
        return out;
    }

    private static void axis(StringBuilder h, long t0, long t1, int y) {
        double seconds = (t1 - t0) / 1000.0;
        double step = niceStep(seconds / 8);
        for (double s = 0; s <= seconds + 1e-9; s += step) {
            double px = PAD_LEFT + s / Math.max(seconds, 1e-9) * PLOT_W;
            h.append("<text x=\"").append(fmt("%.1f", px - 6)).append("\" y=\"").append(y).append("\">").append(clock(s)).append("</text>\n");
        }
    }

    private static double niceStep(double raw) {
        double[] steps = {0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200};
        for (double s : steps) {
            if (s >= raw) {
                return s;
            }
        }
        return Math.ceil(raw / 3600) * 3600;
    }

    private static String clock(double s) {
        if (s < 60) {
            return fmt(s == Math.rint(s) ? "%.0fs" : "%.1fs", s);
        }
        long whole = Math.round(s);
        return whole >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
                : String.format(Locale.ROOT, "%d:%02d", whole / 60, whole % 60);
    }

    private static void alertsTable(StringBuilder h, StreamReport r, long t0) {
        if (r.alerts.isEmpty()) {
            h.append("<p class=\"muted\">No alerts.</p>\n");
            return;
        }
        h.append("<h3>Alerts</h3>\n<table><tr><th>at</th><th>kind</th><th>state</th><th>frames</th><th>degraded</th><th>mean quality</th>")
                .append("<th>top degradations</th><th>alert id</th></tr>\n");
        for (JsonNode a : r.alerts) {
            long start = a.path("window_start").asLong();
            List<String> top = new ArrayList<>();
            a.path("top_degradations").forEach(d -> top.add(d.asText()));
            JsonNode mean = a.path("mean_quality");
            h.append("<tr><td>").append(start >= t0 ? clock((start - t0) / 1000.0) : "").append("</td><td>").append(esc(a.path("kind").asText()))
                    .append("</td><td class=\"").append("open".equals(a.path("state").asText()) ? "bad" : "").append("\">")
                    .append(esc(a.path("state").asText())).append("</td>").append(num(a.path("frames").asLong()))
                    .append("<td class=\"n\">").append(fmt("%.0f %%", 100 * a.path("degraded_share").asDouble())).append("</td><td class=\"n\">")
                    .append(mean.isNumber() ? fmt("%.3f", mean.asDouble()) : "&ndash;").append("</td><td>").append(esc(String.join(", ", top)))
                    .append("</td><td class=\"muted\">").append(esc(a.path("alert_id").asText())).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void worstFrames(StringBuilder h, StreamReport r, long t0) {
        List<WorstFrames.Entry> worst = r.worst.worstFirst();
        if (worst.isEmpty()) {
            return;
        }
        h.append("<h3>Worst frames</h3>\n<div class=\"thumbs\">\n");
        for (WorstFrames.Entry e : worst) {
            h.append("<figure><div class=\"frame\"><img class=\"thumb\" alt=\"frame ").append(e.seq()).append("\" src=\"data:image/jpeg;base64,")
                    .append(Base64.getEncoder().encodeToString(e.jpeg())).append("\">");
            List<FaultMarks.Mark> marks = FaultMarks.of(e.event());
            if (!marks.isEmpty()) {
                h.append("<svg class=\"faults\" viewBox=\"0 0 1000 1000\" preserveAspectRatio=\"none\">");
                for (FaultMarks.Mark m : marks) {
                    h.append("<rect x=\"").append(fmt("%.1f", m.x() * 1000)).append("\" y=\"").append(fmt("%.1f", m.y() * 1000))
                            .append("\" width=\"").append(fmt("%.1f", m.w() * 1000)).append("\" height=\"").append(fmt("%.1f", m.h() * 1000))
                            .append("\" fill=\"#ff1744\" fill-opacity=\"0.18\" stroke=\"#ff1744\" stroke-width=\"6\" vector-effect=\"non-scaling-stroke\"><title>")
                            .append(esc(m.type())).append("</title></rect>");
                }
                h.append("</svg>");
            }
            h.append("</div><figcaption>frame ").append(e.seq()).append(" at ").append(clock((e.captureTs() - t0) / 1000.0))
                    .append(" &middot; quality ").append(q(e.quality())).append(" &middot; ").append(e.width()).append('x').append(e.height())
                    .append("<br><span class=\"bad\">").append(esc(String.join(", ", e.degradations()))).append("</span></figcaption></figure>\n");
        }
        h.append("</div>\n");
    }

    private static String num(long n) {
        return "<td class=\"n\">" + n + "</td>";
    }

    private static String q(Double d) {
        return d == null ? "&ndash;" : fmt("%.3f", d);
    }

    private static String fmt(String pattern, double v) {
        return String.format(Locale.ROOT, pattern, v);
    }

    private static String anchor(String id) {
        return id.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
