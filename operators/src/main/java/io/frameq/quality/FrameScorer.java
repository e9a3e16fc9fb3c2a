package io.frameq.quality;

import io.frameq.frame.RgbImage;
import io.frameq.model.ModelDescriptor;

/**
 * Scores one frame with a no-reference model, synchronously: {@link #score} returns only when the
 * frame's score is known (so a stream thread commits the record's offset only after its event was
 * produced). Implemented by {@link NrScorer} (one model run per frame) and
 * {@link BatchingNrScorer} (frames of concurrent callers share one model run).
 */
public interface FrameScorer {

    /** Scores one frame; see {@link NrScorer#score}. */
    NrScore score(RgbImage image);

    /** The model scoring the frames. */
    ModelDescriptor descriptor();

    /**
     * True when the scorer observes {@code frameq_batch_size} itself (once per model run); callers
     * then must not observe one per frame.
     */
    default boolean recordsBatchSizes() {
        return false;
    }
}
