package io.frameq.alert;

import java.util.List;
import java.util.Objects;

/**
 * When a silent stream is retired and what is dropped then. A fleet's cameras come and go (replaced,
 * renamed, decommissioned); without retirement every id ever seen keeps its baseline, thumbnail,
 * hysteresis and alert state in the stores and its series in the metrics for good. A stream that
 * sent nothing for {@code afterMs} of wall-clock time has its open incidents resolved with reason
 * {@code retired}, its entries deleted from its own alert store and from {@code stateStores} (the
 * other per-stream stores keyed by stream id), and its metric labels released. If it comes back it
 * starts fresh: it learns its normal anew, as a new camera does.
 *
 * @param afterMs wall-clock silence before a stream is retired; 0 never retires
 * @param stateStores the other per-stream stores (keyed by stream id) to delete the stream from
 */
public record StreamRetirement(long afterMs, List<String> stateStores) {

    /** Keeps every stream for good. */
    public static final StreamRetirement NEVER = new StreamRetirement(0, List.of());

    /** A day: far past any silence a working camera has (night, maintenance, a network outage). */
    public static final long DEFAULT_AFTER_MS = 86_400_000L;

    public StreamRetirement {
        if (afterMs < 0) {
            throw new IllegalArgumentException("StreamRetirement: afterMs: expected 0 (never) or more ms, actual " + afterMs);
        }
        stateStores = List.copyOf(Objects.requireNonNull(stateStores, "stateStores"));
    }

    public boolean enabled() {
        return afterMs > 0;
    }
}
