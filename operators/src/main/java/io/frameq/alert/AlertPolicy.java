package io.frameq.alert;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-stream alerting settings: tumbling windows of event time (capture_ts), a quality incident
 * with hysteresis (open at a degraded share of at least {@code openRatio} for {@code openWindows}
 * consecutive windows, resolve at no more than {@code resolveRatio} for {@code resolveWindows}), and
 * a liveness alert once a stream has sent nothing for {@code silentAfterMs} of wall-clock time, and a
 * tamper incident without waiting for windows: a camera covered, moved, defocused, black or frozen on every frame for
 * {@code tamperOpenMs} of capture time opens it at once (a window of 10 s would make an operator wait for
 * the one fault that needs someone on site now); {@code tamperResolveMs} without any of them resolves it.
 * {@code tamperOpenMs = 0} turns tamper incidents off (such frames then count in the windows only). A lens hidden on
 * every frame of the run's last {@code tamperCoveredOpenMs} (covered or black) opens it then, if that is sooner, at most
 * {@code tamperOpenMs}: a hidden lens is plain on sight, while a view that left its reference needs longer to tell
 * a turned camera from a truck parked in front of it, and real covers can be short (a hand, a bag pulled over).
 */
public record AlertPolicy(long windowMs, double openRatio, int openWindows, double resolveRatio, int resolveWindows,
                          long silentAfterMs, long tamperOpenMs, long tamperResolveMs, long tamperCoveredOpenMs) {

    public static final AlertPolicy DEFAULTS = new AlertPolicy(10_000L, 0.5, 1, 0.2, 2, 30_000L, 2_000L, 10_000L, 1_000L);

    /** Degradation codes that hide the lens: a run of them alone opens a tamper incident after {@link #coveredOpenMs}. */
    public static final java.util.Set<String> HIDDEN = java.util.Set.of("covered", "black");

    /** The settings with the default covered timing. */
    public AlertPolicy(long windowMs, double openRatio, int openWindows, double resolveRatio, int resolveWindows,
                       long silentAfterMs, long tamperOpenMs, long tamperResolveMs) {
        this(windowMs, openRatio, openWindows, resolveRatio, resolveWindows, silentAfterMs, tamperOpenMs, tamperResolveMs,
                DEFAULTS_TAMPER_COVERED_OPEN_MS);
    }

    /** Degradation codes that open a tamper incident. */
    public static final java.util.Set<String> TAMPER = java.util.Set.of("covered", "moved", "defocused", "black", "frozen");

    /** The window settings with the default tamper timing. */
    public AlertPolicy(long windowMs, double openRatio, int openWindows, double resolveRatio, int resolveWindows,
                       long silentAfterMs) {
        this(windowMs, openRatio, openWindows, resolveRatio, resolveWindows, silentAfterMs, DEFAULTS_TAMPER_OPEN_MS,
                DEFAULTS_TAMPER_RESOLVE_MS);
    }

    private static final long DEFAULTS_TAMPER_OPEN_MS = 2_000L;
    private static final long DEFAULTS_TAMPER_RESOLVE_MS = 10_000L;
    private static final long DEFAULTS_TAMPER_COVERED_OPEN_MS = 1_000L;

    public AlertPolicy {
        List<String> problems = new ArrayList<>();
        if (windowMs < 1) {
            problems.add("windowMs must be >= 1 (got " + windowMs + ")");
        }
        if (!(openRatio > 0.0 && openRatio <= 1.0)) {
            problems.add("openRatio must be in (0, 1] (got " + openRatio + ")");
        }
        if (!(resolveRatio >= 0.0 && resolveRatio < 1.0)) {
            problems.add("resolveRatio must be in [0, 1) (got " + resolveRatio + ")");
        }
        if (resolveRatio >= openRatio) {
            problems.add("resolveRatio (" + resolveRatio + ") must be below openRatio (" + openRatio + ")");
        }
        if (openWindows < 1) {
            problems.add("openWindows must be >= 1 (got " + openWindows + ")");
        }
        if (resolveWindows < 1) {
            problems.add("resolveWindows must be >= 1 (got " + resolveWindows + ")");
        }
        if (silentAfterMs < 1) {
            problems.add("silentAfterMs must be >= 1 (got " + silentAfterMs + ")");
        }
        if (tamperOpenMs < 0) {
            problems.add("tamperOpenMs must be >= 0 (got " + tamperOpenMs + ")");
        }
        if (tamperResolveMs < 0) {
            problems.add("tamperResolveMs must be >= 0 (got " + tamperResolveMs + ")");
        }
        if (tamperCoveredOpenMs < 0) {
            problems.add("tamperCoveredOpenMs must be >= 0 (got " + tamperCoveredOpenMs + ")");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** How long a run of hidden-lens frames (covered or black on every frame) takes to open a tamper incident. */
    public long coveredOpenMs() {
        return Math.min(tamperCoveredOpenMs, tamperOpenMs);
    }

    /** How often the liveness punctuator runs (wall clock): a few seconds, finer for short silences. */
    public long checkEveryMs() {
        return Math.max(100L, Math.min(5_000L, silentAfterMs / 3));
    }
}
