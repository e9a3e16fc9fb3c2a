package io.frameq.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.deadline.Deadline;
import io.frameq.deadline.Watchdog;
import io.frameq.frame.FrameDecodeException.Reason;
import io.frameq.testing.Await;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decode deadlines: a segment whose deadline the watchdog expired is interrupted (AVIO read and
 * FFmpeg's interrupt callback answer "stop") and refused as TIMEOUT; an image decode, which FFmpeg
 * cannot interrupt, is abandoned as TIMEOUT when it returns; and the same decoders then decode the
 * next record normally.
 */
class DecodeDeadlineTest {

    private static FrameDecoders decoders;

    @BeforeAll
    static void open() {
        Fixtures.requireFfmpeg();
        decoders = new FrameDecoders(DecodeLimits.DEFAULT);
    }

    @AfterAll
    static void close() {
        decoders.close();
    }

    private static Deadline expired(String stage) {
        Deadline d = Watchdog.shared().open(stage, 1);
        Await.until("the 1 ms deadline expires", Duration.ofSeconds(10), d::expired);
        return d;
    }

    @Test
    void anExpiredDeadlineInterruptsEveryContainer() {
        for (String clip : List.of("plaza_320x240_h264.mp4", "plaza_320x240_h264.ts")) {
            byte[] segment = Fixtures.bytes(clip);
            try (Deadline d = expired("decode")) {
                assertThatThrownBy(() -> decoders.decode(segment, Fixtures.noHeaders())).as(clip)
                        .isInstanceOf(FrameDecodeException.class)
                        .satisfies(e -> assertThat(((FrameDecodeException) e).reason()).isEqualTo(Reason.TIMEOUT))
                        .hasMessageContaining("deadline");
            }
            // the next record, without a deadline problem, decodes in full
            try (Deadline d = Watchdog.shared().open("decode", 60_000)) {
                assertThat(decoders.decode(segment, Fixtures.noHeaders())).as(clip).isNotEmpty();
            }
        }
    }

    @Test
    void anImageThatOverranItsDeadlineIsAbandonedWhenItsDecodeReturns() {
        byte[] jpeg = Fixtures.bytes("chelsea_320x240.jpg");
        try (Deadline d = expired("decode")) {
            assertThatThrownBy(() -> decoders.decode(jpeg, Fixtures.noHeaders())).isInstanceOf(FrameDecodeException.class)
                    .satisfies(e -> assertThat(((FrameDecodeException) e).reasonCode()).isEqualTo("timeout"));
        }
        assertThat(decoders.decode(jpeg, Fixtures.noHeaders())).hasSize(1);
    }

    @Test
    void aDeadlineThatExpiresMidSegmentStopsTheDemuxer() {
        byte[] segment = Fixtures.bytes("plaza_320x240_h264.mp4");
        long t0 = System.nanoTime();
        int frames = decoders.decode(segment, Fixtures.noHeaders()).size();
        long fullMs = (System.nanoTime() - t0) / 1_000_000;
        // 1 ms is far below a whole segment's decode: the watchdog fires while the demuxer loop runs
        try (Deadline d = Watchdog.shared().open("decode", 1)) {
            assertThatThrownBy(() -> decoders.decode(segment, Fixtures.noHeaders()))
                    .as("a %d-frame segment that takes %d ms in full", frames, fullMs)
                    .isInstanceOf(FrameDecodeException.class)
                    .satisfies(e -> assertThat(((FrameDecodeException) e).reason()).isEqualTo(Reason.TIMEOUT));
        }
    }
}
