package io.frameq.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Stream copy of the committed clips into MPEG-TS segments, checked by decoding the segments with
 * FrameQ's own {@link VideoSegmentDecoder} and comparing with decoding the clip whole.
 */
class SegmentRemuxerTest {

    private static final DecodeLimits LIMITS = new DecodeLimits(16 << 20, 7680, 4320, 300, 1);
    private static VideoSegmentDecoder decoder;

    @TempDir
    Path dir;

    @BeforeAll
    static void natives() {
        decoder = new VideoSegmentDecoder();
    }

    private static List<SegmentRemuxer.Segment> remux(String fixture, long minDurationMs, boolean keyframesOnly) throws Exception {
        return remux(Fixtures.path(fixture), minDurationMs, keyframesOnly, new long[1]);
    }

    private static List<SegmentRemuxer.Segment> remux(Path file, long minDurationMs, boolean keyframesOnly, long[] skipped)
            throws Exception {
        List<SegmentRemuxer.Segment> out = new ArrayList<>();
        try (SegmentRemuxer r = SegmentRemuxer.open("file:" + file.toAbsolutePath(), Map.of(), LIMITS, null)) {
            SegmentRemuxer.Segment s;
            while ((s = r.next(minDurationMs, keyframesOnly)) != null) {
                out.add(s);
            }
            assertThat(r.readError()).isNull();
            assertThat(r.muxErrors()).isZero();
            skipped[0] = r.skippedPackets();
        }
        return out;
    }

    @ParameterizedTest
    @CsvSource({"plaza_320x240_h264.mp4, 0", "plaza_320x240_h264.ts, 0", "plaza_160x120_mpeg4.avi, 0",
        "plaza_320x240_h264.mp4, 1000", "plaza_320x240_h264.mp4, 60000"})
    void segmentsStartOnKeyframesAndDecodeIntoExactlyTheClipsFrames(String fixture, long minDurationMs) throws Exception {
        List<DecodedFrame> whole = VideoSegmentDecoder.readVideoFrames(Fixtures.path(fixture), 1, 1000);
        List<SegmentRemuxer.Segment> segments = remux(fixture, minDurationMs, false);

        assertThat(segments).isNotEmpty();
        long next = 0;
        List<DecodedFrame> fromSegments = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            SegmentRemuxer.Segment s = segments.get(i);
            assertThat(ContentType.sniff(s.bytes())).as("segment %d", i).contains(ContentType.MPEG_TS);
            assertThat(s.firstFrame()).as("segment %d follows the previous one without a gap", i).isEqualTo(next);
            next += s.frames();
            // a segment that did not start on a keyframe would lose its leading frames when decoded alone
            Path alone = Files.write(dir.resolve(fixture + "-" + i + ".ts"), s.bytes());
            long[] skipped = new long[1];
            List<SegmentRemuxer.Segment> again = remux(alone, Long.MAX_VALUE, false, skipped);
            assertThat(skipped[0]).as("packets before the first keyframe of segment %d", i).isZero();
            assertThat(again).hasSize(1);
            assertThat(again.get(0).frames()).isEqualTo(s.frames());
            List<DecodedFrame> decoded = decoder.decode(s.bytes(), FrameMetadata.of(ContentType.MPEG_TS), LIMITS);
            assertThat(decoded).as("frames decoded from segment %d", i).hasSize(s.frames());
            // where the topology places them: the segment's frameq-pts plus the time inside the segment
            long base = decoded.get(0).ptsMillis();
            for (DecodedFrame d : decoded) {
                fromSegments.add(new DecodedFrame(d.image(), d.index(), s.firstPtsMs() + d.ptsMillis() - base));
            }
        }
        assertThat(next).as("packets in all segments").isEqualTo(whole.size());
        assertThat(fromSegments).hasSameSizeAs(whole);
        long firstWhole = whole.get(0).ptsMillis();
        long firstSegments = segments.get(0).firstPtsMs();
        for (int i = 0; i < whole.size(); i++) {
            assertThat(fromSegments.get(i).image().pixels()).as("frame %d, pixel for pixel (stream copy, no re-encode)", i)
                    .isEqualTo(whole.get(i).image().pixels());
            assertThat(fromSegments.get(i).ptsMillis() - firstSegments).as("frame %d pts", i)
                    .isBetween(whole.get(i).ptsMillis() - firstWhole - 1, whole.get(i).ptsMillis() - firstWhole + 1);
        }
        assertThat(segments.get(0).firstPtsMs()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void perGopSegmentsAreNoLongerThanWithAMinimumDuration() throws Exception {
        List<SegmentRemuxer.Segment> gops = remux(Fixtures.AVI, 0, false);
        List<SegmentRemuxer.Segment> one = remux(Fixtures.AVI, 60_000, false);
        assertThat(one).hasSize(1);
        assertThat(gops.size()).isGreaterThanOrEqualTo(one.size());
        assertThat(gops.stream().mapToInt(SegmentRemuxer.Segment::frames).sum()).isEqualTo(one.get(0).frames());
    }

    @Test
    void keyframesOnlyGivesOneFrameSegmentsOfTheKeyframes() throws Exception {
        List<SegmentRemuxer.Segment> gops = remux(Fixtures.MP4, 0, false);
        long[] skipped = new long[1];
        List<SegmentRemuxer.Segment> keys = remux(Fixtures.path(Fixtures.MP4), 0, true, skipped);
        assertThat(keys).hasSameSizeAs(gops);
        assertThat(keys).allSatisfy(k -> assertThat(k.frames()).isEqualTo(1));
        assertThat(keys).extracting(SegmentRemuxer.Segment::firstFrame)
                .containsExactlyElementsOf(gops.stream().map(SegmentRemuxer.Segment::firstFrame).toList());
        assertThat(skipped[0] + keys.size()).isEqualTo(Fixtures.H264_CLIP_FRAMES);
        for (SegmentRemuxer.Segment k : keys) {
            assertThat(decoder.decode(k.bytes(), FrameMetadata.of(ContentType.MPEG_TS), LIMITS)).hasSize(1);
        }
    }

    @Test
    void aStillImageIsNotAVideoMpegTsCarries() {
        // PNG "video" opens (image2 demuxer) but MPEG-TS has no mapping for the png codec
        assertThatThrownBy(() -> SegmentRemuxer.open("file:" + Fixtures.path(Fixtures.PNG).toAbsolutePath(), Map.of(), LIMITS, null))
                .isInstanceOf(FrameDecodeException.class)
                .hasMessageContaining("codec: expected one MPEG-TS carries").hasMessageContaining("actual png");
    }
}
