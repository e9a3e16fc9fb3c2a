package io.frameq.frame;

import java.util.List;

/**
 * Turns one payload of the frame contract into RGB24 pictures. Implementations are thread-safe:
 * Kafka Streams calls one instance from all its stream threads at once.
 */
public interface FrameDecoder {

    /** Whether this decoder can decode payloads of the given type. */
    boolean supports(ContentType type);

    /**
     * Decodes a payload.
     *
     * @param payload the record value, never modified
     * @param meta what the headers say (raw frames need width and height from here)
     * @param limits bounds checked before large allocations
     * @return one frame for a still image or raw frame, the sampled frames for a video segment;
     *     never empty
     * @throws FrameDecodeException with a bounded {@link FrameDecodeException.Reason} and a message
     *     that names the field, expected and actual value
     */
    List<DecodedFrame> decode(byte[] payload, FrameMetadata meta, DecodeLimits limits) throws FrameDecodeException;
}
