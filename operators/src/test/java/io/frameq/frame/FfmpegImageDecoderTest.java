package io.frameq.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT470BG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_UNSPECIFIED;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_GRAY8;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

import io.frameq.frame.FrameDecodeException.Reason;
import io.frameq.frame.LumaPlane.Kind;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FfmpegImageDecoderTest {

    private static FfmpegImageDecoder decoder;

    @BeforeAll
    static void open() {
        Fixtures.requireFfmpeg();
        decoder = new FfmpegImageDecoder();
    }

    @AfterAll
    static void close() {
        if (decoder != null) {
            decoder.close();
        }
    }

    private static RgbImage decode(byte[] payload, ContentType type) throws FrameDecodeException {
        List<DecodedFrame> frames = decoder.decode(payload, FrameMetadata.of(type), DecodeLimits.DEFAULT);
        assertThat(frames).hasSize(1);
        assertThat(frames.get(0).index()).isZero();
        assertThat(frames.get(0).ptsMillis()).isEqualTo(-1);
        return frames.get(0).image();
    }

    @Test
    void jpegMatchesImageIoWithinTheFastConversionsTolerance() throws Exception {
        byte[] jpeg = Fixtures.bytes(Fixtures.JPEG);
        RgbImage ours = decode(jpeg, ContentType.JPEG);
        RgbImage reference = Fixtures.imageIo(jpeg);
        assertThat(ours.width()).isEqualTo(320);
        assertThat(ours.height()).isEqualTo(240);
        // FAST replicates chroma over 2x2 blocks where libjpeg interpolates: measured max 14 at
        // sharp colour edges, mean 0.87. A wrong matrix or range would be off by 10+ on average.
        assertThat(Fixtures.maxAbsDiff(ours, reference)).isLessThanOrEqualTo(16);
        assertThat(Fixtures.meanAbsDiff(ours, reference)).isLessThan(1.0);
    }

    @Test
    void accurateConversionMatchesImageIoWithinFourLevels() throws Exception {
        byte[] jpeg = Fixtures.bytes(Fixtures.JPEG);
        try (FfmpegImageDecoder accurate = new FfmpegImageDecoder(RgbConversion.ACCURATE)) {
            RgbImage ours = accurate.decode(jpeg, FrameMetadata.of(ContentType.JPEG), DecodeLimits.DEFAULT).get(0).image();
            RgbImage reference = Fixtures.imageIo(jpeg);
            // Different IDCTs remain: measured max 3, mean 0.27.
            assertThat(Fixtures.maxAbsDiff(ours, reference)).isLessThanOrEqualTo(4);
            assertThat(Fixtures.meanAbsDiff(ours, reference)).isLessThan(0.4);
            // PNG is lossless RGB: identical in both modes.
            byte[] png = Fixtures.bytes(Fixtures.PNG);
            assertThat(accurate.decode(png, FrameMetadata.of(ContentType.PNG), DecodeLimits.DEFAULT).get(0).image().pixels())
                    .isEqualTo(Fixtures.imageIo(png).pixels());
        }
    }

    @Test
    void pngMatchesImageIoExactly() throws Exception {
        byte[] png = Fixtures.bytes(Fixtures.PNG);
        assertThat(decode(png, ContentType.PNG).pixels()).isEqualTo(Fixtures.imageIo(png).pixels());
    }

    @Test
    void greyPngAndJpegBecomeRgbWithEqualChannels() throws Exception {
        byte[] png = Fixtures.bytes(Fixtures.GRAY_PNG);
        RgbImage fromPng = decode(png, ContentType.PNG);
        assertThat(fromPng.pixels()).isEqualTo(Fixtures.imageIo(png).pixels());

        byte[] jpeg = Fixtures.bytes(Fixtures.GRAY_JPEG);
        RgbImage fromJpeg = decode(jpeg, ContentType.JPEG);
        assertThat(Fixtures.maxAbsDiff(fromJpeg, Fixtures.imageIo(jpeg))).isLessThanOrEqualTo(2);
        int rgb = fromJpeg.rgb(64, 64);
        assertThat(rgb >> 16 & 0xff).isEqualTo(rgb >> 8 & 0xff).isEqualTo(rgb & 0xff);
    }

    @Test
    void jpegCarriesItsOwnLumaPlaneAndPngDoesNot() throws Exception {
        RgbImage jpeg = decode(Fixtures.bytes(Fixtures.JPEG), ContentType.JPEG);
        assertThat(jpeg.luma()).hasSize(320 * 240);
        // JPEG's Y against the detectors' integer BT.601 luma of the decoded RGB: they differ only by the
        // rounding and clipping of the round trip through RGB.
        assertThat(Fixtures.maxLumaDiff(jpeg)).isLessThanOrEqualTo(3);
        assertThat(Fixtures.meanLumaDiff(jpeg)).isLessThan(0.75);

        RgbImage grey = decode(Fixtures.bytes(Fixtures.GRAY_JPEG), ContentType.JPEG);
        assertThat(grey.luma()).hasSize(128 * 128);
        assertThat(grey.luma()[64 * 128 + 64] & 0xff).isEqualTo(grey.rgb(64, 64) & 0xff);

        assertThat(decode(Fixtures.bytes(Fixtures.PNG), ContentType.PNG).luma()).isNull();
    }

    @Test
    void onlyBt601PlanesCountAsLumaAndLimitedRangeIsExpanded() {
        assertThat(LumaPlane.kind(AV_PIX_FMT_YUVJ420P, AVCOL_RANGE_UNSPECIFIED, AVCOL_SPC_UNSPECIFIED)).isEqualTo(Kind.FULL_RANGE);
        assertThat(LumaPlane.kind(AV_PIX_FMT_YUV420P, AVCOL_RANGE_JPEG, AVCOL_SPC_BT470BG)).isEqualTo(Kind.FULL_RANGE);
        assertThat(LumaPlane.kind(AV_PIX_FMT_GRAY8, AVCOL_RANGE_JPEG, AVCOL_SPC_UNSPECIFIED)).isEqualTo(Kind.FULL_RANGE);
        // video: limited range, signalled or not (swscale converts an unsignalled range as limited)
        assertThat(LumaPlane.kind(AV_PIX_FMT_YUV420P, AVCOL_RANGE_MPEG, AVCOL_SPC_BT470BG)).isEqualTo(Kind.LIMITED_RANGE);
        assertThat(LumaPlane.kind(AV_PIX_FMT_YUV420P, AVCOL_RANGE_UNSPECIFIED, AVCOL_SPC_UNSPECIFIED)).isEqualTo(Kind.LIMITED_RANGE);
        // a BT.709 matrix, grey without a signalled range, packed RGB: not that luma without a conversion
        assertThat(LumaPlane.kind(AV_PIX_FMT_YUVJ420P, AVCOL_RANGE_JPEG, AVCOL_SPC_BT709)).isEqualTo(Kind.NOT_LUMA);
        assertThat(LumaPlane.kind(AV_PIX_FMT_YUV420P, AVCOL_RANGE_MPEG, AVCOL_SPC_BT709)).isEqualTo(Kind.NOT_LUMA);
        assertThat(LumaPlane.kind(AV_PIX_FMT_GRAY8, AVCOL_RANGE_UNSPECIFIED, AVCOL_SPC_UNSPECIFIED)).isEqualTo(Kind.NOT_LUMA);
        assertThat(LumaPlane.kind(AV_PIX_FMT_RGB24, AVCOL_RANGE_JPEG, AVCOL_SPC_UNSPECIFIED)).isEqualTo(Kind.NOT_LUMA);
    }

    @Test
    void sniffsWhenContentTypeIsAbsent() throws Exception {
        List<DecodedFrame> frames = decoder.decode(Fixtures.bytes(Fixtures.PNG), Fixtures.noHeaders(), DecodeLimits.DEFAULT);
        assertThat(frames.get(0).image().width()).isEqualTo(320);
    }

    @Test
    void truncatedJpegIsRefusedNotHalfDecoded() {
        byte[] jpeg = Fixtures.bytes(Fixtures.JPEG);
        byte[] half = Fixtures.truncated(jpeg, jpeg.length / 2);
        assertThatThrownBy(() -> decode(half, ContentType.JPEG))
                .isInstanceOf(FrameDecodeException.class)
                .hasFieldOrPropertyWithValue("reason", Reason.CORRUPT)
                .hasMessageContaining("image/jpeg payload of " + half.length + " bytes")
                .hasMessageContaining("FFmpeg says");
    }

    @Test
    void truncatedPngIsRefused() {
        byte[] png = Fixtures.bytes(Fixtures.PNG);
        byte[] cut = Fixtures.truncated(png, png.length - 1000);
        assertThatThrownBy(() -> decode(cut, ContentType.PNG))
                .isInstanceOf(FrameDecodeException.class)
                .hasFieldOrPropertyWithValue("reason", Reason.CORRUPT)
                .hasMessageContaining("image/png payload of " + cut.length + " bytes");
    }

    @Test
    void garbageAfterJpegMagicIsCorrupt() {
        byte[] garbage = new byte[5000];
        new java.util.Random(7).nextBytes(garbage);
        garbage[0] = (byte) 0xFF;
        garbage[1] = (byte) 0xD8;
        garbage[2] = (byte) 0xFF;
        assertThatThrownBy(() -> decode(garbage, ContentType.JPEG))
                .isInstanceOf(FrameDecodeException.class)
                .hasFieldOrPropertyWithValue("reason", Reason.CORRUPT);
    }

    @Test
    void mislabelledPayloadSaysWhatItLooksLike() {
        assertThatThrownBy(() -> decode(Fixtures.bytes(Fixtures.PNG), ContentType.JPEG))
                .isInstanceOf(FrameDecodeException.class)
                .hasFieldOrPropertyWithValue("reason", Reason.CORRUPT)
                .hasMessageContaining("the bytes look like image/png, not the declared image/jpeg");
    }

    @Test
    void overLimitWidthIsRefusedFromTheHeader() {
        DecodeLimits narrow = new DecodeLimits(1 << 20, 300, 1000, 10, 1);
        assertThatThrownBy(() -> decoder.decode(Fixtures.bytes(Fixtures.JPEG), FrameMetadata.of(ContentType.JPEG), narrow))
                .isInstanceOf(FrameDecodeException.class)
                .hasFieldOrPropertyWithValue("reason", Reason.OVER_LIMIT)
                .hasMessageContaining("width: expected at most 300 (maxWidth), actual 320");
        assertThatThrownBy(() -> decoder.decode(Fixtures.bytes(Fixtures.PNG), FrameMetadata.of(ContentType.PNG), narrow))
                .hasFieldOrPropertyWithValue("reason", Reason.OVER_LIMIT);
    }

    @Test
    void refusesTypesItDoesNotDecode() {
        assertThat(decoder.supports(ContentType.MP4)).isFalse();
        assertThatThrownBy(() -> decoder.decode(Fixtures.bytes(Fixtures.JPEG), FrameMetadata.of(ContentType.MP4), DecodeLimits.DEFAULT))
                .hasFieldOrPropertyWithValue("reason", Reason.UNKNOWN_CONTENT_TYPE);
    }

    @Test
    void aSessionThatFailedIsNotReusedAndGoodPayloadsStillDecode() throws Exception {
        byte[] jpeg = Fixtures.bytes(Fixtures.JPEG);
        RgbImage before = decode(jpeg, ContentType.JPEG);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> decode(Fixtures.truncated(jpeg, 3000), ContentType.JPEG)).isInstanceOf(FrameDecodeException.class);
            // different sizes through the same pooled sessions
            assertThat(decode(Fixtures.bytes(Fixtures.GRAY_JPEG), ContentType.JPEG).width()).isEqualTo(128);
            assertThat(decode(jpeg, ContentType.JPEG).pixels()).isEqualTo(before.pixels());
        }
    }

    @Test
    void pooledSessionsDecodeSameSizedPngsIndependently() throws Exception {
        // FFmpeg 8.1.2's PNG decoder leaks the previous image's last row into a reused context.
        byte[] png = Fixtures.bytes(Fixtures.PNG);
        RgbImage photo = Fixtures.imageIo(png);
        byte[] mirrored = ImageEncoder.png(mirror(photo));
        for (int i = 0; i < 3; i++) {
            assertThat(decode(png, ContentType.PNG).pixels()).isEqualTo(photo.pixels());
            assertThat(decode(mirrored, ContentType.PNG).pixels()).isEqualTo(mirror(photo).pixels());
        }
    }

    @Test
    void progressiveAndAbbreviatedJpegsDecodeCorrectlyAfterOtherJpegs() throws Exception {
        RgbImage photo = Fixtures.imageIo(Fixtures.bytes(Fixtures.PNG));
        byte[] progressive = imageIoJpeg(photo, true);
        byte[] baseline = imageIoJpeg(photo, false);
        byte[] abbreviated = withoutHuffmanTables(baseline); // relies on the standard tables ImageIO wrote
        assertThat(EncodedImageSize.jpegDefinesTables(baseline)).isTrue();
        assertThat(EncodedImageSize.jpegDefinesTables(abbreviated)).isFalse();
        RgbImage reference = Fixtures.imageIo(baseline);
        for (int i = 0; i < 3; i++) {
            decode(Fixtures.bytes(Fixtures.JPEG), ContentType.JPEG); // FFmpeg-written tables in the pooled context
            // Stale state would be off by far more than the FAST conversion's tolerance.
            assertThat(Fixtures.meanAbsDiff(decode(progressive, ContentType.JPEG), Fixtures.imageIo(progressive))).isLessThan(1.0);
            assertThat(Fixtures.meanAbsDiff(decode(abbreviated, ContentType.JPEG), reference)).isLessThan(1.0);
        }
    }

    private static RgbImage mirror(RgbImage img) {
        byte[] out = new byte[img.pixels().length];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                System.arraycopy(img.pixels(), (y * img.width() + x) * 3, out, (y * img.width() + img.width() - 1 - x) * 3, 3);
            }
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    private static byte[] imageIoJpeg(RgbImage img, boolean progressive) throws java.io.IOException {
        java.awt.image.BufferedImage bi = new java.awt.image.BufferedImage(img.width(), img.height(), java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                bi.setRGB(x, y, img.rgb(x, y));
            }
        }
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
        if (progressive) {
            param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (javax.imageio.stream.MemoryCacheImageOutputStream stream = new javax.imageio.stream.MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new javax.imageio.IIOImage(bi, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** Removes the DHT segments before the first scan: an "abbreviated" JPEG. */
    private static byte[] withoutHuffmanTables(byte[] jpeg) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int i = 2;
        while (true) {
            int marker = jpeg[i + 1] & 0xff;
            if (marker == 0xDA) {
                out.write(jpeg, i, jpeg.length - i);
                return out.toByteArray();
            }
            int length = (jpeg[i + 2] & 0xff) << 8 | (jpeg[i + 3] & 0xff);
            if (marker != 0xC4) {
                out.write(jpeg, i, 2 + length);
            }
            i += 2 + length;
        }
    }
}
