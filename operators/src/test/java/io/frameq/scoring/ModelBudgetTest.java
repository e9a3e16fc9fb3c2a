package io.frameq.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.frameq.scoring.ModelBudget.Priority;

import org.junit.jupiter.api.Test;

/** The instance's budget of model runs, on an injected clock: rate, deferral, order of the owed, liveness. */
class ModelBudgetTest {

    private final AtomicLong now = new AtomicLong(1_000_000);

    private ModelBudget budget(double runsPerSecond) {
        return new ModelBudget(runsPerSecond, now::get);
    }

    @Test
    void withoutABudgetEveryRequestIsGranted() {
        ModelBudget b = ModelBudget.unlimited();
        for (int i = 0; i < 1000; i++) {
            assertThat(b.request("cam-" + i, Priority.SAMPLE)).isTrue();
        }
        assertThat(b.limited()).isFalse();
        assertThat(b.owedStreams()).isZero();
        assertThat(b.deferred()).isZero();
    }

    @Test
    void aFleetStartingTogetherGetsTwoSecondsWorthAtOnceThenTheRateTheRestOwed() {
        ModelBudget b = budget(4);
        java.util.Set<String> owed = new java.util.TreeSet<>();
        for (int c = 0; c < 100; c++) {
            if (!b.request("cam-" + c, Priority.RESTART)) {
                owed.add("cam-" + c);
            }
        }
        assertThat(100 - owed.size()).as("the bucket holds two seconds' worth").isEqualTo(8);
        assertThat(b.owedStreams()).isEqualTo(92);
        assertThat(b.deferred()).isEqualTo(92);
        // the owed 1 fps cameras ask again on each frame; over 10 s (9.99 s after the start's burst) the budget grants
        // 4 a second, not more
        int later = 0;
        for (int t = 1; t <= 10; t++) {
            for (int c = 0; c < 100; c++) {
                now.set(1_000_000 + t * 1000L + c * 10L);
                if (owed.contains("cam-" + c) && b.request("cam-" + c, Priority.RESTART)) {
                    owed.remove("cam-" + c);
                    later++;
                }
            }
        }
        assertThat(later).isBetween(42, 44);
        assertThat(b.owedStreams()).isEqualTo(owed.size());
    }

    @Test
    void theOwedAreServedOldestFirstSoNoCameraStarves() {
        ModelBudget b = budget(2);
        List<Integer> granted = new ArrayList<>();
        for (int c = 0; c < 30; c++) {
            now.addAndGet(10);
            if (b.request("cam-" + c, Priority.RESTART)) {
                granted.add(c);
            }
        }
        assertThat(granted).containsExactly(0, 1, 2, 3);
        // every owed camera asks once a second, the newest first: whatever the order they ask in, after each round the
        // granted are the oldest (tokens are reserved for those ahead), and in 15 s everyone had its run
        for (int t = 1; t <= 15; t++) {
            for (int c = 29; c >= 0; c--) {
                now.set(1_000_000 + t * 1000L + (29 - c) * 10L);
                if (!granted.contains(c) && b.request("cam-" + c, Priority.RESTART)) {
                    granted.add(c);
                }
            }
            List<Integer> sorted = granted.stream().sorted().toList();
            assertThat(sorted).as("round %d", t).isEqualTo(java.util.stream.IntStream.range(0, granted.size()).boxed().toList());
        }
        assertThat(granted).hasSize(30);
        assertThat(b.owedStreams()).isZero();
    }

