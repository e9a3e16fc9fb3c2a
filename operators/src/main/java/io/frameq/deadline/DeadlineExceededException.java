package io.frameq.deadline;

import io.frameq.errors.FrameqException;

/**
 * A stage of one frame ran past its deadline and was abandoned; its DLQ reason is {@link #REASON}.
 * The message names the stage, the limit and the time spent.
 */
public class DeadlineExceededException extends FrameqException {

    private static final long serialVersionUID = 1L;

    /** The DLQ reason (and metric label) of an abandoned frame. */
    public static final String REASON = "timeout";

    public DeadlineExceededException(String message) {
        super(message);
    }

    public DeadlineExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
