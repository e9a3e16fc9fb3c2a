package io.frameq.scoring;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.frameq.detect.Degradation;

/**
 * Decides, frame by frame, which frames go through the no-reference model, by the stream's
 * {@link ModelSampling} and the overload state. The cheap detectors see every frame; the model,
 * which costs 20-100 times more, sees:
 * <ol>
 *   <li>the first frame of a stream this instance has not seen yet (a start, a restart, a task that
 *       moved here) and the first frame after a gap: the camera may have come back different;</li>
 *   <li>suspects (a detector flag or a baseline deviation) at once when they bring something new (a
 *       flag the stream's last suspect run did not see, or one back after a clean spell longer than
 *       {@code suspectMinIntervalMs}), and while they stay or flicker at most every
 *       {@code suspectMinIntervalMs} (fairness: a camera stuck on "dark" at 30 fps must not take the
 *       model from the others);</li>
 *   <li>otherwise the frames the sampling makes due (every T ms of capture time, every Nth frame); a
 *       stream's first interval is shortened by a phase of its own ({@link #phaseMs}), so cameras that
 *       started together do not all run the model in the same second ever after.</li>
 * </ol>
 * With a {@link ModelBudget} (model runs per second for the whole instance), a frame picked by these rules
 * runs only when the budget grants it; otherwise its event says {@code budget} and the stream is owed the
 * run: its next frames ask again (a deferred first frame, gap or suspect is kept even on a late frame)
 * until the budget, serving owed streams suspects first and oldest first, grants one.
 *
 * <p>Overload sheds by the same policy: a frame later than the shedding lag keeps its model run only
 * for rule 1 and for a new suspect; a due sample or a repeated suspect is shed
 * and the stream stays due, so its next timely frame runs the model.
 *
 * <p>State is per stream and in memory: after a restart every stream's first frame runs the model,
 * which is what rule 1 asks. Not thread-safe: a processor instance owns one (a stream lives in one
 * task at a time).
 */
public final class ModelSampler {

    private final ModelSamplingPolicy policy;
    private final ModelBudget budget;
    private final Map<String, StreamState> streams = new HashMap<>();

    /** Without a budget: every frame the sampling picks runs the model. */
    public ModelSampler(ModelSamplingPolicy policy) {
        this(policy, ModelBudget.unlimited());
    }

    /**
     * @param budget the instance's model runs per second, shared with the other stream threads' samplers: a frame
     *               the sampling picks over budget is deferred to a later frame of its stream
     */
    public ModelSampler(ModelSamplingPolicy policy, ModelBudget budget) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    private static final class StreamState {
        long lastFrameMs;
        long lastRunMs;
        long lastSuspectRunMs = Long.MIN_VALUE / 4;
        int framesSinceRun;
        /** What the stream's last suspect run saw: only something beyond it is a new suspect. */
        Set<Degradation> suspectFlags = Set.of();
        boolean suspectDeviation;
        boolean cleanSinceSuspect;
        /** The run the budget deferred ({@code first}, {@code gap}, {@code suspect}, {@code sampled}); null when none. */
        String owed;
    }

    /**
     * @param streamId      the frame's stream
     * @param captureMs     the frame's capture time, epoch ms
     * @param flags         the detector flags that stand after the baseline (empty when clean)
     * @param deviation     true when a reading strayed from the stream's baseline
     * @param late          true when the frame is older than the shedding lag
     */
    public ModelDecision decide(String streamId, long captureMs, Set<Degradation> flags, boolean deviation, boolean late) {
        ModelSampling s = policy.of(streamId);
        StreamState st = streams.get(streamId);
        if (st == null) {
            st = new StreamState();
            streams.put(streamId, st);
            st.lastFrameMs = captureMs;
            // (while the budget defers this first run, the stream is not due for a sample on top of it)
            st.lastRunMs = captureMs - phaseMs(streamId, s);
            return admit(streamId, st, captureMs, flags, deviation, ModelDecision.FIRST);
        }
        boolean gap = s.gapMs() > 0 && captureMs - st.lastFrameMs > s.gapMs();
        st.lastFrameMs = Math.max(st.lastFrameMs, captureMs);
        st.framesSinceRun++;
        if (gap) {
            return admit(streamId, st, captureMs, flags, deviation, ModelDecision.GAP);
        }
        boolean suspect = !flags.isEmpty() || deviation;
        // new: a flag (or a deviation) the stream's last suspect run did not see, or one that comes back after a clean
        // spell longer than the interval; a flag that flickers on and off is not new each time it comes back
        boolean intervalPassed = captureMs - st.lastSuspectRunMs >= s.suspectMinIntervalMs();
        boolean news = !st.suspectFlags.containsAll(flags) || deviation && !st.suspectDeviation
                || st.cleanSinceSuspect && intervalPassed;
        if (!suspect) {
            st.cleanSinceSuspect = true;
        }
        if (suspect && (news || intervalPassed && !late)) {
            return admit(streamId, st, captureMs, flags, deviation, ModelDecision.SUSPECT);
        }
        boolean suspectDue = suspect && intervalPassed;
        boolean due = s.everyFrames() > 0 && st.framesSinceRun >= s.everyFrames()
                || s.everyMs() > 0 && captureMs - st.lastRunMs >= s.everyMs();
        if (due && !late) {
            return admit(streamId, st, captureMs, flags, deviation, ModelDecision.SAMPLED);
        }
        if (st.owed != null && !ModelDecision.SAMPLED.equals(st.owed)) {
            // a first frame, gap or suspect the budget deferred: kept like one that comes now (late or not)
            return admit(streamId, st, captureMs, flags, deviation, st.owed);
        }
        return new ModelDecision(false, due || suspectDue ? ModelDecision.SHED : ModelDecision.SAMPLED_OUT);
    }

