package io.frameq.verdict;

import java.nio.ByteBuffer;

/**
 * One stream's verdict state, kept in a changelogged store (so a restarted instance resumes it).
 *
 * @param degraded the stream's current verdict
 * @param streak consecutive frames pointing to the other state
 * @param transitions state changes so far (diagnostics)
 */
public record StreamVerdict(boolean degraded, int streak, long transitions) {

    public static final StreamVerdict INITIAL = new StreamVerdict(false, 0, 0);

    private static final byte VERSION = 1;

    public String wire() {
        return degraded ? "degraded" : "ok";
    }

    public byte[] toBytes() {
        return ByteBuffer.allocate(14).put(VERSION).put((byte) (degraded ? 1 : 0)).putInt(streak).putLong(transitions).array();
    }

    /** Parses {@link #toBytes()}; null or unknown versions give {@link #INITIAL}. */
    public static StreamVerdict fromBytes(byte[] bytes) {
        if (bytes == null || bytes.length != 14 || bytes[0] != VERSION) {
            return INITIAL;
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, 13);
        return new StreamVerdict(b.get() == 1, b.getInt(), b.getLong());
    }
}
