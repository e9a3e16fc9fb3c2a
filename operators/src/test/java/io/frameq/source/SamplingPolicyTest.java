package io.frameq.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SamplingPolicyTest {

    /** Frames at {@code fps} for {@code seconds}, keyframe every {@code gop}: the indexes the policy keeps. */
    private static List<Integer> kept(SamplingPolicy p, double fps, int frames, int gop) {
        SamplingPolicy.Sampler s = p.sampler();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < frames; i++) {
            if (s.accept(Math.round(i * 1000 / fps), i % gop == 0)) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void everyNthKeepsTheFirstAndEachNthAfterIt() {
        assertThat(kept(new SamplingPolicy(4, 0, false), 25, 10, 100)).containsExactly(0, 4, 8);
    }

    @Test
    void maxFpsKeepsTheRateOnAverageNotJustTheMinimumGap() {
        // 25 fps in, 10 fps out: a "100 ms since the last kept" rule would keep frames 0, 3, 6... (8.3 fps)
        List<Integer> kept = kept(new SamplingPolicy(1, 10, false), 25, 250, 100);

        assertThat(kept).hasSizeBetween(99, 101);
        assertThat(kept).startsWith(0, 3, 5, 8, 10);
    }

    @Test
    void keyframesOnlyComesBeforeEveryNth() {
        assertThat(kept(new SamplingPolicy(2, 0, true), 25, 50, 10)).containsExactly(0, 20, 40);
    }

    @Test
    void aFrameWithoutTimeIsNotRateLimited() {
        SamplingPolicy.Sampler s = new SamplingPolicy(1, 1, false).sampler();

        assertThat(s.accept(-1, false)).isTrue();
        assertThat(s.accept(-1, false)).isTrue();
    }

    @Test
    void refusesNonsenseNamingEachField() {
        assertThatThrownBy(() -> new SamplingPolicy(0, -1, false))
                .hasMessageContaining("everyN: expected >= 1, actual 0")
                .hasMessageContaining("maxFps: expected a finite number >= 0 (0 = no limit), actual -1.0");
    }
}