    /**
     * The frame wants the model {@code because}; the budget decides whether now. Denied, the stream is owed the
     * more urgent of this and what it was owed already, and its event says {@code budget}.
     */
    private ModelDecision admit(String streamId, StreamState st, long captureMs, Set<Degradation> flags, boolean deviation,
                                String because) {
        String reason = moreUrgent(st.owed, because);
        if (!budget.request(streamId, priority(reason))) {
            st.owed = reason;
            return new ModelDecision(false, ModelDecision.BUDGET);
        }
        st.owed = null;
        // a first run (at once or deferred) starts the periodic samples phased, so cameras that started together
        // do not all come due in the same second ever after
        long runAtMs = ModelDecision.FIRST.equals(reason) ? captureMs - phaseMs(streamId, policy.of(streamId)) : captureMs;
        return ran(st, runAtMs, captureMs, flags, deviation, reason);
    }

    private static ModelBudget.Priority priority(String reason) {
        return switch (reason) {
            case ModelDecision.SUSPECT -> ModelBudget.Priority.SUSPECT;
            case ModelDecision.FIRST, ModelDecision.GAP -> ModelBudget.Priority.RESTART;
            default -> ModelBudget.Priority.SAMPLE;
        };
    }

    private static String moreUrgent(String owed, String now) {
        return owed != null && priority(owed).ordinal() < priority(now).ordinal() ? owed : now;
    }

    private static ModelDecision ran(StreamState st, long runAtMs, long captureMs, Set<Degradation> flags, boolean deviation,
                                     String because) {
        st.lastRunMs = runAtMs;
        st.framesSinceRun = 0;
        if (!flags.isEmpty() || deviation) {
            st.lastSuspectRunMs = captureMs;
            st.suspectFlags = flags.isEmpty() ? Set.of() : Set.copyOf(flags);
            st.suspectDeviation = deviation;
            st.cleanSinceSuspect = false;
        }
        return new ModelDecision(true, because);
    }

    /**
     * How far into its first interval a stream's first sample is brought forward: a fleet that starts (or
     * restarts) together would otherwise run the model on every camera in the same second, every
     * {@code everyMs}; a fixed phase per stream id spreads those runs evenly over the interval.
     */
    static long phaseMs(String streamId, ModelSampling s) {
        return s.everyMs() <= 0 ? 0 : Math.floorMod(streamId.hashCode() * 0x9E3779B1L, s.everyMs());
    }

    /**
     * Forgets the streams whose last frame was captured before {@code captureMs} (a retired or long-silent
     * camera), so the state stays bounded by the live fleet; such a stream's next frame is a first frame again.
     *
     * @return how many streams were forgotten
     */
    public int forgetStreamsSilentSince(long captureMs) {
        int before = streams.size();
        streams.entrySet().removeIf(e -> {
            boolean silent = e.getValue().lastFrameMs < captureMs;
            if (silent) {
                budget.forget(e.getKey());
            }
            return silent;
        });
        return before - streams.size();
    }

    /** Streams this sampler holds state for (one small object each). */
    public int streamCount() {
        return streams.size();
    }
}
