package io.frameq.frame;

import io.frameq.errors.FrameqException;

/**
 * A payload could not become frames. The {@link Reason} is a bounded code used as a metric label
 * and DLQ header; the message says what was wrong with which field, expected and actual.
 *
 * <p>Unchecked since it joined {@link FrameqException}; the decoders still declare it, so a
 * caller sees where a payload can be refused.
 */
public class FrameDecodeException extends FrameqException {

    private static final long serialVersionUID = 1L;

    /** Why a payload was refused; the name in lower case is the DLQ reason. */
    public enum Reason {
        UNKNOWN_CONTENT_TYPE,
        CORRUPT,
        OVER_LIMIT,
        MISSING_HEADER,
        BAD_HEADER,
        EMPTY,
        /** The decode ran past its deadline and was abandoned ({@code io.frameq.deadline}). */
        TIMEOUT
    }

    private final Reason reason;

    public FrameDecodeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public FrameDecodeException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public String reasonCode() {
        return reason.name().toLowerCase(java.util.Locale.ROOT);
    }
}
