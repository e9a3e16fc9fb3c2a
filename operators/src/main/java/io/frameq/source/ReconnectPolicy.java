package io.frameq.source;

/**
 * How a live source reopens its URL after a drop: exponential backoff from {@code initialDelayMs}
 * doubling up to {@code maxDelayMs}; after {@code maxAttempts} failed opens in a row (0: never)
 * the source gives up. A frame read successfully resets the backoff.
 */
public record ReconnectPolicy(long initialDelayMs, long maxDelayMs, int maxAttempts) {

    public static final ReconnectPolicy DEFAULTS = new ReconnectPolicy(500, 30_000, 10);

    public ReconnectPolicy {
        if (initialDelayMs < 0 || maxDelayMs < initialDelayMs || maxAttempts < 0) {
            throw new IllegalArgumentException("ReconnectPolicy: expected 0 <= initialDelayMs <= maxDelayMs and maxAttempts >= 0, actual "
                    + initialDelayMs + ", " + maxDelayMs + ", " + maxAttempts);
        }
    }

    /** The wait before attempt {@code attempt} (1 = the first reconnect). */
    public long delayMs(int attempt) {
        long d = initialDelayMs;
        for (int i = 1; i < attempt && d < maxDelayMs; i++) {
            d *= 2;
        }
        return Math.min(d, maxDelayMs);
    }
}
