package io.frameq.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.frame.FrameDecodeException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FrameDecodersTest {

    private static FrameDecoders decoders;

    @BeforeAll
    static void open() {
        Fixtures.requireFfmpeg();
        decoders = new FrameDecoders(DecodeLimits.DEFAULT);
    }

    @AfterAll
    static void close() {
        if (decoders != null) {
            decoders.close();
        }
    }

    private static RecordHeaders headers(String... namesAndValues) {
        RecordHeaders h = new RecordHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            h.add(namesAndValues[i], namesAndValues[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return h;
    }

    @Test
    void usesFfmpegAndSaysSo() {
        assertThat(decoders.decoderName()).startsWith("ffmpeg-8.");
    }

    @Test
    void sniffsEveryEncodedTypeWithoutHeaders() throws Exception {
        assertThat(decoders.decode(Fixtures.bytes(Fixtures.JPEG), Fixtures.noHeaders())).hasSize(1);
        assertThat(decoders.decode(Fixtures.bytes(Fixtures.PNG), Fixtures.noHeaders())).hasSize(1);
        assertThat(decoders.decode(Fixtures.bytes(Fixtures.MP4), Fixtures.noHeaders())).hasSize(Fixtures.H264_CLIP_FRAMES);
        assertThat(decoders.decode(Fixtures.bytes(Fixtures.TS), Fixtures.noHeaders())).hasSize(Fixtures.H264_CLIP_FRAMES);
    }

    @Test
    void decodesRawFramesFromRecordHeaders() throws Exception {
        byte[] bgr = {10, 20, 30, 40, 50, 60};
        List<DecodedFrame> frames = decoders.decode(bgr, headers("content-type", "video/x-raw;format=bgr24",
                "frameq-width", "2", "frameq-height", "1"));
        assertThat(frames.get(0).image().pixels()).containsExactly(30, 20, 10, 60, 50, 40);
    }

    @Test
    void emptyAndTombstonePayloadsAreEmpty() {
        assertThatThrownBy(() -> decoders.decode(new byte[0], Fixtures.noHeaders()))
                .hasFieldOrPropertyWithValue("reason", Reason.EMPTY)
                .hasMessageContaining("actual 0 bytes");
        assertThatThrownBy(() -> decoders.decode(null, Fixtures.noHeaders()))
                .hasFieldOrPropertyWithValue("reason", Reason.EMPTY)
                .hasMessageContaining("tombstone");
    }

    @Test
    void oversizedPayloadIsRefusedBeforeDecoding() {
        try (FrameDecoders small = new FrameDecoders(new DecodeLimits(10_000, 7680, 4320, 300, 1))) {
            assertThatThrownBy(() -> small.decode(Fixtures.bytes(Fixtures.JPEG), Fixtures.noHeaders()))
                    .hasFieldOrPropertyWithValue("reason", Reason.OVER_LIMIT)
                    .hasMessageContaining("record value size: expected at most 10000 bytes (maxPayloadBytes), actual 18402");
        }
    }

    @Test
    void garbageWithoutHeaderIsUnknownContentType() {
        byte[] garbage = "definitely not a picture".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> decoders.decode(garbage, Fixtures.noHeaders()))
                .isInstanceOf(FrameDecodeException.class)
                .hasFieldOrPropertyWithValue("reason", Reason.UNKNOWN_CONTENT_TYPE)
                .hasMessageContaining("first bytes 646566696e697465");
    }

    @Test
    void truncatedJpegThroughTheFacadeIsCorrupt() {
        byte[] jpeg = Fixtures.bytes(Fixtures.JPEG);
        assertThatThrownBy(() -> decoders.decode(Fixtures.truncated(jpeg, jpeg.length - 4000), headers("content-type", "image/jpeg")))
                .hasFieldOrPropertyWithValue("reason", Reason.CORRUPT);
    }

    @Test
    void metadataFromParsesEveryContractHeader() {
        FrameMetadata meta = FrameDecoders.metadataFrom(headers("content-type", "Video/X-Raw; format=NV12",
                "frameq-ts", "1700000000123", "frameq-seq", "42", "frameq-pts", "-5",
                "frameq-width", "1920", "frameq-height", " 1080 "));
        assertThat(meta).isEqualTo(new FrameMetadata(Optional.of(ContentType.RAW_NV12), 1700000000123L, 42, -5, 1920, 1080));
        assertThat(FrameDecoders.metadataFrom(new RecordHeaders())).isEqualTo(Fixtures.noHeaders());
    }

    @Test
    void lenientParsingDropsBadNumbersAndStrictParsingNamesThem() {
        RecordHeaders bad = headers("content-type", "application/octet-stream", "frameq-width", "wide", "frameq-seq", "7");
        FrameMetadata lenient = FrameDecoders.metadataFrom(bad);
        assertThat(lenient.contentType()).isEmpty();
        assertThat(lenient.width()).isEqualTo(-1);
        assertThat(lenient.seq()).isEqualTo(7);
        assertThatThrownBy(() -> FrameDecoders.metadataFromStrict(bad))
                .hasFieldOrPropertyWithValue("reason", Reason.BAD_HEADER)
                .hasMessageContaining("header frameq-width: expected a decimal integer in [1, 2147483647], actual 'wide'");
        assertThatThrownBy(() -> FrameDecoders.metadataFromStrict(headers("frameq-height", "0")))
                .hasFieldOrPropertyWithValue("reason", Reason.BAD_HEADER);
    }

    @Test
    void concurrentDecodingGivesIdenticalResults() throws Exception {
        byte[] jpeg = Fixtures.bytes(Fixtures.JPEG);
        byte[] png = Fixtures.bytes(Fixtures.PNG);
        byte[] mp4 = Fixtures.bytes(Fixtures.MP4);
        byte[] expectedJpeg = decoders.decode(jpeg, Fixtures.noHeaders()).get(0).image().pixels();
        byte[] expectedPng = decoders.decode(png, Fixtures.noHeaders()).get(0).image().pixels();
        List<DecodedFrame> expectedVideo = decoders.decode(mp4, Fixtures.noHeaders());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                Callable<Integer> work = () -> {
                    int checked = 0;
                    for (int i = 0; i < 30; i++) {
                        assertThat(decoders.decode(jpeg, Fixtures.noHeaders()).get(0).image().pixels()).isEqualTo(expectedJpeg);
                        assertThat(decoders.decode(png, Fixtures.noHeaders()).get(0).image().pixels()).isEqualTo(expectedPng);
                        if (i % 10 == thread) {
                            List<DecodedFrame> video = decoders.decode(mp4, Fixtures.noHeaders());
                            assertThat(video).hasSize(expectedVideo.size());
                            for (int f = 0; f < video.size(); f++) {
                                assertThat(video.get(f).image().pixels()).isEqualTo(expectedVideo.get(f).image().pixels());
                            }
                        }
                        // errors in between must not disturb the pooled sessions
                        assertThatThrownBy(() -> decoders.decode(Fixtures.truncated(jpeg, 5000), Fixtures.noHeaders()))
                                .isInstanceOf(FrameDecodeException.class);
                        checked++;
                    }
                    return checked;
                };
                results.add(pool.submit(work));
            }
            for (Future<Integer> r : results) {
                assertThat(r.get()).isEqualTo(30);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void imageIoFallbackDecodesImagesAndRefusesVideo() throws Exception {
        try (FrameDecoders fallback = new FrameDecoders(DecodeLimits.DEFAULT, RgbConversion.FAST, false)) {
            assertThat(fallback.decoderName()).isEqualTo("imageio");
            RgbImage viaImageIo = fallback.decode(Fixtures.bytes(Fixtures.JPEG), Fixtures.noHeaders()).get(0).image();
            RgbImage viaFfmpeg = decoders.decode(Fixtures.bytes(Fixtures.JPEG), Fixtures.noHeaders()).get(0).image();
            assertThat(Fixtures.meanAbsDiff(viaImageIo, viaFfmpeg)).isLessThan(1.0);
            assertThatThrownBy(() -> fallback.decode(Fixtures.bytes(Fixtures.MP4), Fixtures.noHeaders()))
                    .hasFieldOrPropertyWithValue("reason", Reason.UNKNOWN_CONTENT_TYPE)
                    .hasMessageContaining("no video decoder");
        }
    }

    @Test
    void aClosedFacadeRefusesWork() {
        FrameDecoders closed = new FrameDecoders(DecodeLimits.DEFAULT);
        closed.close();
        assertThatThrownBy(() -> closed.decode(Fixtures.bytes(Fixtures.JPEG), Fixtures.noHeaders()))
                .isInstanceOf(IllegalStateException.class);
    }
}
