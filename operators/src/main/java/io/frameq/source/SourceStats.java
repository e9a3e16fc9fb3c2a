package io.frameq.source;

/**
 * A source's counters at one moment.
 *
 * @param framesRead frames decoded (or files read) so far, sampled or not
 * @param framesSampled frames handed on for analysis
 * @param reconnects times a live source reopened its URL after a drop
 * @param lastFrameTimeMs capture time of the last sampled frame, epoch ms; -1 before the first
 * @param decodeErrors packets, frames or files that could not be decoded
 */
public record SourceStats(long framesRead, long framesSampled, long reconnects, long lastFrameTimeMs, long decodeErrors) {}
