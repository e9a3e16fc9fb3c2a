package io.frameq.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Where decoded frames sit in time, from the record's headers and the video's own pts. */
class FrameTimelineTest {

    private static final RgbImage IMAGE = new RgbImage(2, 2, new byte[12]);
    private static final FrameSource SOURCE = new FrameSource("frames", 2, 40, 0);

    private static FrameMetadata meta(long ts, long seq, long pts) {
        return new FrameMetadata(Optional.of(ContentType.JPEG), ts, seq, pts, -1, -1);
    }

    @Test
    void anImageTakesItsTimesFromTheHeaders() {
        Frame f = FrameTimeline.place("cam", meta(9_000, 12, 300), List.of(new DecodedFrame(IMAGE, 0, -1)), SOURCE, 1, 5, new byte[] {7})
                .get(0);
        assertThat(f.seq()).isEqualTo(12);
        assertThat(f.ptsMillis()).isEqualTo(300);
        assertThat(f.captureTimeMs()).isEqualTo(9_000);
        assertThat(f.receivedNanos()).isEqualTo(5);
        assertThat(f.source().eventId()).isEqualTo("frames/2/40/0");
    }

    @Test
    void withoutHeadersSeqIsTheOffsetAndCaptureTheRecordTimestamp() {
        Frame f = FrameTimeline.place("cam", meta(-1, -1, -1), List.of(new DecodedFrame(IMAGE, 0, -1)), SOURCE, 777, 0, new byte[0])
                .get(0);
        assertThat(f.seq()).isEqualTo(40);
        assertThat(f.captureTimeMs()).isEqualTo(777);
        assertThat(f.ptsMillis()).isEqualTo(-1);
    }

    @Test
    void aSegmentsFramesCountFromItsFirstPtsOnTheHeadersTimeline() {
        // MPEG-TS pts rarely start at 0: 1400 ms into the container is the segment's start
        List<Frame> frames = FrameTimeline.place("cam", meta(50_000, 3, 6_000),
                List.of(new DecodedFrame(IMAGE, 0, 1_400), new DecodedFrame(IMAGE, 1, 1_440), new DecodedFrame(IMAGE, 2, 1_480)),
                SOURCE, 1, 0, new byte[0]);
        assertThat(frames).extracting(Frame::ptsMillis).containsExactly(6_000L, 6_040L, 6_080L);
        assertThat(frames).extracting(Frame::captureTimeMs).containsExactly(50_000L, 50_040L, 50_080L);
        assertThat(frames).extracting(f -> f.source().index()).containsExactly(0, 1, 2);
        assertThat(frames).extracting(Frame::seq).containsOnly(3L);
    }

    @Test
    void withoutAPtsHeaderASegmentKeepsTheContainersPts() {
        List<Frame> frames = FrameTimeline.place("cam", meta(0, 1, -1),
                List.of(new DecodedFrame(IMAGE, 0, 1_400), new DecodedFrame(IMAGE, 1, 1_440)), SOURCE, 1, 0, new byte[0]);
        assertThat(frames).extracting(Frame::ptsMillis).containsExactly(1_400L, 1_440L);
    }
}
