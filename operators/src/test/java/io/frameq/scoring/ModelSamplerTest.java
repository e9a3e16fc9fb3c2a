package io.frameq.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.frameq.detect.Degradation;

import org.junit.jupiter.api.Test;

class ModelSamplerTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final Set<Degradation> CLEAN = Set.of();
    private static final Set<Degradation> DARK = EnumSet.of(Degradation.DARK);
    private static final Set<Degradation> DARK_NOISY = EnumSet.of(Degradation.DARK, Degradation.NOISE);

    /** Every 30 s of capture time, gaps over 10 s, repeated suspects every 5 s. */
    private static final ModelSampling EVERY_30S = new ModelSampling(30_000, 0, 10_000, 5_000);

    private static ModelSampler sampler(ModelSampling s) {
        return new ModelSampler(new ModelSamplingPolicy(s, Map.of()));
    }

    @Test
    void aCleanOneFpsCameraRunsTheModelOnItsFirstFrameThenEvery30Seconds() {
        ModelSampler sampler = sampler(EVERY_30S);
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ModelDecision d = sampler.decide("cam-1", T0 + i * 1000L, CLEAN, false, false);
            if (d.run()) {
                ran.add(i);
            } else {
                assertThat(d.skipped()).isEqualTo(ModelDecision.SAMPLED_OUT);
            }
        }
        int phase = (int) ModelSampler.phaseMs("cam-1", EVERY_30S) / 1000;
        int second = (30_000 - (int) ModelSampler.phaseMs("cam-1", EVERY_30S) + 999) / 1000;
        assertThat(phase).isBetween(0, 29);
        assertThat(ran).containsExactly(0, second, second + 30, second + 60);
    }

    @Test
    void camerasStartedTogetherSpreadTheirSamplesOverTheInterval() {
        ModelSampler sampler = sampler(EVERY_30S);
        int[] runsPerSecond = new int[30];
        for (int t = 0; t < 90; t++) {
            for (int c = 0; c < 300; c++) {
                if (sampler.decide("cam-" + c, T0 + t * 1000L, CLEAN, false, false).run() && t >= 30 && t < 60) {
                    runsPerSecond[t - 30]++;
                }
            }
        }
        // 300 cameras every 30 s: 10 a second on average; all 300 in one second without the phase
        assertThat(java.util.Arrays.stream(runsPerSecond).sum()).isEqualTo(300);
        assertThat(java.util.Arrays.stream(runsPerSecond).max().orElseThrow()).isLessThan(25);
    }

    @Test
    void theFirstFrameSaysWhyAndTheDueOneToo() {
        ModelSampler sampler = sampler(EVERY_30S);
        assertThat(sampler.decide("cam-1", T0, CLEAN, false, false)).isEqualTo(new ModelDecision(true, ModelDecision.FIRST));
        assertThat(sampler.decide("cam-1", T0 + 30_000, CLEAN, false, false).because()).isEqualTo(ModelDecision.GAP);
        assertThat(sampler.decide("cam-1", T0 + 31_000, CLEAN, false, false).because()).isEqualTo(ModelDecision.SAMPLED_OUT);
        assertThat(sampler.decide("cam-1", T0 + 60_000, CLEAN, false, false).because()).isEqualTo(ModelDecision.GAP);
        for (long t = 61_000; t < 100_000; t += 1000) {
            ModelDecision d = sampler.decide("cam-1", T0 + t, CLEAN, false, false);
            if (d.run()) {
                assertThat(d.because()).isEqualTo(ModelDecision.SAMPLED);
                return;
            }
        }
        throw new AssertionError("no sampled run within 40 s of a 30 s sampling");
    }

    @Test
    void everyNthFrameWhenSampledByFrames() {
        ModelSampler sampler = sampler(new ModelSampling(0, 5, 0, 1_000));
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            if (sampler.decide("cam-1", T0 + i * 40L, CLEAN, false, false).run()) {
                ran.add(i);
            }
        }
        assertThat(ran).containsExactly(0, 5, 10, 15);
    }

    @Test
    void theDefaultPolicyRunsTheModelOnEveryFrame() {
        ModelSampler sampler = new ModelSampler(ModelSamplingPolicy.EVERY_FRAME);
        for (int i = 0; i < 50; i++) {
            assertThat(sampler.decide("cam-1", T0 + i * 33L, CLEAN, false, false).run()).as("frame %d", i).isTrue();
        }
    }

    @Test
    void aNewFlagOrDeviationRunsTheModelAtOnce() {
        ModelSampler sampler = sampler(EVERY_30S);
        sampler.decide("cam-1", T0, CLEAN, false, false);
        assertThat(sampler.decide("cam-1", T0 + 1000, CLEAN, false, false).run()).isFalse();
        assertThat(sampler.decide("cam-1", T0 + 2000, DARK, false, false)).isEqualTo(new ModelDecision(true, ModelDecision.SUSPECT));
        assertThat(sampler.decide("cam-1", T0 + 2100, DARK_NOISY, false, false).run()).as("a new reason").isTrue();
        assertThat(sampler.decide("cam-1", T0 + 2200, CLEAN, false, false).run()).as("clean again, not due").isFalse();
        assertThat(sampler.decide("cam-1", T0 + 2300, CLEAN, true, false)).as("a baseline deviation without flag")
                .isEqualTo(new ModelDecision(true, ModelDecision.SUSPECT));
    }

    @Test
    void aFlickeringFlagIsNotNewEachTimeItComesBack() {
        ModelSampler sampler = sampler(EVERY_30S);
        sampler.decide("cam-1", T0, CLEAN, false, false);
        assertThat(sampler.decide("cam-1", T0 + 1000, DARK, false, false).run()).isTrue();
        assertThat(sampler.decide("cam-1", T0 + 2000, CLEAN, false, false).run()).isFalse();
        assertThat(sampler.decide("cam-1", T0 + 3000, DARK, false, false).run()).as("back within 5 s").isFalse();
        assertThat(sampler.decide("cam-1", T0 + 4000, CLEAN, false, false).run()).isFalse();
        assertThat(sampler.decide("cam-1", T0 + 5000, DARK, false, false).run()).as("still within 5 s").isFalse();
        assertThat(sampler.decide("cam-1", T0 + 6000, CLEAN, false, false).run()).isFalse();
        assertThat(sampler.decide("cam-1", T0 + 7000, DARK, false, true).run()).as("back after a clean spell and 6 s, even late")
                .isTrue();
    }

    @Test
    void aStreamStuckOnTheSameFlagRunsTheModelOnlyEverySuspectInterval() {
        ModelSampler sampler = sampler(EVERY_30S);
        sampler.decide("cam-1", T0, CLEAN, false, false);
        List<Long> ran = new ArrayList<>();
        for (long t = 1000; t <= 20_000; t += 100) { // 10 fps, dark for 19 s
            if (sampler.decide("cam-1", T0 + t, DARK, false, false).run()) {
                ran.add(t);
            }
        }
        assertThat(ran).containsExactly(1000L, 6000L, 11_000L, 16_000L);
    }

    @Test
    void oneBusyCameraDoesNotTakeTheModelFromTheOthers() {
        // a 30 fps camera stuck on a flag beside ninety-nine clean 1 fps cameras, for one minute
        ModelSampler sampler = sampler(EVERY_30S);
        int busyRuns = 0;
        int quietRuns = 0;
        for (int ms = 0; ms < 60_000; ms += 33) {
            busyRuns += sampler.decide("busy", T0 + ms, DARK, false, false).run() ? 1 : 0;
            if (ms % 1000 < 33) {
                for (int c = 0; c < 99; c++) {
                    quietRuns += sampler.decide("cam-" + c, T0 + ms, CLEAN, false, false).run() ? 1 : 0;
                }
            }
        }
        assertThat(busyRuns).as("once at the flag, then every 5 s, not 30 per second").isEqualTo(12);
        assertThat(quietRuns).as("first frame plus one or two every 30 s each (the first interval is shortened by a phase)")
                .isBetween(99 * 2, 99 * 3);
    }

    @Test
    void aGapOrARestartRunsTheModel() {
        ModelSampler sampler = sampler(EVERY_30S);
        sampler.decide("cam-1", T0, CLEAN, false, false);
        assertThat(sampler.decide("cam-1", T0 + 5_000, CLEAN, false, false).run()).isFalse();
        assertThat(sampler.decide("cam-1", T0 + 16_000, CLEAN, false, false)).isEqualTo(new ModelDecision(true, ModelDecision.GAP));
        ModelSampler restarted = sampler(EVERY_30S);
        assertThat(restarted.decide("cam-1", T0 + 17_000, CLEAN, false, false).because()).isEqualTo(ModelDecision.FIRST);
    }

    @Test
    void overloadShedsDueSamplesAndRepeatedSuspectsButNotNewSuspects() {
        ModelSampler sampler = sampler(new ModelSampling(0, 1, 0, 1_000));
        assertThat(sampler.decide("cam-1", T0, CLEAN, false, true).because()).as("first frames run even late")
                .isEqualTo(ModelDecision.FIRST);
        assertThat(sampler.decide("cam-1", T0 + 40, CLEAN, false, true)).isEqualTo(new ModelDecision(false, ModelDecision.SHED));
        assertThat(sampler.decide("cam-1", T0 + 80, DARK, false, true).run()).as("a new suspect").isTrue();
        assertThat(sampler.decide("cam-1", T0 + 2000, DARK, false, true).skipped()).as("a repeated one, late")
                .isEqualTo(ModelDecision.SHED);
        assertThat(sampler.decide("cam-1", T0 + 2040, CLEAN, false, false).run()).as("the stream stayed due").isTrue();
    }

    @Test
    void silentStreamsAreForgottenAndStartAfresh() {
        ModelSampler sampler = sampler(EVERY_30S);
        sampler.decide("old", T0, CLEAN, false, false);
        sampler.decide("live", T0 + 60_000, CLEAN, false, false);
        assertThat(sampler.forgetStreamsSilentSince(T0 + 30_000)).isEqualTo(1);
        assertThat(sampler.streamCount()).isEqualTo(1);
        assertThat(sampler.decide("old", T0 + 61_000, CLEAN, false, false).because()).isEqualTo(ModelDecision.FIRST);
        assertThat(sampler.decide("live", T0 + 61_000, CLEAN, false, false).run()).isFalse();
    }

    @Test
    void perStreamOverridesWin() {
        ModelSampler sampler = new ModelSampler(new ModelSamplingPolicy(EVERY_30S,
                Map.of("gate", new ModelSampling(0, 1, 10_000, 5_000))));
        sampler.decide("gate", T0, CLEAN, false, false);
        sampler.decide("lot", T0, CLEAN, false, false);
        assertThat(sampler.decide("gate", T0 + 1000, CLEAN, false, false).run()).isTrue();
        assertThat(sampler.decide("lot", T0 + 1000, CLEAN, false, false).run()).isFalse();
        assertThat(sampler.streamCount()).isEqualTo(2);
    }

    /** 100 cameras at 1 fps starting in the same second, every 30 s, a budget of 4 runs/s on a clock that follows capture time. */
    @Test
    void aFleetStartingTogetherUnderABudgetGetsEveryFirstRunLaterAndNeverMoreThanTheBudget() {
        long[] clock = {T0};
        ModelBudget budget = new ModelBudget(4, () -> clock[0]);
        ModelSampler sampler = new ModelSampler(new ModelSamplingPolicy(EVERY_30S, Map.of()), budget);
        Map<String, Integer> firstRunAt = new java.util.HashMap<>();
        Map<String, List<Integer>> runs = new java.util.HashMap<>();
        int[] runsPerSecond = new int[120];
        for (int t = 0; t < 120; t++) {
            for (int c = 0; c < 100; c++) {
                long capture = T0 + t * 1000L + c * 10L;
                clock[0] = capture;
                ModelDecision d = sampler.decide("cam-" + c, capture, CLEAN, false, false);
                if (d.run()) {
                    runsPerSecond[t]++;
                    runs.computeIfAbsent("cam-" + c, k -> new ArrayList<>()).add(t);
                    if (ModelDecision.FIRST.equals(d.because())) {
                        assertThat(firstRunAt.put("cam-" + c, t)).as("cam-%d: one first run", c).isNull();
                    }
                } else if (!firstRunAt.containsKey("cam-" + c)) {
                    assertThat(d.skipped()).as("cam-%d at %d s: its first run deferred, not sampled out", c, t)
                            .isEqualTo(ModelDecision.BUDGET);
                }
            }
        }
        assertThat(firstRunAt).as("every camera's first run happened, none lost").hasSize(100);
        assertThat(runsPerSecond[0]).as("the bucket: two seconds' worth at once").isEqualTo(8);
        for (int from = 0; from < 120; from++) {
            for (int to = from + 1; to <= 120; to++) {
                // (the last frame of a second is at +990 ms: a window of w seconds spans at most w s of the clock)
                assertThat(java.util.Arrays.stream(runsPerSecond, from, to).sum()).as("seconds %d..%d", from, to)
                        .isLessThanOrEqualTo(4 * (to - from) + 8);
            }
        }
        assertThat(firstRunAt.values().stream().mapToInt(Integer::intValue).max().orElseThrow())
                .as("100 first runs at 4/s after the bucket's 8: done within ~25 s").isBetween(22, 25);
        // afterwards one run per camera per 30 s (3.3/s), within the budget
        int steady = java.util.Arrays.stream(runsPerSecond, 60, 120).sum();
        assertThat(steady).isBetween(190, 210);
        for (List<Integer> r : runs.values()) {
            for (int i = 2; i < r.size(); i++) {
                assertThat(r.get(i) - r.get(i - 1)).as("a camera's samples, once its phase is past: 30 s apart (+ budget)")
                        .isBetween(30, 33);
            }
        }
    }

    @Test
    void aDeferredSuspectIsKeptAndRunsOnALaterFrameEvenIfThatOneIsClean() {
        long[] clock = {T0};
        ModelBudget budget = new ModelBudget(0.5, () -> clock[0]); // one run banked, then one every 2 s
        ModelSampler sampler = new ModelSampler(new ModelSamplingPolicy(EVERY_30S, Map.of()), budget);
        assertThat(sampler.decide("other", T0, CLEAN, false, false).run()).isTrue(); // spends the bucket
        assertThat(sampler.decide("cam-1", T0, CLEAN, false, false).skipped()).isEqualTo(ModelDecision.BUDGET);
        clock[0] = T0 + 1000;
        assertThat(sampler.decide("cam-1", T0 + 1000, DARK, false, false).skipped()).isEqualTo(ModelDecision.BUDGET);
        clock[0] = T0 + 2000;
        ModelDecision d = sampler.decide("cam-1", T0 + 2000, CLEAN, false, true);
        assertThat(d.run()).as("owed, late and clean: still runs").isTrue();
        assertThat(d.because()).as("the more urgent of what it was owed").isEqualTo(ModelDecision.SUSPECT);
        assertThat(budget.owedStreams()).isZero();
        clock[0] = T0 + 3000;
        assertThat(sampler.decide("cam-1", T0 + 3000, CLEAN, false, false).skipped()).as("paid: sampled again")
                .isEqualTo(ModelDecision.SAMPLED_OUT);
    }

    @Test
    void aSuspectGoesBeforeTheFirstFramesOfAStartingFleet() {
        long[] clock = {T0};
        ModelBudget budget = new ModelBudget(1, () -> clock[0]);
        ModelSampler sampler = new ModelSampler(new ModelSamplingPolicy(EVERY_30S, Map.of()), budget);
        sampler.decide("old", T0, CLEAN, false, false); // known, its first run done
        for (int c = 0; c < 20; c++) { // a fleet starts: 2 first runs at once, 18 owed
            sampler.decide("cam-" + c, T0 + c, CLEAN, false, false);
        }
        clock[0] = T0 + 500;
        assertThat(sampler.decide("old", T0 + 500, DARK, false, false).skipped()).isEqualTo(ModelDecision.BUDGET);
        // the next token (at +1 s) goes to the suspect, though 18 first frames were owed longer and ask before it
        clock[0] = T0 + 1100;
        for (int c = 0; c < 20; c++) {
            assertThat(sampler.decide("cam-" + c, T0 + 1100, CLEAN, false, false).run()).as("cam-%d", c).isFalse();
        }
        assertThat(sampler.decide("old", T0 + 1100, DARK, false, false).because()).isEqualTo(ModelDecision.SUSPECT);
    }

    @Test
    void aForgottenStreamOwesNothing() {
        long[] clock = {T0};
        ModelBudget budget = new ModelBudget(0.5, () -> clock[0]);
        ModelSampler sampler = new ModelSampler(new ModelSamplingPolicy(EVERY_30S, Map.of()), budget);
        sampler.decide("a", T0, CLEAN, false, false);
        sampler.decide("b", T0, CLEAN, false, false);
        assertThat(budget.owedStreams()).isEqualTo(1);
        assertThat(sampler.forgetStreamsSilentSince(T0 + 1)).isEqualTo(2);
        assertThat(budget.owedStreams()).isZero();
    }

    @Test
    void invalidSamplingIsRefusedNamingEveryProblem() {
        assertThatThrownBy(() -> new ModelSampling(0, 0, -1, -2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("everyMs and everyFrames: expected at least one above 0")
                .hasMessageContaining("gapMs: expected 0 (never) or more ms, actual -1")
                .hasMessageContaining("suspectMinIntervalMs: expected 0 or more ms, actual -2");
        assertThatThrownBy(() -> new ModelSampling(-5, 1, 0, 0)).hasMessageContaining("everyMs: expected 0 (off) or more ms, actual -5");
    }
}
