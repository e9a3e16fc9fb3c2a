package io.frameq.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;

import io.frameq.detect.Degradation;
import io.frameq.detect.DetectorReadings;
import io.frameq.detect.DetectorReport;
import io.frameq.detect.DetectorSuite;
import io.frameq.detect.Fault;
import io.frameq.detect.FaultType;

import org.junit.jupiter.api.Test;

class BaselineJudgeTest {

    private static final BaselineSettings SETTINGS = BaselineSettings.DEFAULTS;
    private final BaselineJudge judge = new BaselineJudge(SETTINGS);
    private final StreamBaseline stream = new StreamBaseline(SETTINGS.capacity());
    private final byte[] scene = Scenes.blobs(1);
    private long clock;
    private long stepMs = 1000;

    @Test
    void aBrightSkyThatIsTheCamerasNormalIsNotOverexposedButAFlareBeyondItIs() {
        for (int i = 0; i < 20; i++) {
            Judgement j = next(readings(400, 0.20 + 0.01 * (i % 3), 40), EnumSet.of(Degradation.OVEREXPOSED), Scenes.noisy(scene, i));
            assertThat(j.flags()).as("frame %d", i).isEmpty();
            assertThat(j.suppressed()).contains(Degradation.OVEREXPOSED);
        }
        Judgement flare = next(readings(400, 0.55, 40), EnumSet.of(Degradation.OVEREXPOSED), Scenes.noisy(scene, 99));
        assertThat(flare.flags()).containsExactly(Degradation.OVEREXPOSED);
        assertThat(flare.deviations()).extracting(Judgement.Deviation::reading).contains("clipped_bright");
    }

    @Test
    void whileWarmingUpOnlyBlackFires() {
        Judgement blur = next(readings(5, 0, 40), EnumSet.of(Degradation.BLUR), scene);
        assertThat(blur.warmingUp()).isTrue();
        assertThat(blur.flags()).isEmpty();
        Judgement black = next(readings(0, 0, 1), EnumSet.of(Degradation.BLACK), new byte[DetectorSuite.THUMBNAIL_LENGTH]);
        assertThat(black.flags()).containsExactly(Degradation.BLACK);
    }

