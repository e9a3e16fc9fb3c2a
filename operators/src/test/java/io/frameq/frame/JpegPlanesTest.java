package io.frameq.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A JPEG decoded for the detectors keeps its own Y'CbCr planes instead of going through swscale to RGB: the planes
 * are the picture (same luma, RGB on demand within a level or two of swscale's), and what cannot be handed on as
 * full-range BT.601 planes (a grey JPEG) still comes out as RGB.
 */
class JpegPlanesTest {

    @BeforeAll
    static void ffmpeg() {
        Fixtures.requireFfmpeg();
    }

    private static RgbImage[] rgbAndPlanes(byte[] jpeg, int lowres) throws Exception {
        try (FfmpegImageSession session = new FfmpegImageSession(ContentType.JPEG, AV_CODEC_ID_MJPEG, RgbConversion.FAST, lowres)) {
            RgbImage rgb = session.decode(jpeg, DecodeLimits.DEFAULT);
            RgbImage planes = session.decodeForDetectors(jpeg, DecodeLimits.DEFAULT);
            return new RgbImage[] {rgb, planes};
        }
    }

    @Test
    void aColourJpegKeepsItsPlanesWithTheSameLumaAndRgbOnDemandCloseToSwscales() throws Exception {
        for (int lowres = 0; lowres <= 1; lowres++) {
            RgbImage[] both = rgbAndPlanes(Fixtures.bytes(Fixtures.JPEG), lowres);
            RgbImage rgb = both[0];
            RgbImage planes = both[1];
            String what = "lowres " + lowres;
            assertThat(rgb.planes()).as(what + ": the ordinary decode converts").isNull();
            YuvPlanes p = planes.planes();
            assertThat(p).as(what).isNotNull();
            assertThat(p.width()).isEqualTo(320 >> lowres);
            assertThat(p.height()).isEqualTo(240 >> lowres);
            assertThat(p.chromaShiftX()).as("the fixture is 4:2:0").isEqualTo(1);
            assertThat(p.chromaShiftY()).isEqualTo(1);
            assertThat(p.cb()).hasSize(p.chromaWidth() * p.chromaHeight());
            assertThat(planes.luma()).as(what + ": luma is the Y plane").isSameAs(p.y()).isEqualTo(rgb.luma());
            // swscale's FAST conversion also takes each pixel's chroma sample as it is; only rounding differs (its
            // tables read green about a level lower than the JFIF formula, which is exact here)
            assertThat(Fixtures.maxAbsDiff(planes, rgb)).as(what).isLessThanOrEqualTo(3);
            assertThat(Fixtures.meanAbsDiff(planes, rgb)).as(what).isLessThan(0.75);
        }
        byte[] jpeg = Fixtures.bytes(Fixtures.JPEG);
        RgbImage libjpeg = Fixtures.imageIo(jpeg);
        RgbImage ours = rgbAndPlanes(jpeg, 0)[1];
        // libjpeg interpolates chroma: the same tolerance as swscale's FAST against it (FfmpegImageDecoderTest)
        assertThat(Fixtures.maxAbsDiff(ours, libjpeg)).isLessThanOrEqualTo(16);
        assertThat(Fixtures.meanAbsDiff(ours, libjpeg)).isLessThan(1.0);
    }

    @Test
    void pixelsAreConvertedOnceOnDemandAndPointReadsAgreeWithThem() throws Exception {
        RgbImage planes = rgbAndPlanes(Fixtures.bytes(Fixtures.JPEG), 1)[1];
        int before = planes.rgb(17, 33); // read from the planes: nothing converted yet
        byte[] pixels = planes.pixels();
        assertThat(planes.pixels()).as("converted once").isSameAs(pixels);
        assertThat(pixels).hasSize(160 * 120 * 3);
        for (int[] xy : new int[][] {{0, 0}, {17, 33}, {159, 119}, {80, 60}}) {
            int i = 3 * (xy[1] * 160 + xy[0]);
            int fromPixels = (pixels[i] & 0xff) << 16 | (pixels[i + 1] & 0xff) << 8 | (pixels[i + 2] & 0xff);
            assertThat(planes.rgb(xy[0], xy[1])).isEqualTo(fromPixels).isEqualTo(planes.planes().rgb(xy[0], xy[1]));
        }
        assertThat(before).isEqualTo(planes.rgb(17, 33));
    }

    @Test
    void aGreyJpegIsConvertedAsBefore() throws Exception {
        RgbImage[] both = rgbAndPlanes(Fixtures.bytes(Fixtures.GRAY_JPEG), 1);
        assertThat(both[1].planes()).as("grey has no chroma planes: swscale's RGB").isNull();
        assertThat(both[1].pixels()).isEqualTo(both[0].pixels());
    }

    @Test
    void theJfifMatrixMapsGreyToGreyAndSaturatedChromaToClippedPrimaries() {
        assertThat(YuvPlanes.rgbOf(0, 128, 128)).isEqualTo(0x000000);
        assertThat(YuvPlanes.rgbOf(255, 128, 128)).isEqualTo(0xFFFFFF);
        assertThat(YuvPlanes.rgbOf(117, 128, 128)).isEqualTo(0x757575);
        // pure red in JFIF: Y 76, Cb 85, Cr 255
        assertThat(YuvPlanes.rgbOf(76, 85, 255)).isEqualTo(0xFE0000);
        // pure blue: Y 29, Cb 255, Cr 107
        assertThat(YuvPlanes.rgbOf(29, 255, 107)).isEqualTo(0x0000FE);
    }

    @Test
    void planesOfTheWrongSizeAreRefusedNamingThePlane() {
        assertThatThrownBy(() -> new YuvPlanes(4, 4, new byte[16], new byte[4], new byte[3], 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("YuvPlanes.cr").hasMessageContaining("expected 4")
                .hasMessageContaining("actual 3");
        assertThatThrownBy(() -> new YuvPlanes(4, 4, new byte[16], new byte[4], new byte[4], 3, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chroma shifts");
        YuvPlanes odd = new YuvPlanes(5, 3, new byte[15], new byte[6], new byte[6], 1, 1);
        assertThat(odd.chromaWidth()).as("a partial chroma sample at the odd edge").isEqualTo(3);
        assertThat(odd.chromaHeight()).isEqualTo(2);
        assertThat(RgbImage.ofPlanes(odd).pixels()).hasSize(45);
    }
}
