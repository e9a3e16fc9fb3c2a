package io.frameq.translate;

/**
 * SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit generator whose every step is integer
 * addition, multiplication, xor and shift modulo 2^64, so a Python twin with {@code & (2**64 - 1)}
 * produces the same numbers bit for bit ({@code frameq_models.export.golden.SplitMix64}). Used instead of
 * {@code java.util.Random} or NumPy's generators, which have no counterpart in the other language.
 *
 * <p>Not thread-safe: one instance per draw.
 */
final class SplitMix64 {

    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final double UNIT = 0x1.0p-53;

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    /** The next 64 random bits. */
    long nextLong() {
        state += GAMMA;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A double in [0, 1) from the top 53 bits of {@link #nextLong()} (exact, no rounding). */
    double nextUnit() {
        return (nextLong() >>> 11) * UNIT;
    }

    /**
     * An int in [0, bound) from the top 32 bits of {@link #nextLong()}: {@code (hi32 * bound) >>> 32}
     * (Lemire's multiply-shift without rejection; the bias is below bound / 2^32).
     */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("SplitMix64: bound must be positive, got " + bound);
        }
        return (int) (((nextLong() >>> 32) * bound) >>> 32);
    }
}