    /**
     * A camera is covered or turned in its first seconds as often as later (real tamper clips last a few seconds): a
     * mode warms up from samples {@code warmupIntervalMs} apart, then samples at the normal interval.
     */
    @Test
    void aModeWarmsUpFrom200MsSamplesAndThenSamplesOnceASecond() {
        stepMs = 100;
        Judgement last = null;
        for (int i = 0; i < 15; i++) { // 1.5 s of a clean camera: samples at 0.1, 0.3, ... 1.5 s
            last = next(readings(400 + (i % 3) * 5, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, i));
        }
        assertThat(stream.samples(SceneMode.DAY)).isEqualTo(SETTINGS.warmupSamples());
        assertThat(last.warmingUp()).as("the frame that completed the warm-up").isTrue();
        assertThat(next(readings(405, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 16)).warmingUp())
                .as("1.6 s after the camera came on").isFalse();
        for (int i = 0; i < 9; i++) { // to 2.5 s: one more sample, 1 s after the last one
            next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 17 + i));
        }
        assertThat(stream.samples(SceneMode.DAY)).isEqualTo(SETTINGS.warmupSamples() + 1);
        assertThat(next(readings(12, 0.0, 6), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 30)).flags())
                .as("covered 2.6 s after the camera came on").contains(Degradation.COVERED);
    }

    @Test
    void theWarmUpSamplesNoSlowerThanTheSamplesAfterIt() {
        assertThat(SETTINGS.intervalAfter(0)).isEqualTo(BaselineSettings.DEFAULT_WARMUP_INTERVAL_MS);
        assertThat(SETTINGS.intervalAfter(SETTINGS.warmupSamples())).isEqualTo(SETTINGS.sampleIntervalMs());
        assertThat(new BaselineSettings(true, 100, 300, 8, 5.0, 0.3, 2_000, 3, 0.5, 0).intervalAfter(0)).isEqualTo(100);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BaselineSettings(true, 100, 300, 8, 5.0, 0.3, 2_000, 3,
                        0.5, 0, java.util.List.of(), 500))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warmupIntervalMs");
    }

    @Test
    void aRepeatedFrameIsNotFrozenButAPictureUnchangedForTwoSecondsIs() {
        warmUp();
        stepMs = 250;
        assertThat(next(readings(400, 0.01, 40), EnumSet.of(Degradation.FROZEN), scene).flags()).isEmpty();
        assertThat(next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 5)).flags()).isEmpty();
        Set<Degradation> last = Set.of();
        for (int i = 0; i < 12; i++) { // 250 ms apart: 2.75 s
            last = next(readings(400, 0.01, 40), EnumSet.of(Degradation.FROZEN), scene).flags();
        }
        assertThat(last).containsExactly(Degradation.FROZEN);
    }

    @Test
    void aCameraTurnedToAnotherViewIsMovedOnItsThirdFrameButBusyTrafficIsNot() {
        warmUp();
        for (int i = 0; i < 30; i++) {
            byte[] busy = Scenes.noisy(scene, 100 + i);
            paintBlock(busy, 10 + i, 12, 14, 10, (byte) (40 + 5 * i)); // a vehicle passing
            assertThat(next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), busy).flags()).as("busy frame %d", i).isEmpty();
        }
        byte[] elsewhere = Scenes.blobs(2);
        Judgement first = next(readings(380, 0.01, 38), EnumSet.noneOf(Degradation.class), elsewhere);
        long leftViewAt = clock;
        assertThat(first.flags()).isEmpty();
        assertThat(first.movedSinceMs()).isEqualTo(Long.MIN_VALUE);
        assertThat(judge.movedFault(first, report(readings(380, 0.01, 38), Set.of(), elsewhere))).isNull();
        assertThat(next(readings(380, 0.01, 38), EnumSet.noneOf(Degradation.class), Scenes.noisy(elsewhere, 1)).flags()).isEmpty();
        Judgement third = next(readings(380, 0.01, 38), EnumSet.noneOf(Degradation.class), Scenes.noisy(elsewhere, 2));
        assertThat(third.flags()).containsExactly(Degradation.MOVED);
        assertThat(third.sceneMatch()).isLessThan(SETTINGS.movedBelowMatch());
        // Confirmed on the third frame, but the camera left its view on the first: alerts count from there.
        assertThat(third.movedSinceMs()).isEqualTo(leftViewAt).isLessThan(clock);
        Fault moved = judge.movedFault(third, report(readings(380, 0.01, 38), Set.of(), elsewhere));
        assertThat(moved.type()).isEqualTo(FaultType.MOVED);
        assertThat(moved.sinceMs()).isEqualTo(leftViewAt);
        assertThat(moved.confidence()).isBetween(0.5, 1.0);

        // Hysteresis: one frame that lines up with the old view does not end it; three in a row do.
        assertThat(next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 3)).flags()).containsExactly(Degradation.MOVED);
        assertThat(next(readings(380, 0.01, 38), EnumSet.noneOf(Degradation.class), Scenes.noisy(elsewhere, 4)).flags()).containsExactly(Degradation.MOVED);
        for (int i = 0; i < 2; i++) {
            assertThat(next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 5 + i)).flags()).containsExactly(Degradation.MOVED);
        }
        assertThat(next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 8)).flags()).as("back on its view").isEmpty();
    }

    /**
     * A camera turned by hand pans for the best part of a second before its view no longer matches its reference: the
     * move counts from when the view began to shift, so the tamper alert is not a second late.
     */
    @Test
    void aTurnCountsFromWhenTheViewBeganToMove() {
        warmUp();
        stepMs = 200;
        for (int i = 0; i < 10; i++) { // 2 s of the normal view at 5 frames/s
            next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 200 + i));
        }
        long movingFrom = clock + stepMs;
        long offFrom = Long.MIN_VALUE;
        Judgement last = null;
        for (int k = 1; k <= 10; k++) { // a pan of 6 thumbnail pixels per frame, then the new view holds still
            last = next(readings(390, 0.01, 39), EnumSet.noneOf(Degradation.class),
                    Scenes.noisy(shifted(scene, 6 * Math.min(k, 6)), 300 + k));
            if (offFrom == Long.MIN_VALUE && !last.deviations().isEmpty()) {
                offFrom = clock;
            }
        }
        assertThat(last.flags()).containsExactly(Degradation.MOVED);
        assertThat(offFrom).as("the view left its reference after it began to move").isGreaterThan(movingFrom);
        assertThat(last.movedSinceMs()).isEqualTo(movingFrom);
    }

    /** The view panned by {@code dx} thumbnail pixels, its edge repeated. */
    private static byte[] shifted(byte[] view, int dx) {
        int w = DetectorSuite.THUMBNAIL_WIDTH;
        byte[] out = new byte[view.length];
        for (int i = 0; i < view.length; i++) {
            int x = i % w;
            out[i] = view[i - x + Math.min(w - 1, x + dx)];
        }
        return out;
    }

    /**
     * In its first seconds a camera's match against a reference only seconds old has no known spread: a view that
     * half matches (a busy scene's people and cars moved on) is not moved then, a view that hardly matches (turned
     * away) is, within a second of the turn.
     */
    @Test
    void inItsFirstSecondsOnlyAViewThatHardlyMatchesIsMoved() {
        stepMs = 200;
        for (int i = 0; i < 10; i++) { // 2 s: warm, the match learnt twice
            next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, i));
        }
        byte[] half = Scenes.noisy(scene, 20);
        byte[] other = stripes();
        for (int y = 0; y < DetectorSuite.THUMBNAIL_HEIGHT; y++) {
            System.arraycopy(other, y * DetectorSuite.THUMBNAIL_WIDTH, half, y * DetectorSuite.THUMBNAIL_WIDTH,
                    DetectorSuite.THUMBNAIL_WIDTH / 2);
        }
        for (int i = 0; i < 5; i++) {
            Judgement j = next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(half, 30 + i));
            assertThat(j.sceneMatch()).isGreaterThan(BaselineJudge.YOUNG_MOVED_BELOW_MATCH);
            assertThat(j.flags()).as("half the view changed, frame %d", i).doesNotContain(Degradation.MOVED);
        }
        Judgement turned = null;
        for (int i = 0; i < 5; i++) {
            turned = next(readings(380, 0.01, 38), EnumSet.noneOf(Degradation.class), Scenes.noisy(other, 40 + i));
        }
        assertThat(turned.sceneMatch()).isLessThan(BaselineJudge.YOUNG_MOVED_BELOW_MATCH);
        assertThat(turned.flags()).as("turned away 3 s after coming on").contains(Degradation.MOVED);
    }

    /**
     * A camera whose first seconds shook (its few match values spread from 0.5 to 1) and which is then turned away:
     * the move holds until the view matches again, through the end of the match's young phase, rather than ending on
     * the next frames because that early spread swallows every later deviation.
     */
    @Test
    void aMoveInACamerasFirstSecondsHoldsUntilTheViewMatchesAgain() {
        for (int i = 0; i < 8; i++) { // one frame a second: readings and match learnt on each
            byte[] view = Scenes.noisy(scene, i);
            paintBlock(view, 0, 0, 6 * i, 24, (byte) 200); // ever more of the view hidden: a truck parking close by
            Judgement j = next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), view);
            assertThat(j.flags()).isEmpty();
        }
        assertThat(stream.median(SceneMode.DAY, ModeBaseline.SCENE_MATCH)).isLessThan(0.95);
        stepMs = 200;
        for (int i = 0; i < 50; i++) { // 10 s turned away
            Judgement j = next(readings(380, 0.01, 38), EnumSet.noneOf(Degradation.class), Scenes.noisy(stripes(), 60 + i));
            if (i >= 3) {
                assertThat(j.flags()).as("turned away, frame %d", i).contains(Degradation.MOVED);
            }
        }
        for (int i = 0; i < 4; i++) {
            next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 120 + i));
        }
        assertThat(next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 130)).flags())
                .as("back on its view").doesNotContain(Degradation.MOVED);
    }

    /**
     * Turned in its first seconds onto a view that shares a little with the old one (a car park's next rows): the
     * match is now 0, now a quarter, above the first seconds' floor of 0.2 every third frame. The run goes on while
     * the match stays collapsed, and the new view is not learnt meanwhile.
     */
    @Test
    void inItsFirstSecondsATurnOntoASimilarViewHoldsWhileItsMatchStaysCollapsed() {
        stepMs = 200;
        for (int i = 0; i < 10; i++) {
            next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, i));
        }
        byte[] mostlyOther = stripes();
        int w = DetectorSuite.THUMBNAIL_WIDTH;
        for (int y = 0; y < DetectorSuite.THUMBNAIL_HEIGHT; y++) { // the old view's right quarter still in sight
            System.arraycopy(scene, y * w + 3 * w / 4, mostlyOther, y * w + 3 * w / 4, w / 4);
        }
        Judgement j = null;
        for (int i = 0; i < 15; i++) { // 3 s
            byte[] view = i % 3 == 2 ? mostlyOther : stripes();
            j = next(readings(380, 0.01, 38), EnumSet.noneOf(Degradation.class), Scenes.noisy(view, 40 + i));
            if (i % 3 == 2) {
                assertThat(j.sceneMatch()).as("frame %d", i).isBetween(BaselineJudge.YOUNG_MOVED_BELOW_MATCH, 0.35);
            }
        }
        assertThat(j.flags()).as("turned 2 s after coming on, 3 s ago").contains(Degradation.MOVED);
    }

    /**
     * A crowd drifting over a busy scene in its first seconds takes the match down as low, but the camera is never
     * seen moving (each frame matches the one before it): the first seconds' floor of 0.2 still holds for it.
     */
    @Test
    void inItsFirstSecondsACrowdDriftingOverTheViewIsNotATurn() {
        stepMs = 200;
        for (int i = 0; i < 10; i++) {
            next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, i));
        }
        int w = DetectorSuite.THUMBNAIL_WIDTH;
        for (int i = 0; i < 20; i++) { // the crowd spreads 5 px a frame until it hides nearly all of the view
            int hidden = i < 12 ? 5 * (i + 1) : i % 2 == 0 ? w - 4 : w - 12;
            byte[] view = Scenes.noisy(scene, 60 + i);
            byte[] crowd = stripes();
            for (int y = 0; y < DetectorSuite.THUMBNAIL_HEIGHT; y++) {
                System.arraycopy(crowd, y * w, view, y * w, hidden);
            }
            Judgement j = next(readings(390, 0.01, 39), EnumSet.noneOf(Degradation.class), view);
            assertThat(j.flags()).as("crowd frame %d, match %.2f", i, j.sceneMatch()).doesNotContain(Degradation.MOVED);
        }
    }

    /**
     * A sparse view that passing vehicles often hide: its match spreads so widely that no value lies beyond the
     * spread. A view whose match collapses is still moved once it has stayed so for longer than a vehicle takes to
     * pass (1.5 s), and the move counts from when it left the view.
     */
    @Test
    void aSparseViewWhoseMatchSpreadsWidelyIsMovedWhenItsMatchCollapsesForLongerThanAVehiclePasses() {
        for (int i = 0; i < 20; i++) { // one frame a second; every other one half hidden by a passing vehicle
            byte[] view = Scenes.noisy(scene, i);
            if (i % 2 == 1) {
                paintBlock(view, 0, 0, 24 + 2 * (i % 5), DetectorSuite.THUMBNAIL_HEIGHT, (byte) 200);
            }
            assertThat(next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), view).flags()).isEmpty();
        }
        stepMs = 200;
        for (int i = 0; i < 5; i++) { // a truck fills the view for a second
            Judgement j = next(readings(380, 0.01, 38), EnumSet.noneOf(Degradation.class), Scenes.noisy(stripes(), 30 + i));
            assertThat(j.flags()).as("truck passing, frame %d", i).doesNotContain(Degradation.MOVED);
        }
        for (int i = 0; i < 5; i++) {
            next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 40 + i));
        }
        Judgement turned = null;
        long leftAt = clock + stepMs;
        for (int i = 0; i < 10; i++) { // turned away for 2 s
            turned = next(readings(380, 0.01, 38), EnumSet.noneOf(Degradation.class), Scenes.noisy(stripes(), 50 + i));
        }
        assertThat(turned.flags()).as("turned away for 2 s").contains(Degradation.MOVED);
        assertThat(turned.movedSinceMs()).isLessThanOrEqualTo(leftAt);
    }

    /**
     * Something drawing slowly across the view hides it frame by frame (here a slow dissolve into another picture),
     * every frame like the one before: the camera was never seen moving, so the view is not moved until it has
     * stayed hidden for longer than a slow crossing takes (a car over a sparse car park: 2.2 s).
     */
    @Test
    void aViewHiddenGraduallyWithoutTheCameraMovingIsNotMovedUntilItStaysHidden() {
        warmUp();
        stepMs = 200;
        int frames = 16; // hidden over 1 s, gone again by 3.2 s: off its reference for about 2.6 s
        for (int i = 0; i < frames; i++) {
            double hidden = Math.min(1, Math.min(i + 1, frames - i) / 5.0);
            Judgement j = next(readings(390, 0.01, 39), EnumSet.noneOf(Degradation.class),
                    Scenes.noisy(dissolve(scene, stripes(), hidden), 60 + i));
            assertThat(j.flags()).as("drawing across, frame %d", i).doesNotContain(Degradation.MOVED);
        }
        for (int i = 0; i < 10; i++) {
            next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 90 + i));
        }
        Judgement stays = null;
        for (int i = 0; i < 25; i++) { // hidden over 1 s, then staying
            stays = next(readings(390, 0.01, 39), EnumSet.noneOf(Degradation.class),
                    Scenes.noisy(dissolve(scene, stripes(), Math.min(1, (i + 1) / 5.0)), 100 + i));
        }
        assertThat(stays.flags()).as("hidden for 4 s").contains(Degradation.MOVED);
    }

    private static byte[] dissolve(byte[] from, byte[] to, double t) {
        byte[] out = new byte[from.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Math.round((1 - t) * (from[i] & 0xff) + t * (to[i] & 0xff));
        }
        return out;
    }

    /** A wall of narrow stripes: nothing of the scene. */
    private static byte[] stripes() {
        byte[] other = new byte[DetectorSuite.THUMBNAIL_LENGTH];
        for (int i = 0; i < other.length; i++) {
            other[i] = (byte) ((i % DetectorSuite.THUMBNAIL_WIDTH) / 3 % 2 == 0 ? 60 : 190);
        }
        return other;
    }

    /**
     * Frames judged in the other mode split a run off the view: back in its mode, the run counts from the return, so
     * an alert cannot reach back over frames that were never judged against this view (a car park flickering into
     * IR mode while cars pass).
     */
    @Test
    void aMoveInterruptedByTheOtherModeCountsFromTheReturn() {
        warmUp();
        byte[] elsewhere = Scenes.blobs(2);
        for (int i = 0; i < 3; i++) {
            clock += stepMs;
            judge.judge(stream, report(readings(380, 0.01, 38), Set.of(), Scenes.noisy(elsewhere, i)), false, clock);
        }
        Judgement moved = judgeDay(elsewhere, 3);
        assertThat(moved.flags()).containsExactly(Degradation.MOVED);
        assertThat(moved.movedSinceMs()).isLessThan(clock - 2 * stepMs);
        for (int i = 0; i < 2; i++) {
            clock += stepMs;
            Judgement night = judge.judge(stream, report(readings(380, 0.01, 38), Set.of(), Scenes.noisy(elsewhere, 4 + i)), true, clock);
            assertThat(night.mode()).isEqualTo(SceneMode.NIGHT);
        }
        Judgement back = judgeDay(elsewhere, 6);
        assertThat(back.flags()).containsExactly(Degradation.MOVED);
        assertThat(back.movedSinceMs()).as("no earlier than the return").isIn(Long.MIN_VALUE, clock);
    }

    private Judgement judgeDay(byte[] view, int seed) {
        clock += stepMs;
        return judge.judge(stream, report(readings(380, 0.01, 38), Set.of(), Scenes.noisy(view, seed)), false, clock);
    }

    @Test
    void aSteerableCameraIsNeverMovedAndItsReferenceFollowsTheView() {
        BaselineSettings ptz = new BaselineSettings(true, 1_000, 300, 8, 5.0, 0.3, 2_000, 3, 0.5, 3_600_000, java.util.List.of("ptz-*"));
        assertThat(ptz.steerable("ptz-gate")).isTrue();
        assertThat(ptz.steerable("gate")).isFalse();
        assertThat(BaselineSettings.matches("cam-*-ptz", "cam-7-ptz")).isTrue();
        assertThat(BaselineSettings.matches("cam-*-ptz", "cam-7-ptz-2")).isFalse();
        assertThat(BaselineSettings.matches("a.b", "axb")).as("only * is special").isFalse();
        assertThat(BaselineSettings.matches("*", "")).isTrue();
        BaselineJudge steered = new BaselineJudge(ptz);
        for (int i = 0; i < 10; i++) {
            clock += stepMs;
            steered.judge(stream, report(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, i)),
                    SceneMode.DAY, clock, false);
        }
        byte[] elsewhere = Scenes.blobs(2);
        for (int i = 0; i < 40; i++) {
            clock += stepMs;
            Judgement j = steered.judge(stream, report(readings(380, 0.01, 38), EnumSet.noneOf(Degradation.class),
                    Scenes.noisy(elsewhere, i)), SceneMode.DAY, clock, false);
            assertThat(j.flags()).as("preset %d", i).isEmpty();
        }
        // the same baseline judged as a fixed camera: the reference has followed the new view
        clock += stepMs;
        assertThat(judge.judge(stream, report(readings(380, 0.01, 38), EnumSet.noneOf(Degradation.class), Scenes.noisy(elsewhere, 99)),
                SceneMode.DAY, clock).sceneMatch()).isGreaterThan(SETTINGS.movedBelowMatch());
    }

    @Test
    void aSharpCameraThatLosesFocusIsBlurredAgainstItsNormalWithoutCrossingTheFixedThreshold() {
        warmUp();
        Judgement soft = next(readings(60, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 7));
        assertThat(soft.flags()).as("15 % of its sharpness, all its contrast, the same view: lost focus")
                .containsExactlyInAnyOrder(Degradation.BLUR, Degradation.DEFOCUSED);
        assertThat(soft.deviations().get(0).normal()).isBetween(390.0, 410.0);
    }

    @Test
    void defocusedStandsOnlyWhereTheSharpnessFellBelowTheCamerasNormal() {
        warmUp();
        // An upscaled camera: the single-frame cue says defocused while the sharpness is the camera's usual.
        Judgement enlarged = next(readings(390, 0.01, 40), EnumSet.of(Degradation.DEFOCUSED), Scenes.noisy(scene, 30));
        assertThat(enlarged.flags()).isEmpty();
        assertThat(enlarged.suppressed()).contains(Degradation.DEFOCUSED);
        // Focus lost: the same cue with the sharpness at 60 % of the normal.
        Judgement lost = next(readings(240, 0.01, 40), EnumSet.of(Degradation.DEFOCUSED), Scenes.noisy(scene, 31));
        assertThat(lost.flags()).contains(Degradation.DEFOCUSED);
    }

    /**
     * A small or blocky picture can keep a steep step in some cells however far its focus went, so the single-frame
     * cue stays silent: against the camera's own normal, a sharpness collapsed on a view that still matches its reference
     * with its contrast kept is lost focus. Fog takes the contrast with it, and a soft moment is not a collapse.
     */
    @Test
    void lostFocusIsDefocusedAgainstTheCamerasNormalWhereTheSingleFrameCueIsSilent() {
        warmUp();
        Judgement lost = next(readings(25, 0.01, 34), EnumSet.of(Degradation.BLUR), Scenes.noisy(scene, 21));
        assertThat(lost.flags()).contains(Degradation.DEFOCUSED, Degradation.BLUR).doesNotContain(Degradation.COVERED);
        DetectorReport judged = judge.withJudgedFaults(lost, new DetectorReport(readings(25, 0.01, 34), lost.flags(), scene));
        assertThat(judged.fault(FaultType.DEFOCUSED)).as("the fault the event carries").isPresent();

        next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 22));
        Judgement veiled = next(readings(25, 0.01, 16), EnumSet.of(Degradation.BLUR), Scenes.noisy(scene, 23));
        assertThat(veiled.flags()).as("the contrast gone with the sharpness").doesNotContain(Degradation.DEFOCUSED);
        next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 24));
        Judgement soft = next(readings(200, 0.01, 38), EnumSet.of(Degradation.BLUR), Scenes.noisy(scene, 25));
        assertThat(soft.flags()).as("half the normal sharpness").doesNotContain(Degradation.DEFOCUSED);
    }

    @Test
    void aSheetOverTheLensIsCoveredAgainstTheCamerasNormalContrast() {
        warmUp();
        Judgement sheet = next(readings(12, 0.0, 6), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 9));
        assertThat(sheet.flags()).contains(Degradation.COVERED, Degradation.BLUR);
        // Fog is its own type: fogThatThickensOverManyFramesStaysFogNotCovered.
    }

    /**
     * Under a hand the camera's auto-exposure raises its gain: the amplified noise keeps the sharpness at its normal
     * and the contrast at a third of it, but the thumbnail, where noise averages out, shows a bare shading.
     */
    @Test
    void aCoverWhoseGainNoiseKeepsTheSharpnessIsCoveredByItsLostStructure() {
        warmUp();
        double floor = BaselineJudge.THUMBNAIL_DETAIL_FLOOR;
        assertThat(SceneMatch.detail(Scenes.shading(1)) - floor)
                .isLessThan(BaselineJudge.COARSE_DETAIL_LOST_SHARE * (SceneMatch.detail(stream.mode(SceneMode.DAY).reference) - floor));
        Judgement hand = next(readings(410, 0.0, 13), EnumSet.noneOf(Degradation.class), Scenes.shading(1));
        assertThat(hand.flags()).contains(Degradation.COVERED);
        assertThat(hand.deviations()).anySatisfy(d -> assertThat(d.reading()).isEqualTo("contrast"));

        // The same readings over the camera's own view (a dim scene, not a hidden one) are not covered, nor is the
        // shading with the contrast at its normal (a blank wall the scene never was, but one that keeps its range).
        assertThat(next(readings(410, 0.0, 13), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 70)).flags())
                .doesNotContain(Degradation.COVERED);
        assertThat(next(readings(410, 0.0, 38), EnumSet.noneOf(Degradation.class), Scenes.shading(2)).flags())
                .doesNotContain(Degradation.COVERED);
    }

    /**
     * As the gain climbs under a hand the covered picture turns grey and flat, which the single-frame rules can read
     * as fog. Fog rolls in over minutes, not between two frames: a camera already covered stays covered.
     */
    @Test
    void aCoverThatTheGainTurnsGreyStaysCoveredNotFog() {
        warmUp();
        assertThat(next(readings(410, 0.0, 13), EnumSet.noneOf(Degradation.class), Scenes.shading(1)).flags())
                .contains(Degradation.COVERED);
        Judgement grey = next(readings(410, 0.0, 13), EnumSet.of(Degradation.LOW_VISIBILITY), Scenes.shading(1));
        assertThat(grey.flags()).contains(Degradation.COVERED).doesNotContain(Degradation.LOW_VISIBILITY);
    }

    /**
     * A hand comes over the lens in half a second: the picture loses its sharpness before it is covered enough to say
     * so, and the cover counts from there (at most a second back), so the tamper alert is not two seconds late.
     */
    @Test
    void aCoverThatComesOnOverFramesCountsFromWhenTheSharpnessFell() {
        stepMs = 200;
        warmUpSlowly();
        next(readings(300, 0.01, 36), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 7)); // a finger at the edge
        long dimmedAt = clock + stepMs;
        assertThat(next(readings(150, 0.01, 30), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 8)).flags())
                .as("half the sharpness: not covered yet").doesNotContain(Degradation.COVERED);
        next(readings(60, 0.0, 20), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 9));
        Judgement covered = next(readings(12, 0.0, 6), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 10));
        assertThat(covered.flags()).contains(Degradation.COVERED);
        assertThat(covered.coveredSinceMs()).isEqualTo(dimmedAt);
        Judgement still = next(readings(11, 0.0, 6), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 11));
        assertThat(still.coveredSinceMs()).as("latched").isEqualTo(dimmedAt);
        DetectorReport judged = judge.withJudgedFaults(still, new DetectorReport(readings(11, 0.0, 6), still.flags(), scene));
        assertThat(judged.fault(FaultType.COVERED)).hasValueSatisfying(f -> assertThat(f.sinceMs()).isEqualTo(dimmedAt));

        // A camera soft for a long time that is then covered counts back one second at most.
        for (int i = 0; i < 20; i++) {
            next(readings(120, 0.01, 38), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 20 + i));
        }
        Judgement late = next(readings(12, 0.0, 6), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 40));
        assertThat(late.flags()).contains(Degradation.COVERED);
        assertThat(late.coveredSinceMs()).isEqualTo(clock - BaselineJudge.COVER_ONSET_MAX_MS);
    }

    private void warmUpSlowly() {
        for (int i = 0; i < 60; i++) { // samples are learnt once a second: 12 of them
            next(readings(400 + (i % 3) * 5, 0.01, 40 + i % 2), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 50 + i));
        }
    }

    @Test
    void aFilmOverTheLensIsCoveredButLostFocusIsNot() {
        warmUp();
        // Readings of the rendered film on a real day clip: the picture diffused (sharpness 0.1-0.2 % of normal,
        // contrast 45-52 %) and veiled (brighter); the single-frame rules say blur, sometimes fog. It comes on
        // between two frames.
        Judgement film = next(new DetectorReadings(1.1, 0.5, 150, 0, 0, 18, 1.0, 3.0), EnumSet.of(Degradation.BLUR),
                Scenes.noisy(scene, 11));
        assertThat(film.flags()).contains(Degradation.COVERED);
        Judgement held = next(new DetectorReadings(1.1, 0.5, 141, 0, 0, 20, 1.0, 3.0),
                EnumSet.of(Degradation.BLUR, Degradation.LOW_VISIBILITY), Scenes.noisy(scene, 12));
        assertThat(held.flags()).as("the film still on, read as fog by the single-frame rules").contains(Degradation.COVERED);
        // Lost focus: sharpness as low, but 80-90 % of the contrast.
        next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 13));
        Judgement soft = next(new DetectorReadings(1.8, 0.5, 108, 0, 0, 34, 1.0, 3.0), EnumSet.of(Degradation.BLUR),
                Scenes.noisy(scene, 14));
        assertThat(soft.flags()).contains(Degradation.BLUR).doesNotContain(Degradation.COVERED);
        // Focus lost as deep as the film's blur on a fine-textured view: 43 % of the contrast, but no veil.
        next(readings(400, 0.01, 40), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 15));
        Judgement deep = next(new DetectorReadings(0.5, 0.5, 106, 0, 0, 17, 1.0, 3.0),
                EnumSet.of(Degradation.BLUR, Degradation.LOW_VISIBILITY), Scenes.noisy(scene, 16));
        assertThat(deep.flags()).contains(Degradation.BLUR).doesNotContain(Degradation.COVERED);
    }

    @Test
    void fogThatThickensOverManyFramesStaysFogNotCovered() {
        warmUp();
        double sharpness = 400;
        double contrast = 40;
        Judgement last = null;
        for (int i = 0; i < 30; i++) {
            sharpness *= 0.8;
            contrast *= 0.97;
            last = next(readings(sharpness, 0, contrast), EnumSet.of(Degradation.LOW_VISIBILITY), Scenes.noisy(scene, 20 + i));
            assertThat(last.flags()).as("frame %d of the fog", i).doesNotContain(Degradation.COVERED);
        }
        assertThat(sharpness).isLessThan(0.01 * 400);
        assertThat(contrast).isLessThan(0.6 * 40);
    }

    @Test
    void faultyFramesAreNotLearntSoAFaultStaysAFault() {
        warmUp();
        for (int i = 0; i < 40; i++) {
            assertThat(next(readings(50, 0.01, 40), EnumSet.of(Degradation.BLUR), Scenes.noisy(scene, i)).flags())
                    .as("frame %d of a lasting blur", i).contains(Degradation.BLUR);
        }
        assertThat(stream.median(SceneMode.DAY, "sharpness")).isBetween(390.0, 410.0);
    }

    @Test
    void theBaselineSurvivesEncodingAndGarbageDecodesAsNothingLearnt() {
        warmUp();
        StreamBaseline restored = BaselineCodec.decode(BaselineCodec.encode(stream), SETTINGS.capacity());
        assertThat(restored.samples(SceneMode.DAY)).isEqualTo(stream.samples(SceneMode.DAY));
        assertThat(restored.median(SceneMode.DAY, "sharpness")).isEqualTo(stream.median(SceneMode.DAY, "sharpness"));
        // What the scene match learns next, and how young it is, follow the stream to another instance.
        assertThat(restored.mode(SceneMode.DAY).firstMatchSampleMs).isEqualTo(stream.mode(SceneMode.DAY).firstMatchSampleMs)
                .isNotEqualTo(Long.MIN_VALUE);
        assertThat(restored.mode(SceneMode.DAY).lastMatchSampleMs).isEqualTo(stream.mode(SceneMode.DAY).lastMatchSampleMs);
        Judgement j = judge.judge(restored, report(readings(400, 0.5, 40), EnumSet.of(Degradation.OVEREXPOSED), scene), SceneMode.DAY, clock + 1000);
        assertThat(j.warmingUp()).isFalse();
        assertThat(j.flags()).containsExactly(Degradation.OVEREXPOSED);

        assertThat(BaselineCodec.decode(new byte[] {1, 2, 3}, SETTINGS.capacity()).samples(SceneMode.DAY)).isZero();
        assertThat(BaselineCodec.decode(BaselineCodec.encode(stream), 50).samples(SceneMode.DAY)).as("other capacity").isZero();
    }

    @Test
    void dayAndNightLearnTheirOwnNormals() {
        warmUp();
        Judgement night = judge.judge(stream, report(readings(40, 0, 12), EnumSet.of(Degradation.DARK, Degradation.BLUR), scene),
                SceneMode.NIGHT, clock += 1000);
        assertThat(night.warmingUp()).isTrue();
        assertThat(night.flags()).isEmpty();
    }

    private void warmUp() {
        for (int i = 0; i < 12; i++) {
            next(readings(400 + (i % 3) * 5, 0.01, 40 + i % 2), EnumSet.noneOf(Degradation.class), Scenes.noisy(scene, 50 + i));
        }
    }

    private Judgement next(DetectorReadings r, Set<Degradation> flags, byte[] thumbnail) {
        clock += stepMs;
        return judge.judge(stream, report(r, flags, thumbnail), SceneMode.DAY, clock);
    }

    private static DetectorReport report(DetectorReadings r, Set<Degradation> flags, byte[] thumbnail) {
        return new DetectorReport(r, flags, thumbnail);
    }

    private static DetectorReadings readings(double sharpness, double clippedBright, double contrast) {
        return new DetectorReadings(sharpness, 2.0, 110, 0.01, clippedBright, contrast, 1.0, 3.0);
    }

    private static void paintBlock(byte[] t, int x0, int y0, int w, int h, byte v) {
        for (int y = y0; y < Math.min(y0 + h, DetectorSuite.THUMBNAIL_HEIGHT); y++) {
            for (int x = x0; x < Math.min(x0 + w, DetectorSuite.THUMBNAIL_WIDTH); x++) {
                t[y * DetectorSuite.THUMBNAIL_WIDTH + x] = v;
            }
        }
    }
}
