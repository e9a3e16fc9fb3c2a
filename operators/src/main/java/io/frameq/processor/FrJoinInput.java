package io.frameq.processor;

import java.util.Objects;

import io.frameq.processor.DecodeProcessor.DecodedInput;

/**
 * A decoded frame on its way to the full-reference join, with the side it came from. The side is
 * known where the topology is wired (which decode node, which DSL stream), so the join never has to
 * guess it from a topic name.
 */
public record FrJoinInput(DecodedInput decoded, boolean rendition) {

    public FrJoinInput {
        Objects.requireNonNull(decoded, "decoded");
    }

    public static FrJoinInput origin(DecodedInput decoded) {
        return new FrJoinInput(decoded, false);
    }

    public static FrJoinInput rendition(DecodedInput decoded) {
        return new FrJoinInput(decoded, true);
    }
}
