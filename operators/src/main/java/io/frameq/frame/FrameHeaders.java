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

    private FrameHeaders() {}
}
