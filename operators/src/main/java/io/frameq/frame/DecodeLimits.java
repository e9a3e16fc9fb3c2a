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
 * @param videoSkip which video frames are not decoded at all (before the sampling counts them)
 */
public record DecodeLimits(int maxPayloadBytes, int maxWidth, int maxHeight, int maxFramesPerSegment, int videoSampleEvery,
                           VideoFrameSkip videoSkip) {

    public static final DecodeLimits DEFAULT = new DecodeLimits(16 * 1024 * 1024, 7680, 4320, 300, 1);

    public DecodeLimits {
        if (maxPayloadBytes <= 0 || maxWidth <= 0 || maxHeight <= 0 || maxFramesPerSegment <= 0 || videoSampleEvery <= 0) {
            throw new IllegalArgumentException("DecodeLimits: every limit must be positive, got maxPayloadBytes=" + maxPayloadBytes
                    + " maxWidth=" + maxWidth + " maxHeight=" + maxHeight + " maxFramesPerSegment=" + maxFramesPerSegment
                    + " videoSampleEvery=" + videoSampleEvery);
        }
        if (videoSkip == null) {
            throw new IllegalArgumentException("DecodeLimits.videoSkip: expected a VideoFrameSkip, actual null");
        }
    }

    /** Limits that decode every video frame. */
    public DecodeLimits(int maxPayloadBytes, int maxWidth, int maxHeight, int maxFramesPerSegment, int videoSampleEvery) {
        this(maxPayloadBytes, maxWidth, maxHeight, maxFramesPerSegment, videoSampleEvery, VideoFrameSkip.NONE);
    }

    /**
     * Refuses a payload larger than {@link #maxPayloadBytes()}.
     *
     * @param what names the payload in the message, e.g. "record value"
     */
    public void checkPayloadSize(String what, long bytes) throws FrameDecodeException {
        if (bytes > maxPayloadBytes) {
            throw new FrameDecodeException(FrameDecodeException.Reason.OVER_LIMIT,
                    what + " size: expected at most " + maxPayloadBytes + " bytes (maxPayloadBytes), actual " + bytes);
        }
    }

    /**
     * Refuses a picture wider than {@link #maxWidth()} or taller than {@link #maxHeight()}, and one
     * whose RGB24 pixels would not fit a Java array. Decoders call this before they allocate the
     * picture.
     *
     * @param what names the picture in the message, e.g. "JPEG" or "video/mp4 stream 0"
     */
    public void checkDimensions(String what, long width, long height) throws FrameDecodeException {
        if (width > maxWidth) {
            throw new FrameDecodeException(FrameDecodeException.Reason.OVER_LIMIT,
                    what + " width: expected at most " + maxWidth + " (maxWidth), actual " + width + " (picture " + width + "x" + height + ")");
        }
        if (height > maxHeight) {
            throw new FrameDecodeException(FrameDecodeException.Reason.OVER_LIMIT,
                    what + " height: expected at most " + maxHeight + " (maxHeight), actual " + height + " (picture " + width + "x" + height + ")");
        }
        if (width * height * 3 > MAX_RGB_BYTES) {
            throw new FrameDecodeException(FrameDecodeException.Reason.OVER_LIMIT,
                    what + " RGB24 size: expected at most " + MAX_RGB_BYTES + " bytes (largest Java array), actual "
                            + width * height * 3 + " for " + width + "x" + height);
        }
    }

    /** Largest RGB24 picture a byte[] holds (the JVM refuses arrays within a few bytes of 2^31). */
    private static final long MAX_RGB_BYTES = Integer.MAX_VALUE - 8;
}
