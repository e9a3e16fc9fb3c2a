/**
 * Per-stream verdicts with hysteresis ({@link io.frameq.verdict.HysteresisPolicy}): what the stream is, as
 * opposed to what one frame is. Pure values; the state store lives in {@code processor}.
 *
 * <p>Depends on no other package.
 */
package io.frameq.verdict;
