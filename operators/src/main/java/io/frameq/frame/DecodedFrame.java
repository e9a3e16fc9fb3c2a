package io.frameq.frame;

/**
 * One picture out of a decoder. Still images give exactly one; a video segment gives one per
 * sampled frame.
 *
 * @param image the pixels
 * @param index position of this frame among the frames the decoder emitted for one payload (0-based)
 * @param ptsMillis presentation time inside the payload in milliseconds, or -1 when the payload has
 *     no timeline (still images, raw frames)
 */
public record DecodedFrame(RgbImage image, int index, long ptsMillis) {}
