package io.frameq.frame;

import java.util.ArrayList;
import java.util.List;

/**
 * Places the frames decoded from one input record in time: their sequence number, presentation
 * and capture times, and where each came from. An image gives one frame; a video segment many,
 * spaced by their own pts.
 */
public final class FrameTimeline {

    private FrameTimeline() {}

    /**
     * @param meta the record's {@code frameq-*} headers ({@link FrameHeaders}); a missing seq falls back to the
     *     record's offset, a missing capture time to the record's timestamp
     * @param source the record's topic, partition and offset (index 0)
     * @param receivedNanos when the record reached decode ({@link System#nanoTime()})
     */
    public static List<Frame> place(String streamId, FrameMetadata meta, List<DecodedFrame> decoded, FrameSource source,
                                    long recordTimestamp, long receivedNanos, byte[] payload) {
        long seq = meta.seq() >= 0 ? meta.seq() : source.offset();
        long capture = meta.timestampMs() >= 0 ? meta.timestampMs() : recordTimestamp;
        // Video pts are on the container's timeline (MPEG-TS rarely starts at 0): time inside the
        // segment counts from its first decoded frame.
        long firstPts = decoded.isEmpty() ? -1 : decoded.get(0).ptsMillis();
        List<Frame> frames = new ArrayList<>(decoded.size());
        for (DecodedFrame f : decoded) {
            long inSegment = f.ptsMillis() >= 0 && firstPts >= 0 ? Math.max(0, f.ptsMillis() - firstPts) : 0;
            long pts = meta.ptsMillis() >= 0 ? meta.ptsMillis() + inSegment : f.ptsMillis();
            FrameSource at = new FrameSource(source.topic(), source.partition(), source.offset(), f.index());
            frames.add(new Frame(streamId, seq, pts, capture + inSegment, receivedNanos, f.image(), at, payload));
        }
        return frames;
    }
}
