package io.frameq.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition instead of sleeping for a guessed time: polls until it holds and fails the
 * test, saying what was awaited, when the deadline passes first. A sleep that is too short makes a
 * test flaky and one that is too long makes it slow; a sleep that "usually suffices" hides the case
 * where the awaited thing never happened at all.
 */
public final class Await {

    private static final Duration POLL = Duration.ofMillis(50);

    private Await() {}

    /** Returns once {@code condition} holds; throws an {@link AssertionError} naming {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, POLL, condition, () -> "");
    }

    /**
     * As {@link #until(String, Duration, BooleanSupplier)}, polling every {@code poll} (for conditions
     * that are expensive to evaluate), with {@code state} describing the last observation in the failure.
     */
    public static void until(String what, Duration timeout, Duration poll, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                String seen = state.get();
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + (seen.isEmpty() ? "" : "; last seen: " + seen));
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
