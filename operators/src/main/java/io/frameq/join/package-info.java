/**
 * Full-reference pairing of CDN renditions with their origin frames: the {@link io.frameq.join.JoinPolicy}
 * (window, grace, match key, buffer bound), how a rendition names its origin
 * ({@link io.frameq.join.OriginResolver}), the encoded form a waiting frame takes in the changelogged
 * join stores ({@link io.frameq.join.BufferedFrame}), and what the join hands to scoring
 * ({@link io.frameq.join.FramePair}). The processors live in {@code io.frameq.processor}.
 *
 * <p>May depend on {@code frame} and Kafka's header types only.
 */
package io.frameq.join;
