package io.frameq.frame;

/** Names of the Kafka record headers of the frame contract. */
public final class FrameHeaders {
    public static final String CONTENT_TYPE = "content-type";
    /** Capture time, epoch milliseconds, decimal ASCII. */
    public static final String TIMESTAMP = "frameq-ts";
    /** Per-stream frame sequence number, decimal ASCII. */
    public static final String SEQ = "frameq-seq";
    /** Presentation timestamp in milliseconds, decimal ASCII (alternative to seq). */
    public static final String PTS = "frameq-pts";
    /** Width and height of raw frames, decimal ASCII. */
    public static final String WIDTH = "frameq-width";
    public static final String HEIGHT = "frameq-height";
    /**
     * Baseline control: a frame carrying {@value #BASELINE_RESET} here makes its stream forget its learnt normal
     * before the frame is judged (after the camera was re-aimed on purpose); the frame itself is processed as usual.
     */
    public static final String BASELINE = "frameq-baseline";
    public static final String BASELINE_RESET = "reset";

    private FrameHeaders() {}
}
