package io.frameq.join;

import io.frameq.frame.Frame;

/**
 * An origin frame and one rendition of it, paired by the join.
 *
 * @param origin the reference frame (its stream id is the origin id)
 * @param rendition the distorted frame (its stream id is the origin id too: the join is keyed by origin)
 * @param renditionId the rendition's own stream id
 * @param joinWaitMs wall-clock ms the earlier of the two waited in the join store for its partner
 * @param decodeNanos decode time of the frame that completed the pair
 */
public record FramePair(Frame origin, Frame rendition, String renditionId, long joinWaitMs, long decodeNanos) {}
