package io.frameq.deadline;

/**
 * How long each stage may spend on one frame, in milliseconds; 0 means no deadline for that stage.
 *
 * @param decodeMs decoding one record (an image, or a whole video segment)
 * @param modelMs the no-reference model's run(s) for one frame (and its wait for a batch)
 * @param restoreMs restoring one frame (every tile, and the re-score of the result)
 */
public record FrameDeadlines(long decodeMs, long modelMs, long restoreMs) {

    /** No deadlines: every stage may take as long as it takes. */
    public static final FrameDeadlines NONE = new FrameDeadlines(0, 0, 0);

    public FrameDeadlines {
        if (decodeMs < 0 || modelMs < 0 || restoreMs < 0) {
            throw new IllegalArgumentException("FrameDeadlines: expected 0 (none) or more ms for each stage, actual decodeMs="
                    + decodeMs + " modelMs=" + modelMs + " restoreMs=" + restoreMs);
        }
    }
}
