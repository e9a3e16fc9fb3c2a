package io.frameq.source;

import java.util.Objects;

import io.frameq.frame.ContentType;
import io.frameq.frame.RgbImage;

/**
 * One sampled frame of a source, ready to become a frame-contract record.
 *
 * @param streamId the source's stream id (the record key)
 * @param seq position of the frame among all frames the source read (sampled or not), from 0
 * @param captureTsMs capture time, epoch ms: the source's start time plus the frame's pts for
 *     files, the wall clock for live sources
 * @param ptsMs presentation time relative to the source's first frame in ms (for a live source: its arrival time since
 *     the source started), -1 when unknown
 * @param keyframe whether the frame is a keyframe
 * @param image the decoded pixels; null when {@code encoded} is given and was not decoded here
 * @param encoded the original encoded bytes of a still JPEG or PNG, passed on untouched, or a video
 *     segment of several frames copied from the source ({@link SegmentSource}; the other fields then
 *     describe its first frame); null for frames decoded from video
 * @param encodedType the type of {@code encoded}; null with it
 */
public record CapturedFrame(String streamId, long seq, long captureTsMs, long ptsMs, boolean keyframe, RgbImage image,
                            byte[] encoded, ContentType encodedType) {

    public CapturedFrame {
        Objects.requireNonNull(streamId, "streamId");
        if (image == null && encoded == null) {
            throw new IllegalArgumentException("CapturedFrame " + streamId + "/" + seq + ": expected pixels or encoded bytes, actual neither");
        }
        if ((encoded == null) != (encodedType == null)) {
            throw new IllegalArgumentException("CapturedFrame " + streamId + "/" + seq + ": encoded bytes and their type come together");
        }
    }
}
