package io.frameq.app.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.frameq.scoring.ModelBudget;
import io.frameq.scoring.ModelSampling;
import io.frameq.scoring.ModelSamplingPolicy;

import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The {@code model.sample.*} keys of {@link FrameqConfig}: which frames the no-reference model sees
 * (suspects at once, the others on a sample), with per-stream overrides. Defined on
 * {@link FrameqConfig#DEF} and turned into {@link ModelSamplingPolicy} here, validated with messages
 * naming the key.
 */
public final class ModelSamplingConfig {

    public static final String EVERY_MS = "model.sample.every.ms";
    public static final String EVERY_FRAMES = "model.sample.every.frames";
    public static final String GAP_MS = "model.sample.gap.ms";
    public static final String SUSPECT_MIN_INTERVAL_MS = "model.sample.suspect.min.interval.ms";
    public static final String STREAM_OVERRIDES = "model.sample.stream.overrides";
    public static final String BUDGET_PER_SECOND = "model.sample.budget.per.second";

    private ModelSamplingConfig() {}

    static void define(ConfigDef def) {
        ModelSampling d = ModelSampling.EVERY_FRAME;
        def.define(EVERY_MS, Type.LONG, d.everyMs(), Range.between(0L, 86_400_000L), Importance.MEDIUM,
                        "Model sampling: on a stream with nothing suspect, the NR model runs when this many ms of capture time "
                        + "passed since its last model run (or on every `model.sample.every.frames`-th frame); the other frames are "
                        + "published with the detectors' verdict, score and quality null and `model_skipped: sampled_out`. Suspects "
                        + "(a detector flag, a baseline deviation, the first frame after a gap or a restart) always run the model. "
                        + "0 = off (use every.frames). A fleet: 30000 (every 30 s per camera).")
                .define(EVERY_FRAMES, Type.INT, d.everyFrames(), Range.between(0, 1_000_000), Importance.MEDIUM,
                        "Model sampling: every Nth frame of a stream runs the model. 1 = every frame (no sampling, the default); "
                        + "0 = off (use every.ms). With both above 0, either makes a frame due.")
                .define(GAP_MS, Type.LONG, d.gapMs(), Range.between(0L, 86_400_000L), Importance.LOW,
                        "Model sampling: a frame more than this many ms (capture time) after its stream's previous frame runs the "
                        + "model (the camera was away and may be back changed). 0 = never.")
                .define(SUSPECT_MIN_INTERVAL_MS, Type.LONG, d.suspectMinIntervalMs(), Range.between(0L, 86_400_000L), Importance.LOW,
                        "Fairness: a stream that stays suspect for the same reasons runs the model at most this often (a new or "
                        + "changed flag runs it at once), so one camera stuck on a flag cannot take the model from the others. "
                        + "Under overload (`shed.max.lag.ms`) repeated suspects and due samples are shed, new suspects are not.")
                .define(STREAM_OVERRIDES, Type.LIST, List.of(), Importance.LOW,
                        "Per-stream sampling overriding every.ms and every.frames, comma separated `stream:every_ms:every_frames`, "
                        + "e.g. `gate-1:5000:0` (gate-1 every 5 s) or `lab-cam:0:1` (every frame).")
                .define(BUDGET_PER_SECOND, Type.DOUBLE, 0.0, Range.between(0.0, 100_000.0), Importance.MEDIUM,
                        "Model budget: the most NR model runs per second this instance starts, over all its streams and "
                        + "stream threads (a token bucket holding two seconds' worth). A frame the sampling picks over budget "
                        + "is published with `model_skipped: budget` and its stream is owed the run: a later frame of it runs "
                        + "the model when the budget allows, suspects first, then first frames and gaps, then due samples, "
                        + "the longest owed first, so a fleet that starts together cannot queue a model run per camera and no "
                        + "camera starves. 0 = no budget (the default). Size it as a share of the cores over the model's cost "
                        + "per run: 4 on a 2-core CPU instance (maniqa-lite ~120 ms a run: half a core), which also covers "
                        + "100 cameras sampled every 30 s (3.3 runs/s).");
    }

    static void validate(AbstractConfig c) {
        try {
            policy(c);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("model.sample.*: " + e.getMessage());
        }
    }

    /** The budget of these keys, on the wall clock (one per instance: all stream threads share it). */
    public static ModelBudget budget(AbstractConfig c) {
        return new ModelBudget(c.getDouble(BUDGET_PER_SECOND), System::currentTimeMillis);
    }

    /** The sampling policy of these keys. */
    public static ModelSamplingPolicy policy(AbstractConfig c) {
        long gap = c.getLong(GAP_MS);
        long suspect = c.getLong(SUSPECT_MIN_INTERVAL_MS);
        ModelSampling defaults = sampling(EVERY_MS + ", " + EVERY_FRAMES, c.getLong(EVERY_MS), c.getInt(EVERY_FRAMES), gap, suspect);
        Map<String, ModelSampling> perStream = new LinkedHashMap<>();
        for (String entry : c.getList(STREAM_OVERRIDES)) {
            String[] p = entry.split(":");
            if (p.length != 3 || p[0].isBlank()) {
                throw new IllegalArgumentException(STREAM_OVERRIDES + ": expected stream:every_ms:every_frames, actual '" + entry + "'");
            }
            if (perStream.containsKey(p[0])) {
                throw new IllegalArgumentException(STREAM_OVERRIDES + ": stream '" + p[0] + "' expected once, actual twice");
            }
            long everyMs;
            int everyFrames;
            try {
                everyMs = Long.parseLong(p[1].strip());
                everyFrames = Integer.parseInt(p[2].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(STREAM_OVERRIDES + ": '" + entry + "': every_ms and every_frames must be whole numbers");
            }
            perStream.put(p[0], sampling(STREAM_OVERRIDES + " '" + entry + "'", everyMs, everyFrames, gap, suspect));
        }
        return new ModelSamplingPolicy(defaults, perStream);
    }

    private static ModelSampling sampling(String where, long everyMs, int everyFrames, long gap, long suspect) {
        List<String> problems = ModelSampling.problems(everyMs, everyFrames, gap, suspect);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + String.join("; ", problems));
        }
        return new ModelSampling(everyMs, everyFrames, gap, suspect);
    }
}
