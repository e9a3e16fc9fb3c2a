package io.frameq.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.frame.FrameDecodeException.Reason;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoSegmentDecoderTest {

    private static VideoSegmentDecoder decoder;

    @BeforeAll
    static void open() {
        Fixtures.requireFfmpeg();
        decoder = new VideoSegmentDecoder();
    }

    private static DecodeLimits sampling(int every, int maxFrames) {
        return new DecodeLimits(16 << 20, 7680, 4320, maxFrames, every);
    }

    @Test
    void mp4GivesEveryFrameInOrderWithTimestamps() throws Exception {
        List<DecodedFrame> frames = decoder.decode(Fixtures.bytes(Fixtures.MP4), FrameMetadata.of(ContentType.MP4), sampling(1, 300));
        assertThat(frames).hasSize(Fixtures.H264_CLIP_FRAMES);
        for (int i = 0; i < frames.size(); i++) {
            DecodedFrame f = frames.get(i);
            assertThat(f.index()).isEqualTo(i);
            assertThat(f.image().width()).isEqualTo(320);
            assertThat(f.image().height()).isEqualTo(240);
            // 30 fps from 0: frame i at round(i * 33.33) ms, give or take the timebase rounding
            assertThat(f.ptsMillis()).isBetween(Math.round(i * 1000 / 30.0) - 1, Math.round(i * 1000 / 30.0) + 1);
        }
    }

    @Test
    void skippingUnreferencedFramesKeepsTheOthersExactlyAndKeyframesOnlyKeepsOnePerGop() throws Exception {
        List<DecodedFrame> all = decoder.decode(Fixtures.bytes(Fixtures.MP4), FrameMetadata.of(ContentType.MP4), sampling(1, 300));
        List<DecodedFrame> referenced = decoder.decode(Fixtures.bytes(Fixtures.MP4), FrameMetadata.of(ContentType.MP4),
                new DecodeLimits(16 << 20, 7680, 4320, 300, 1, VideoFrameSkip.NON_REFERENCE));
        // The clip has 2 B-frames per P-frame (x264, see LICENSE.txt): some are not referenced.
        assertThat(referenced.size()).isLessThan(all.size()).isGreaterThanOrEqualTo(all.size() / 3);
        for (DecodedFrame kept : referenced) {
            DecodedFrame same = all.stream().filter(f -> f.ptsMillis() == kept.ptsMillis()).findFirst().orElseThrow();
            assertThat(kept.image().pixels()).as("frame at %d ms", kept.ptsMillis()).isEqualTo(same.image().pixels());
        }
        List<DecodedFrame> keys = decoder.decode(Fixtures.bytes(Fixtures.MP4), FrameMetadata.of(ContentType.MP4),
                new DecodeLimits(16 << 20, 7680, 4320, 300, 1, VideoFrameSkip.NON_KEY));
        // 45 frames, GOP 15: keyframes at 0, 0.5 and 1.0 s
        assertThat(keys).extracting(DecodedFrame::ptsMillis).containsExactly(0L, 500L, 1000L);
        assertThat(keys.get(1).image().pixels()).isEqualTo(all.get(15).image().pixels());
    }

    @Test
    void aSkipModeIsNamedInConfigurationAndAnUnknownOneIsRefused() {
        assertThat(VideoFrameSkip.fromConfigName("nonref")).isEqualTo(VideoFrameSkip.NON_REFERENCE);
        assertThat(VideoFrameSkip.fromConfigName(" NonKey ")).isEqualTo(VideoFrameSkip.NON_KEY);
        assertThatThrownBy(() -> VideoFrameSkip.fromConfigName("bframes")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected none, nonref or nonkey, actual 'bframes'");
        assertThatThrownBy(() -> new DecodeLimits(1, 1, 1, 1, 1, null)).hasMessageContaining("videoSkip");
    }

    @Test
    void unsignalledVideoCarriesItsLumaExpandedToFullRange() throws Exception {
        for (DecodedFrame f : decoder.decode(Fixtures.bytes(Fixtures.MP4), FrameMetadata.of(ContentType.MP4), sampling(5, 300))) {
            RgbImage img = f.image();
            assertThat(img.luma()).hasSize((int) img.pixelCount());
            // (Y - 16) * 255 / 219 against the BT.601 luma of swscale's RGB: the same but for the round trip,
            // whose fast path rounds low and clips saturated colours (measured on frames 0, 5, ..., 40 of the
            // plaza clip: mean 1.16-1.19, max 9-14). A wrong range or matrix would be off by several levels on average.
            assertThat(Fixtures.maxLumaDiff(img)).isLessThanOrEqualTo(16);
            assertThat(Fixtures.meanLumaDiff(img)).isLessThan(1.5);
        }
    }

    @Test
    void videoColoursMatchAnIndependentConversionOnAnUnsignalledStream() throws Exception {
        // The clip signals no matrix or range: both sides must read it as BT.601 limited range
        // (full range or BT.709 would shift the mean by several levels). The reference picture was converted
        // from the decoded YUV by NumPy, not by swscale (tools/make_registry_media.py).
        RgbImage cli = Fixtures.imageIo(Fixtures.bytes(Fixtures.MP4_FRAME0));
        RgbImage fast = decoder.decode(Fixtures.bytes(Fixtures.MP4), FrameMetadata.of(ContentType.MP4), sampling(1, 300)).get(0).image();
        assertThat(Fixtures.meanAbsDiff(fast, cli)).isLessThan(1.5); // measured 1.34 (max 63 at colour edges)
        RgbImage accurate = new VideoSegmentDecoder(RgbConversion.ACCURATE)
                .decode(Fixtures.bytes(Fixtures.MP4), FrameMetadata.of(ContentType.MP4), sampling(1, 300)).get(0).image();
        // measured mean 0.005, max 1: interpolated chroma and exact rounding on both sides
        assertThat(Fixtures.meanAbsDiff(accurate, cli)).isLessThan(0.05);
        assertThat(Fixtures.maxAbsDiff(accurate, cli)).isLessThanOrEqualTo(2);
    }

    @Test
    void mpegTsGivesTheSameFramesOnItsOwnTimeline() throws Exception {
        List<DecodedFrame> ts = decoder.decode(Fixtures.bytes(Fixtures.TS), FrameMetadata.of(ContentType.MPEG_TS), sampling(1, 300));
        assertThat(ts).hasSize(Fixtures.H264_CLIP_FRAMES);
        // MPEG-TS timestamps are not rebased: the muxer (max_delay 0.7 s, as the ffmpeg CLI) starts them at 1.47 s.
        long first = ts.get(0).ptsMillis();
        assertThat(first).isGreaterThanOrEqualTo(1000);
        assertThat(ts.get(30).ptsMillis() - first).isBetween(999L, 1001L);
        // Same source, same encoder settings: pictures agree with the MP4's closely.
        List<DecodedFrame> mp4 = decoder.decode(Fixtures.bytes(Fixtures.MP4), FrameMetadata.of(ContentType.MP4), sampling(1, 300));
        assertThat(Fixtures.psnr(ts.get(10).image(), mp4.get(10).image())).isGreaterThan(40);
    }

    @Test
    void samplingEverySecondFrameHalvesTheCount() throws Exception {
        List<DecodedFrame> all = decoder.decode(Fixtures.bytes(Fixtures.MP4), FrameMetadata.of(ContentType.MP4), sampling(1, 300));
        for (String fixture : List.of(Fixtures.MP4, Fixtures.TS)) {
            List<DecodedFrame> half = decoder.decode(Fixtures.bytes(fixture), Fixtures.noHeaders(), sampling(2, 300));
            assertThat(half).hasSize((Fixtures.H264_CLIP_FRAMES + 1) / 2); // frames 0, 2, ..., 44
            assertThat(half.get(3).index()).isEqualTo(3);
            if (fixture.equals(Fixtures.MP4)) {
                assertThat(half.get(3).image().pixels()).isEqualTo(all.get(6).image().pixels());
                assertThat(half.get(3).ptsMillis()).isEqualTo(all.get(6).ptsMillis());
            }
        }
    }

    @Test
    void tooManyFramesAreRefusedNotTruncated() {
        // MP4 declares its frame count: refused before decoding.
        assertThatThrownBy(() -> decoder.decode(Fixtures.bytes(Fixtures.MP4), FrameMetadata.of(ContentType.MP4), sampling(1, 40)))
                .isInstanceOf(FrameDecodeException.class)
                .hasFieldOrPropertyWithValue("reason", Reason.OVER_LIMIT)
                .hasMessageContaining("expected at most 40 (maxFramesPerSegment), actual 45");
        // MPEG-TS does not: refused when the 41st sampled frame arrives.
        assertThatThrownBy(() -> decoder.decode(Fixtures.bytes(Fixtures.TS), FrameMetadata.of(ContentType.MPEG_TS), sampling(1, 40)))
                .hasFieldOrPropertyWithValue("reason", Reason.OVER_LIMIT)
                .hasMessageContaining("expected at most 40 (maxFramesPerSegment)");
        // With sampling the same segment fits.
        assertThat(catchingDecode(Fixtures.TS, sampling(2, 40))).hasSize(23);
    }

    private static List<DecodedFrame> catchingDecode(String fixture, DecodeLimits limits) {
        try {
            return decoder.decode(Fixtures.bytes(fixture), Fixtures.noHeaders(), limits);
        } catch (FrameDecodeException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void overLimitResolutionIsRefusedBeforeDecoding() {
        DecodeLimits small = new DecodeLimits(16 << 20, 160, 4320, 300, 1);
        assertThatThrownBy(() -> decoder.decode(Fixtures.bytes(Fixtures.MP4), FrameMetadata.of(ContentType.MP4), small))
                .hasFieldOrPropertyWithValue("reason", Reason.OVER_LIMIT)
                .hasMessageContaining("width: expected at most 160 (maxWidth), actual 320");
    }

    @Test
    void aCutSegmentKeepsTheIntactFramesBeforeTheCut() throws Exception {
        byte[] ts = Fixtures.bytes(Fixtures.TS);
        // Cut at a packet boundary near the middle (MPEG-TS packets are 188 bytes).
        byte[] cut = Fixtures.truncated(ts, ts.length / 2 / 188 * 188);
        List<DecodedFrame> frames = decoder.decode(cut, FrameMetadata.of(ContentType.MPEG_TS), sampling(1, 300));
        assertThat(frames.size()).isBetween(5, Fixtures.H264_CLIP_FRAMES - 5);
    }

    @Test
    void garbageIsCorrupt() {
        byte[] garbage = new byte[20_000];
        new java.util.Random(3).nextBytes(garbage);
        assertThatThrownBy(() -> decoder.decode(garbage, FrameMetadata.of(ContentType.MP4), sampling(1, 300)))
                .isInstanceOf(FrameDecodeException.class)
                .hasFieldOrPropertyWithValue("reason", Reason.CORRUPT)
                .hasMessageContaining("video/mp4 segment of 20000 bytes");
        byte[] head = Fixtures.truncated(Fixtures.bytes(Fixtures.MP4), 600);
        assertThatThrownBy(() -> decoder.decode(head, FrameMetadata.of(ContentType.MP4), sampling(1, 300)))
                .hasFieldOrPropertyWithValue("reason", Reason.CORRUPT);
    }

    @Test
    void aStillImageIsNotAVideoContentType() {
        assertThatThrownBy(() -> decoder.decode(Fixtures.bytes(Fixtures.JPEG), FrameMetadata.of(ContentType.JPEG), sampling(1, 300)))
                .hasFieldOrPropertyWithValue("reason", Reason.UNKNOWN_CONTENT_TYPE);
    }

    @Test
    void readVideoFileOpensAnyContainerAndTruncatesAtMaxFrames() {
        List<RgbImage> avi = VideoSegmentDecoder.readVideoFile(Fixtures.path(Fixtures.AVI), 1, 1000);
        assertThat(avi).hasSize(Fixtures.AVI_CLIP_FRAMES);
        assertThat(avi.get(0).width()).isEqualTo(160);

        List<RgbImage> firstTen = VideoSegmentDecoder.readVideoFile(Fixtures.path(Fixtures.MP4), 1, 10);
        assertThat(firstTen).hasSize(10);
        assertThat(VideoSegmentDecoder.readVideoFile(Fixtures.path(Fixtures.TS), 3, 1000)).hasSize(15);
    }

    @Test
    void readVideoFileNamesTheFileItCannotRead(@TempDir Path dir) throws Exception {
        Path notVideo = dir.resolve("notes: not a video.mp4");
        java.nio.file.Files.writeString(notVideo, "hello");
        assertThatThrownBy(() -> VideoSegmentDecoder.readVideoFile(notVideo, 1, 10))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(notVideo.toString())
                .hasMessageContaining("[corrupt]");
        assertThatThrownBy(() -> VideoSegmentDecoder.readVideoFile(dir.resolve("missing.mp4"), 1, 10))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("missing.mp4");
    }
}
