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
 * Overload sheds by the same policy: a frame later than the shedding lag keeps its model run only
 * for rule 1 and for a new suspect; a due sample or a repeated suspect is shed
 * and the stream stays due, so its next timely frame runs the model.
 *
 * <p>State is per stream and in memory: after a restart every stream's first frame runs the model,
 * which is what rule 1 asks. Not thread-safe: a processor instance owns one (a stream lives in one
 * task at a time).
 */
public final class ModelSampler {

    private final ModelSamplingPolicy policy;
    private final Map<String, StreamState> streams = new HashMap<>();

    public ModelSampler(ModelSamplingPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
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
            ModelDecision first = ran(st, captureMs, flags, deviation, ModelDecision.FIRST);
            st.lastRunMs = captureMs - phaseMs(streamId, s);
            return first;
        }
        boolean gap = s.gapMs() > 0 && captureMs - st.lastFrameMs > s.gapMs();
        st.lastFrameMs = Math.max(st.lastFrameMs, captureMs);
        st.framesSinceRun++;
        if (gap) {
            return ran(st, captureMs, flags, deviation, ModelDecision.GAP);
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
            return ran(st, captureMs, flags, deviation, ModelDecision.SUSPECT);
        }
        boolean suspectDue = suspect && intervalPassed;
        boolean due = s.everyFrames() > 0 && st.framesSinceRun >= s.everyFrames()
                || s.everyMs() > 0 && captureMs - st.lastRunMs >= s.everyMs();
        if (due && !late) {
            return ran(st, captureMs, flags, deviation, ModelDecision.SAMPLED);
        }
        return new ModelDecision(false, due || suspectDue ? ModelDecision.SHED : ModelDecision.SAMPLED_OUT);
    }

    private static ModelDecision ran(StreamState st, long captureMs, Set<Degradation> flags, boolean deviation, String because) {
        st.lastRunMs = captureMs;
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
        streams.values().removeIf(st -> st.lastFrameMs < captureMs);
        return before - streams.size();
    }

    /** Streams this sampler holds state for (one small object each). */
    public int streamCount() {
        return streams.size();
    }
}
