package io.frameq.deadline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.testing.Await;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WatchdogTest {

    @Test
    void anExpiredDeadlineRunsItsHooksOnceAndFailsItsCheck() {
        AtomicInteger fired = new AtomicInteger();
        try (Deadline d = Watchdog.shared().open("score", 20)) {
            assertThat(Deadline.current()).isSameAs(d);
            d.onExpire(fired::incrementAndGet);
            Await.until("the watchdog expires the deadline", Duration.ofSeconds(10), d::expired);
            assertThat(fired.get()).isEqualTo(1);
            assertThatThrownBy(d::check).isInstanceOf(DeadlineExceededException.class)
                    .hasMessageContaining("stage 'score' deadline: expected at most 20 ms");
            // a hook registered after expiry runs at once: a run that starts late is stopped too
            d.onExpire(fired::incrementAndGet);
            assertThat(fired.get()).isEqualTo(2);
        }
        assertThat(Deadline.current()).isNull();
    }

    @Test
    void aClosedDeadlineNeverFiresAndRemovedHooksNeverRun() throws Exception {
        AtomicInteger fired = new AtomicInteger();
        Deadline d = Watchdog.shared().open("decode", 30);
        d.onExpire(fired::incrementAndGet).close();
        Deadline kept;
        try (Deadline other = Watchdog.shared().open("restore", 30)) {
            kept = other;
            other.onExpire(fired::incrementAndGet);
            assertThat(Deadline.current()).as("the inner deadline is current while open").isSameAs(other);
        }
        assertThat(Deadline.current()).as("closing the inner one restores the outer").isSameAs(d);
        d.close();
        Thread.sleep(100); // both timers are long past: neither may have fired
        assertThat(fired.get()).isZero();
        assertThat(kept.expired()).isFalse();
        assertThat(d.expired()).isFalse();
    }

    @Test
    void zeroMeansNoDeadlineAndNegativeIsRefused() {
        assertThat(Watchdog.shared().open("score", 0)).isNull();
        assertThat(Deadline.current()).isNull();
        assertThatThrownBy(() -> Watchdog.shared().open("score", -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stage 'score'").hasMessageContaining("actual -1");
        assertThatThrownBy(() -> new FrameDeadlines(0, -5, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("modelMs=-5");
    }
}
