package io.frameq.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.frame.FrameDecodeException.Reason;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RawFrameDecoderTest {

    private final RawFrameDecoder decoder = new RawFrameDecoder();

    private RgbImage decode(byte[] payload, ContentType type, int width, int height) throws FrameDecodeException {
        return decoder.decode(payload, FrameMetadata.raw(type, width, height), DecodeLimits.DEFAULT).get(0).image();
    }

    /**
     * A picture whose colour is constant over each 2x2 block, so 4:2:0 subsampling loses nothing
     * and the YUV round trip only suffers rounding. Colours stay inside what limited-range YUV
     * represents without clipping (random, but reproducible).
     */
    private static RgbImage blockyPicture(int width, int height) {
        Random random = new Random(42);
        byte[] px = new byte[width * height * 3];
        int blocksX = (width + 1) / 2;
        int[] colours = new int[blocksX * ((height + 1) / 2)];
        for (int i = 0; i < colours.length; i++) {
            colours[i] = random.nextInt(1 << 24);
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int c = colours[(y / 2) * blocksX + x / 2];
                int o = (y * width + x) * 3;
                px[o] = (byte) (c >> 16);
                px[o + 1] = (byte) (c >> 8);
                px[o + 2] = (byte) c;
            }
        }
        return new RgbImage(width, height, px);
    }

    /** BT.601 limited-range forward transform in floating point (the test's own reference). */
    private static int[] toYuv(int rgb) {
        double r = rgb >> 16 & 0xff;
        double g = rgb >> 8 & 0xff;
        double b = rgb & 0xff;
        double y = 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255;
        double u = 128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255;
        double v = 128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255;
        return new int[] {(int) Math.round(y), (int) Math.round(u), (int) Math.round(v)};
    }

    private static byte[] toYuv420(RgbImage img, boolean interleavedChroma) {
        int w = img.width();
        int h = img.height();
        int cw = (w + 1) / 2;
        int ch = (h + 1) / 2;
        byte[] out = new byte[w * h + 2 * cw * ch];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] yuv = toYuv(img.rgb(x, y));
                out[y * w + x] = (byte) yuv[0];
                if (x % 2 == 0 && y % 2 == 0) {
                    int c = (y / 2) * cw + x / 2;
                    if (interleavedChroma) {
                        out[w * h + 2 * c] = (byte) yuv[1];
                        out[w * h + 2 * c + 1] = (byte) yuv[2];
                    } else {
                        out[w * h + c] = (byte) yuv[1];
                        out[w * h + cw * ch + c] = (byte) yuv[2];
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}x{1}")
    @CsvSource({"64,48", "33,17", "1,1"})
    void nv12AndI420RoundTripWithinRounding(int width, int height) throws Exception {
        RgbImage original = blockyPicture(width, height);
        RgbImage fromNv12 = decode(toYuv420(original, true), ContentType.RAW_NV12, width, height);
        RgbImage fromI420 = decode(toYuv420(original, false), ContentType.RAW_I420, width, height);
        // 8-bit YUV cannot hold every RGB colour: rounding Y, U and V costs up to ~3 levels in RGB
        // (and more where the colour leaves the RGB cube and clips).
        assertThat(Fixtures.meanAbsDiff(fromNv12, original)).isLessThan(1.0);
        assertThat(Fixtures.maxAbsDiff(fromNv12, original)).isLessThanOrEqualTo(4);
        assertThat(fromI420.pixels()).isEqualTo(fromNv12.pixels());
    }

    @Test
    void knownYuvValuesGiveKnownColours() throws Exception {
        // Limited range: Y=16 is black, Y=235 white, U=V=128 grey axis; pure red is (81, 90, 240).
        byte[] i420 = new byte[4 * 2 + 2 * 2];
        byte[] luma = {16, 16, (byte) 235, (byte) 235, 81, 81, 81, 81};
        System.arraycopy(luma, 0, i420, 0, 8);
        // 4x2 picture: chroma 2x1. Left block grey axis, right block red chroma.
        i420[8] = (byte) 128;
        i420[9] = 90;
        i420[10] = (byte) 128;
        i420[11] = (byte) 240;
        RgbImage img = decode(i420, ContentType.RAW_I420, 4, 2);
        assertThat(img.rgb(0, 0)).isEqualTo(0x000000);
        assertThat(img.rgb(1, 1)).isEqualTo(0x4c4c4c); // Y=81 on the grey axis: 1.164*(81-16) = 75.7, so 76
        int red = img.rgb(2, 1);
        assertThat(red >> 16 & 0xff).isGreaterThanOrEqualTo(253);
        assertThat(red >> 8 & 0xff).isLessThanOrEqualTo(2);
        assertThat(red & 0xff).isLessThanOrEqualTo(2);
    }

    @Test
    void rgbIsCopiedAndBgrIsSwapped() throws Exception {
        byte[] rgb = {1, 2, 3, 4, 5, 6};
        RgbImage fromRgb = decode(rgb, ContentType.RAW_RGB24, 2, 1);
        assertThat(fromRgb.pixels()).containsExactly(1, 2, 3, 4, 5, 6).isNotSameAs(rgb);
        assertThat(decode(rgb, ContentType.RAW_BGR24, 2, 1).pixels()).containsExactly(3, 2, 1, 6, 5, 4);
    }

    @Test
    void missingWidthIsMissingHeader() {
        FrameMetadata noWidth = new FrameMetadata(Optional.of(ContentType.RAW_NV12), -1, -1, -1, -1, 240);
        assertThatThrownBy(() -> decoder.decode(new byte[115200], noWidth, DecodeLimits.DEFAULT))
                .hasFieldOrPropertyWithValue("reason", Reason.MISSING_HEADER)
                .hasMessageContaining("frameq-width");
    }

    @Test
    void wrongLengthIsBadHeaderWithExpectedAndActual() {
        assertThatThrownBy(() -> decode(new byte[115000], ContentType.RAW_NV12, 320, 240))
                .hasFieldOrPropertyWithValue("reason", Reason.BAD_HEADER)
                .hasMessageContaining("expected 115200 bytes, actual 115000");
        assertThatThrownBy(() -> decode(new byte[100], ContentType.RAW_RGB24, 320, 240))
                .hasFieldOrPropertyWithValue("reason", Reason.BAD_HEADER)
                .hasMessageContaining("expected 230400 bytes, actual 100");
    }

    @Test
    void overLimitIsRefusedBeforeLookingAtThePayload() {
        assertThatThrownBy(() -> decode(new byte[3], ContentType.RAW_RGB24, 100_000, 1))
                .hasFieldOrPropertyWithValue("reason", Reason.OVER_LIMIT)
                .hasMessageContaining("width: expected at most 7680");
    }

    @Test
    void undeclaredRawIsUnknownContentType() {
        assertThatThrownBy(() -> decoder.decode(new byte[12], Fixtures.noHeaders(), DecodeLimits.DEFAULT))
                .hasFieldOrPropertyWithValue("reason", Reason.UNKNOWN_CONTENT_TYPE);
    }
}
