package io.frameq.frame;

/**
 * Where a frame came from: the input record's coordinates plus the frame's position inside the
 * record's payload (a video segment holds many frames). Together they form the frame's
 * idempotency key: a frame re-processed after a crash produces an event with the same id.
 */
public record FrameSource(String topic, int partition, long offset, int index) {

    public static final FrameSource UNKNOWN = new FrameSource("", -1, -1, 0);

    public String eventId() {
        return topic + "/" + partition + "/" + offset + "/" + index;
    }
}
