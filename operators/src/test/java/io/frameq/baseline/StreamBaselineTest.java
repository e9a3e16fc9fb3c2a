package io.frameq.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The earlier view a frame's steadiness is judged against: a fixed time back, whatever the frame rate. */
class StreamBaselineTest {

    @Test
    void theEarlierViewIsTheNewestAtLeastTheSpanOldAtAnyFrameRate() {
        StreamBaseline b = new StreamBaseline(BaselineSettings.DEFAULTS.capacity());
        assertThat(b.earlierView(0, view(0), 200)).as("nothing before the first frame").isNull();
        // 30 frames/s: frame k at 33 k ms
        for (int k = 1; k <= 60; k++) {
            byte[] earlier = b.earlierView(33L * k, view(k), 200);
            int expected = k < 7 ? 0 : k - 7; // 7 frames = 231 ms is the newest at least 200 ms back; before that the oldest
            assertThat(earlier[0]).as("frame %d", k).isEqualTo((byte) expected);
        }
        // 5 frames/s: the frame before
        StreamBaseline slow = new StreamBaseline(BaselineSettings.DEFAULTS.capacity());
        slow.earlierView(0, view(0), 200);
        for (int k = 1; k <= 10; k++) {
            assertThat(slow.earlierView(200L * k, view(k), 200)[0]).isEqualTo((byte) (k - 1));
        }
    }

    private static byte[] view(int id) {
        return new byte[] {(byte) id};
    }
}
