package io.frameq.frame;

import java.util.Optional;

/**
 * What the record headers say about a payload, already parsed. Missing values are empty
 * optionals (or -1), never guesses: the decoder sniffs a missing content type and the processor
 * falls back to record time for a missing timestamp.
 */
public record FrameMetadata(Optional<ContentType> contentType, long timestampMs, long seq, long ptsMillis, int width, int height) {

    public static FrameMetadata of(ContentType type) {
        return new FrameMetadata(Optional.ofNullable(type), -1, -1, -1, -1, -1);
    }

    public static FrameMetadata raw(ContentType type, int width, int height) {
        return new FrameMetadata(Optional.of(type), -1, -1, -1, width, height);
    }
}
