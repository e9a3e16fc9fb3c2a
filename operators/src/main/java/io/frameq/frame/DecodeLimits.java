package io.frameq.frame;

/**
 * Bounds a decoder enforces before it allocates: a payload that breaks one is refused with
 * {@link FrameDecodeException.Reason#OVER_LIMIT} instead of exhausting memory.
 *
 * @param maxPayloadBytes largest accepted record value
 * @param maxWidth widest accepted picture
 * @param maxHeight tallest accepted picture
 * @param maxFramesPerSegment most frames a video segment may expand into (after sampling)
 * @param videoSampleEvery keep every Nth decoded video frame (1 = all)
 */
public record DecodeLimits(int maxPayloadBytes, int maxWidth, int maxHeight, int maxFramesPerSegment, int videoSampleEvery) {

    public static final DecodeLimits DEFAULT = new DecodeLimits(16 * 1024 * 1024, 7680, 4320, 300, 1);

    public DecodeLimits {
        if (maxPayloadBytes <= 0 || maxWidth <= 0 || maxHeight <= 0 || maxFramesPerSegment <= 0 || videoSampleEvery <= 0) {
            throw new IllegalArgumentException("DecodeLimits: every limit must be positive, got maxPayloadBytes=" + maxPayloadBytes
                    + " maxWidth=" + maxWidth + " maxHeight=" + maxHeight + " maxFramesPerSegment=" + maxFramesPerSegment
                    + " videoSampleEvery=" + videoSampleEvery);
        }
    }
}
