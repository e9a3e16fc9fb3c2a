package io.frameq.app.analyze;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress of an analysis across streams. On a terminal a one-line summary is redrawn on stderr
 * twice a second; elsewhere (pipes, CI logs) nothing is drawn, since a redrawn line is noise there.
 */
final class Progress implements AutoCloseable {

    private final Set<StreamReport> running = ConcurrentHashMap.newKeySet();
    private final Set<StreamReport> done = ConcurrentHashMap.newKeySet();
    private final int total;
    private final long startNanos = System.nanoTime();
    private final PrintStream out;
    private final ScheduledExecutorService ticker;

    /**
     * @param out where to draw, or null for no line at all
     */
    Progress(int totalStreams, PrintStream out) {
        this.total = totalStreams;
        this.out = out;
        if (out != null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "frameq-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::draw, 500, 500, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    /** On a terminal (a console is attached): stderr; otherwise no progress line. */
    static Progress forConsole(int totalStreams) {
        return new Progress(totalStreams, System.console() != null ? System.err : null);
    }

    /** Reports are read by the ticker without locking: a count may lag a frame behind, which a progress line can afford. */
    void started(StreamReport r) {
        running.add(r);
    }

    void finished(StreamReport r) {
        running.remove(r);
        done.add(r);
    }

    /** The current line, e.g. {@code analyze: 2/3 streams done, 1234 frames (45.6/s), 12 degraded, 1 alert}. */
    String line() {
        long frames = 0;
        long degraded = 0;
        long alerts = 0;
        for (Set<StreamReport> set : java.util.List.of(running, done)) {
            for (StreamReport r : set) {
                frames += r.events;
                degraded += r.degradedFrames;
                alerts += r.alertsOpened;
            }
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return String.format(Locale.ROOT, "analyze: %d/%d streams done, %d frames (%.1f/s), %d degraded, %d alert%s", done.size(), total,
                frames, seconds > 0 ? frames / seconds : 0.0, degraded, alerts, alerts == 1 ? "" : "s");
    }

    private void draw() {
        out.print("\r" + line() + "\u001b[K");
        out.flush();
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            draw();
            out.println();
        }
    }
}
