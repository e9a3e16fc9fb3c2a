package io.frameq.scoring;

import java.util.ArrayList;
import java.util.List;

/**
 * How often one stream's frames go through the no-reference model when nothing is suspect: a value,
 * validated on construction. The model always runs on suspects (a detector flag, a baseline
 * deviation, the first frame after a gap or a restart); otherwise a frame is due when
 * {@code everyMs} of capture time passed since the stream's last model run, or when it is the
 * {@code everyFrames}-th frame since then (either rule; 0 turns a rule off).
 *
 * @param everyMs             a model run at most this often on an unsuspicious stream, in ms of capture time; 0 = off
 * @param everyFrames         every Nth frame runs the model; 1 = every frame (the default), 0 = off
 * @param gapMs               a frame that follows its stream's previous frame by more than this (capture time) is
 *                            suspect: the camera was away; 0 = never
 * @param suspectMinIntervalMs fairness: a stream that stays suspect for the same reasons runs the model at most this
 *                            often (a changed reason runs at once), so a camera stuck on a flag at 30 fps cannot
 *                            take the model from the others; 0 = every suspect frame
 */
public record ModelSampling(long everyMs, int everyFrames, long gapMs, long suspectMinIntervalMs) {

    /** The model on every frame (FrameQ's behaviour before sampling), gaps of 10 s, repeated suspects once a second. */
    public static final ModelSampling EVERY_FRAME = new ModelSampling(0, 1, 10_000, 1_000);

    public ModelSampling {
        List<String> problems = problems(everyMs, everyFrames, gapMs, suspectMinIntervalMs);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("ModelSampling: " + String.join("; ", problems));
        }
    }

    /** Every problem of these values in plain words; empty when they make a policy. */
    public static List<String> problems(long everyMs, int everyFrames, long gapMs, long suspectMinIntervalMs) {
        List<String> problems = new ArrayList<>();
        if (everyMs < 0) {
            problems.add("everyMs: expected 0 (off) or more ms, actual " + everyMs);
        }
        if (everyFrames < 0) {
            problems.add("everyFrames: expected 0 (off) or more frames, actual " + everyFrames);
        }
        if (everyMs == 0 && everyFrames == 0) {
            problems.add("everyMs and everyFrames: expected at least one above 0 (else the model would run on suspects only), "
                    + "actual both 0");
        }
        if (gapMs < 0) {
            problems.add("gapMs: expected 0 (never) or more ms, actual " + gapMs);
        }
        if (suspectMinIntervalMs < 0) {
            problems.add("suspectMinIntervalMs: expected 0 or more ms, actual " + suspectMinIntervalMs);
        }
        return problems;
    }

    /** True when every frame is due anyway (no sampling). */
    public boolean everyFrame() {
        return everyFrames == 1;
    }
}
