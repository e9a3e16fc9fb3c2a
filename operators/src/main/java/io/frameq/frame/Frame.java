package io.frameq.frame;

/**
 * A decoded frame of one stream, ready for detectors and models.
 *
 * @param streamId the camera or rendition id (the Kafka record key)
 * @param seq per-stream sequence number from the {@code frameq-seq} header, or the record offset when absent
 * @param ptsMillis presentation time from {@code frameq-pts} plus the frame's time inside its segment, or -1
 * @param captureTimeMs capture time (epoch ms) from {@code frameq-ts}, else the record timestamp
 * @param receivedNanos {@link System#nanoTime()} when FrameQ received the record, for stage latency
 * @param image the pixels
 * @param source input coordinates (also the idempotency key)
 * @param payload the original record value, kept so that a later stage can still dead-letter it
 */
public record Frame(
        String streamId,
        long seq,
        long ptsMillis,
        long captureTimeMs,
        long receivedNanos,
        RgbImage image,
        FrameSource source,
        byte[] payload) {

    public int width() {
        return image.width();
    }

    public int height() {
        return image.height();
    }

    @Override
    public String toString() {
        return "Frame[stream=" + streamId + ", seq=" + seq + ", " + image + ", source=" + source.eventId() + "]";
    }
}
