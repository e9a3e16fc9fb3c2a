package io.frameq.onnx;

import io.frameq.errors.FrameqException;

/**
 * A run of an opened model failed (native error, or outputs the caller cannot use). Unchecked: the
 * processor decides per record whether to dead-letter the frame or stop.
 */
public class InferenceException extends FrameqException {

    private static final long serialVersionUID = 1L;

    public InferenceException(String message) {
        super(message);
    }

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
