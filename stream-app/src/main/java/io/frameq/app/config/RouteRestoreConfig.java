package io.frameq.app.config;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import io.frameq.restore.TiledRestorer;
import io.frameq.route.BudgetPolicy;
import io.frameq.route.RoutePolicy;
import io.frameq.verdict.HysteresisPolicy;
import io.frameq.verdict.Thresholds;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The {@code verdict.*}, {@code route.*} and {@code restore.*} keys of {@link FrameqConfig}: the
 * per-stream verdict with hysteresis, the routing of degraded frames, and the restoration branch
 * (off by default). Defined on {@link FrameqConfig#DEF} and turned into the operators' policy values
 * here, each validated with a message naming the key.
 */
public final class RouteRestoreConfig {

    public static final String VERDICT_QUALITY_LOW = "verdict.quality.low";
    public static final String VERDICT_QUALITY_HIGH = "verdict.quality.high";
    public static final String VERDICT_ENTER_FRAMES = "verdict.enter.frames";
    public static final String VERDICT_LEAVE_FRAMES = "verdict.leave.frames";
    public static final String VERDICT_STREAM_THRESHOLDS = "verdict.stream.thresholds";
    public static final String ROUTE_QUALITY_TYPES = "route.quality.types";
    public static final String ROUTE_LATENCY_TYPES = "route.latency.types";
    public static final String ROUTE_ALERT_ONLY_TYPES = "route.alert.only.types";
    public static final String RESTORE_ENABLED = "restore.enabled";
    public static final String RESTORE_TOPIC = "restore.topic";
    public static final String RESTORE_QUALITY_MODEL = "restore.quality.model";
    public static final String RESTORE_LATENCY_MODEL = "restore.latency.model";
    public static final String RESTORE_TILE_SIZE = "restore.tile.size";
    public static final String RESTORE_TILE_OVERLAP = "restore.tile.overlap";
    public static final String RESTORE_JPEG_QUALITY = "restore.jpeg.quality";
    public static final String RESTORE_BUDGET_FRAME_SHARE = "restore.budget.frame.share";
    public static final String RESTORE_BUDGET_WINDOW_FRAMES = "restore.budget.window.frames";
    public static final String RESTORE_BUDGET_COMPUTE_SHARE = "restore.budget.compute.share";
    public static final String RESTORE_BUDGET_WINDOW_MS = "restore.budget.window.ms";

    private RouteRestoreConfig() {}

    static void define(ConfigDef def) {
        HysteresisPolicy h = HysteresisPolicy.DEFAULTS;
        BudgetPolicy b = BudgetPolicy.DEFAULTS;
        RoutePolicy r = RoutePolicy.DEFAULTS;
        def.define(VERDICT_QUALITY_LOW, Type.DOUBLE, h.defaults().low(), Range.between(0.0, 1.0), Importance.MEDIUM,
                        "Stream verdict with hysteresis (`stream_verdict` in the score event): a stream turns `degraded` after "
                        + "`verdict.enter.frames` frames in a row that a detector flagged or whose quality (trained model) is below this.")
                .define(VERDICT_QUALITY_HIGH, Type.DOUBLE, h.defaults().high(), Range.between(0.0, 1.0), Importance.MEDIUM,
                        "A degraded stream turns `ok` again after `verdict.leave.frames` unflagged frames in a row with quality above "
                        + "this (must be above verdict.quality.low); frames in between keep the state, so it does not flap.")
                .define(VERDICT_ENTER_FRAMES, Type.INT, h.enterFrames(), Range.between(1, 10_000), Importance.LOW,
                        "Consecutive bad frames that make an ok stream degraded.")
                .define(VERDICT_LEAVE_FRAMES, Type.INT, h.leaveFrames(), Range.between(1, 10_000), Importance.LOW,
                        "Consecutive good frames that make a degraded stream ok.")
                .define(VERDICT_STREAM_THRESHOLDS, Type.LIST, List.of(), Importance.LOW,
                        "Per-stream bands overriding the two above, comma separated `stream:low:high`, e.g. `cam-07:0.3:0.4`.")
                .define(ROUTE_QUALITY_TYPES, Type.LIST, sorted(r.quality()), Importance.MEDIUM,
                        "Degradation types restored by the quality restorer (`restore.quality.model`, MIRNet family). A frame "
                        + "with several types: any alert-only type wins, then quality, then latency; `low_quality` counts only "
                        + "when no detector named a type.")
                .define(ROUTE_LATENCY_TYPES, Type.LIST, sorted(r.latency()), Importance.MEDIUM,
                        "Degradation types restored by the latency restorer (`restore.latency.model`, LPIENet family).")
                .define(ROUTE_ALERT_ONLY_TYPES, Type.LIST, sorted(r.alertOnly()), Importance.MEDIUM,
                        "Degradation types never restored, only alerted on. Types in none of the three lists are alert-only too.")
                .define(RESTORE_ENABLED, Type.BOOLEAN, false, Importance.MEDIUM,
                        "Restore the frames routed to a restorer and publish them to `restore.topic`. Off by default: the "
                        + "shipped restorers are denoisers (+1.1/+1.5 dB on held-out real noise, about nothing on low light and blur, models/EVAL.md) and a restoration costs several times a score on CPU (lpienet-lite "
                        + "~0.6 CPU-s, mirnet-v2-lite ~1.3 CPU-s per 720p frame).")
                .define(RESTORE_TOPIC, Type.STRING, "frameq.restored", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Topic of the restored frames: JPEG, headers frameq-restorer, frameq-score-before/after, "
                        + "frameq-quality-before/after, frameq-quality-gain.")
                .define(RESTORE_QUALITY_MODEL, Type.STRING, "mirnet-v2-lite", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Restorer (family restore) of the `quality` route.")
                .define(RESTORE_LATENCY_MODEL, Type.STRING, "lpienet-lite", new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                        "Restorer (family restore) of the `latency` route.")
                .define(RESTORE_TILE_SIZE, Type.INT, 512, Range.between(64, 8192), Importance.MEDIUM,
                        "Longest tile side; larger frames are restored tile by tile. Memory per restoration: two 3*T*T float "
                        + "tensors, a 3*T*width float blending band and one T*T model run.")
                .define(RESTORE_TILE_OVERLAP, Type.INT, 32, Range.between(0, 2048), Importance.LOW,
                        "Minimum overlap of neighbouring tiles, blended with raised-cosine weights; tile.size >= 2*overlap + 16.")
                .define(RESTORE_JPEG_QUALITY, Type.INT, 90, Range.between(1, 100), Importance.LOW,
                        "JPEG quality (IJG 1..100) of the restored frames.")
                .define(RESTORE_BUDGET_FRAME_SHARE, Type.DOUBLE, b.maxFrameShare(), Range.between(0.0, 1.0), Importance.MEDIUM,
                        "At most this share of any `restore.budget.window.frames` consecutive frames of a stream is restored; "
                        + "the rest is counted in frameq_restore_over_budget_total.")
                .define(RESTORE_BUDGET_WINDOW_FRAMES, Type.INT, b.windowFrames(), Range.between(1, 100_000), Importance.LOW,
                        "Sliding frame window of the frame share.")
                .define(RESTORE_BUDGET_COMPUTE_SHARE, Type.DOUBLE, b.maxComputeShare(), Range.between(0.001, 1.0), Importance.MEDIUM,
                        "Restoration time per stream stays at or below this share of any `restore.budget.window.ms` (of capture "
                        + "time), so restoration never starves scoring; overshoot at most one frame.")
                .define(RESTORE_BUDGET_WINDOW_MS, Type.LONG, b.windowMs(), Range.between(100L, 3_600_000L), Importance.LOW,
                        "Sliding window of the compute share, ms.");
    }

    private static List<String> sorted(java.util.Set<String> s) {
        return s.stream().sorted().toList();
    }

    /** Validates every key of this group; throws a ConfigException naming the key. */
    static void validate(AbstractConfig c) {
        try {
            hysteresis(c);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("verdict.*: " + e.getMessage());
        }
        try {
            routes(c);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("route.*: " + e.getMessage());
        }
        try {
            budget(c);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("restore.budget.*: " + e.getMessage());
        }
        int tile = c.getInt(RESTORE_TILE_SIZE);
        int overlap = c.getInt(RESTORE_TILE_OVERLAP);
        if (tile < 2 * overlap + TiledRestorer.ALIGN) {
            throw new ConfigException(RESTORE_TILE_OVERLAP, overlap, "must be at most (" + RESTORE_TILE_SIZE + " - "
                    + TiledRestorer.ALIGN + ") / 2 = " + (tile - TiledRestorer.ALIGN) / 2 + " for a tile size of " + tile);
        }
        String topic = c.getString(RESTORE_TOPIC);
        for (String other : List.of(FrameqConfig.SCORES_TOPIC, FrameqConfig.DLQ_TOPIC, FrameqConfig.ALERTS_TOPIC)) {
            if (topic.equals(c.getString(other))) {
                throw new ConfigException(RESTORE_TOPIC, topic, "must differ from '" + other + "'");
            }
        }
    }

    public static HysteresisPolicy hysteresis(AbstractConfig c) {
        double low = c.getDouble(VERDICT_QUALITY_LOW);
        double high = c.getDouble(VERDICT_QUALITY_HIGH);
        if (!(low < high)) {
            throw new IllegalArgumentException(VERDICT_QUALITY_LOW + " (" + low + ") must be below " + VERDICT_QUALITY_HIGH
                    + " (" + high + ")");
        }
        Map<String, Thresholds> perStream = new LinkedHashMap<>();
        for (String entry : c.getList(VERDICT_STREAM_THRESHOLDS)) {
            String[] p = entry.split(":");
            if (p.length != 3 || p[0].isBlank()) {
                throw new IllegalArgumentException(VERDICT_STREAM_THRESHOLDS + ": expected stream:low:high, actual '" + entry + "'");
            }
            try {
                perStream.put(p[0], new Thresholds(Double.parseDouble(p[1]), Double.parseDouble(p[2])));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(VERDICT_STREAM_THRESHOLDS + ": '" + entry + "': low and high must be numbers");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(VERDICT_STREAM_THRESHOLDS + ": '" + entry + "': " + e.getMessage());
            }
        }
        return new HysteresisPolicy(new Thresholds(low, high), perStream, c.getInt(VERDICT_ENTER_FRAMES),
                c.getInt(VERDICT_LEAVE_FRAMES));
    }

    public static RoutePolicy routes(AbstractConfig c) {
        return new RoutePolicy(new LinkedHashSet<>(c.getList(ROUTE_QUALITY_TYPES)), new LinkedHashSet<>(c.getList(ROUTE_LATENCY_TYPES)),
                new LinkedHashSet<>(c.getList(ROUTE_ALERT_ONLY_TYPES)));
    }

    public static BudgetPolicy budget(AbstractConfig c) {
        return new BudgetPolicy(c.getDouble(RESTORE_BUDGET_FRAME_SHARE), c.getInt(RESTORE_BUDGET_WINDOW_FRAMES),
                c.getDouble(RESTORE_BUDGET_COMPUTE_SHARE), c.getLong(RESTORE_BUDGET_WINDOW_MS));
    }
}