    @Test
    void aBusyCameraAskingOnEveryFrameDoesNotTakeTheBudgetFromTheOthers() {
        ModelBudget b = budget(2);
        Map<String, Integer> grants = new HashMap<>();
        // one camera at 30 fps wanting the model on every frame, ten at 1 fps wanting it on each of theirs
        for (int ms = 0; ms < 60_000; ms += 33) {
            now.set(1_000_000 + ms);
            if (b.request("busy", Priority.SAMPLE)) {
                grants.merge("busy", 1, Integer::sum);
            }
            if (ms % 1000 < 33) {
                for (int c = 0; c < 10; c++) {
                    if (b.request("cam-" + c, Priority.SAMPLE)) {
                        grants.merge("cam-" + c, 1, Integer::sum);
                    }
                }
            }
        }
        int total = grants.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(total).as("2 runs a second for 60 s, plus the bucket").isBetween(110, 124);
        // eleven streams sharing them round-robin: each about 11, the busy one no more than the others
        for (int c = 0; c < 10; c++) {
            assertThat(grants.getOrDefault("cam-" + c, 0)).as("cam-%d", c).isBetween(9, 13);
        }
        assertThat(grants.getOrDefault("busy", 0)).isBetween(9, 13);
    }

    @Test
    void suspectsGoBeforeRestartsAndRestartsBeforeSamples() {
        ModelBudget b = budget(0.5); // a token every 2 s, one banked
        assertThat(b.request("warm", Priority.SAMPLE)).isTrue();
        now.addAndGet(10);
        assertThat(b.request("sample", Priority.SAMPLE)).isFalse();
        now.addAndGet(10);
        assertThat(b.request("restart", Priority.RESTART)).isFalse();
        now.addAndGet(10);
        assertThat(b.request("suspect", Priority.SUSPECT)).isFalse();
        List<String> order = new ArrayList<>();
        for (int t = 1; t <= 10 && order.size() < 3; t++) {
            for (String s : List.of("sample", "restart", "suspect")) {
                now.set(1_000_000 + t * 1000L + s.length());
                if (!order.contains(s) && b.request(s, Priority.SAMPLE)) {
                    order.add(s);
                }
            }
        }
        assertThat(order).as("asking again as samples, each keeps what it was owed first").containsExactly("suspect", "restart",
                "sample");
    }

    @Test
    void aSampleOwedLongerThanTheSuspectsHeadStartGoesFirst() {
        ModelBudget b = budget(0.01); // a token every 100 s
        long t0 = now.get();
        assertThat(b.request("warm", Priority.SAMPLE)).isTrue();
        assertThat(b.request("old-sample", Priority.SAMPLE)).isFalse();
        List<String> order = new ArrayList<>();
        // both ask once a second; the suspect turns up 61 s after the sample was first owed
        for (int t = 1; t <= 110 && order.size() < 1; t++) {
            for (String s : t > 61 ? List.of("fresh-suspect", "old-sample") : List.of("old-sample")) {
                now.set(t0 + t * 1000L);
                if (b.request(s, s.startsWith("fresh") ? Priority.SUSPECT : Priority.SAMPLE)) {
                    order.add(s);
                }
            }
        }
        assertThat(order).containsExactly("old-sample");
    }

    @Test
    void anOwedStreamThatStoppedAskingDoesNotHoldTheLine() {
        ModelBudget b = budget(0.5); // a token every 2 s, one banked
        long t0 = now.get();
        assertThat(b.request("warm", Priority.SAMPLE)).isTrue();
        assertThat(b.request("gone", Priority.SUSPECT)).isFalse(); // owed, at the head, then its camera goes away
        now.set(t0 + 100);
        assertThat(b.request("here", Priority.SAMPLE)).isFalse();
        // 2 s later a token is there, and "gone" (silent for LIVE_MIN_MS) still holds the line
        now.set(t0 + ModelBudget.LIVE_MIN_MS);
        assertThat(b.request("here", Priority.SAMPLE)).isFalse();
        // past the liveness window it no longer does, though it keeps its place
        now.set(t0 + ModelBudget.LIVE_MIN_MS + 500);
        assertThat(b.request("here", Priority.SAMPLE)).isTrue();
        assertThat(b.owedStreams()).isEqualTo(1);
        b.forget("gone");
        assertThat(b.owedStreams()).isZero();
    }

    @Test
    void aBudgetIsZeroOrAFiniteRate() {
        assertThatThrownBy(() -> budget(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("runsPerSecond").hasMessageContaining("-1");
        assertThatThrownBy(() -> budget(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> budget(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }
}
