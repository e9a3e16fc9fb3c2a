package io.frameq.processor;

import java.util.Objects;

import io.frameq.errors.DeadLetter;

/**
 * A record a stage could not process: why ({@link DeadLetter}) and the original payload, byte for
 * byte. On the DLQ topic the value is the payload and the letter travels as headers
 * ({@link DeadLetter#headers}), which the stage already put on the record.
 */
public record DeadLettered(DeadLetter letter, byte[] payload) implements FrameOutcome {
    public DeadLettered {
        Objects.requireNonNull(letter, "letter");
        payload = payload == null ? new byte[0] : payload;
    }
}
