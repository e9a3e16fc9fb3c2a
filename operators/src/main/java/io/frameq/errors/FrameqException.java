package io.frameq.errors;

/**
 * Root of the errors FrameQ raises itself (a payload that is not a frame, a model that cannot be
 * loaded, a model run that failed), so an embedding can tell them from failures of Kafka, the JVM
 * or its own code with one {@code catch}. Unchecked, like most of its subclasses: the topology
 * decides per record whether to dead-letter or stop, and callers that can do better catch the
 * specific type.
 */
public class FrameqException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected FrameqException(String message) {
        super(message);
    }

    protected FrameqException(String message, Throwable cause) {
        super(message, cause);
    }
}
