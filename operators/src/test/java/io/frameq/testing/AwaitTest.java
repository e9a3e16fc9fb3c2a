package io.frameq.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class AwaitTest {

    @Test
    void returnsAsSoonAsTheConditionHolds() {
        AtomicInteger polls = new AtomicInteger();
        Await.until("the third poll", Duration.ofSeconds(10), () -> polls.incrementAndGet() >= 3);
        assertThat(polls).hasValue(3);
    }

    @Test
    void failsNamingWhatItWaitedForAndWhatItSaw() {
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Await.until("a condition that never holds", Duration.ofMillis(200), Duration.ofMillis(20),
                () -> false, () -> "0 events"))
                .isInstanceOf(AssertionError.class)
                .hasMessage("timed out after 200 ms waiting for a condition that never holds; last seen: 0 events");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    }
}
