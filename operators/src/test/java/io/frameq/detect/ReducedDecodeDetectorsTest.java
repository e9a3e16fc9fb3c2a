package io.frameq.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import io.frameq.frame.ContentType;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FfmpegImageDecoder;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameMetadata;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decode only what is needed: a 1080p JPEG decoded at half size in the DCT domain gives the detectors the
 * same verdicts as the full decode, on real photos clean, blurred, noisy and heavily compressed.
 */
class ReducedDecodeDetectorsTest {

    private static FrameDecoders decoders;
    private static final DetectorSuite DETECTORS = new DetectorSuite(DetectorThresholds.DEFAULTS);

    @BeforeAll
    static void open() {
        decoders = new FrameDecoders(DecodeLimits.DEFAULT);
    }

    @AfterAll
    static void close() {
        decoders.close();
    }

    private record Both(DetectorReport full, DetectorReport reduced, FfmpegImageDecoder.Reduced decoded) {
    }

    private static Both both(RgbImage picture, int quality) throws Exception {
        byte[] jpeg = ImageEncoder.jpeg(picture, quality);
        RgbImage full = decoders.decode(jpeg, FrameMetadata.of(ContentType.JPEG)).get(0).image();
        FfmpegImageDecoder.Reduced r = decoders.decodeReduced(jpeg, FrameMetadata.of(ContentType.JPEG), 640);
        return new Both(DETECTORS.analyze(full, null), DETECTORS.analyze(r.frames().get(0).image(), null, r.reduction().factor()), r);
    }

    private static RgbImage hd(String photo) {
        return Degrade.resize(TestPhotos.load(photo), 1920, 1080);
    }

    @Test
    void a1080pJpegIsDecodedAtHalfSizeAndKnowsItsFullSize() throws Exception {
        Both b = both(hd("chelsea"), 85);
        assertThat(b.decoded().reduction().factor()).isEqualTo(2);
        assertThat(b.decoded().reduction().fullWidth()).isEqualTo(1920);
        assertThat(b.decoded().reduction().fullHeight()).isEqualTo(1080);
        RgbImage img = b.decoded().frames().get(0).image();
        assertThat(img.width()).isEqualTo(960);
        assertThat(img.height()).isEqualTo(540);
    }

    @Test
    void a4kJpegIsDecodedAtAQuarterAndSmallOnesAndPngsAtFullSize() throws Exception {
        RgbImage uhd = Degrade.resize(TestPhotos.load("coffee"), 3840, 2160);
        var r = decoders.decodeReduced(ImageEncoder.jpeg(uhd, 80), FrameMetadata.of(ContentType.JPEG), 640);
        assertThat(r.reduction().factor()).isEqualTo(4);
        assertThat(r.frames().get(0).image().width()).isEqualTo(960);
        RgbImage small = Degrade.resize(TestPhotos.load("coffee"), 1000, 600);
        assertThat(decoders.decodeReduced(ImageEncoder.jpeg(small, 80), FrameMetadata.of(ContentType.JPEG), 640).reduction()
                .factor()).as("1000 px: half would be under 640").isEqualTo(1);
        assertThat(decoders.decodeReduced(ImageEncoder.png(hd("coffee")), FrameMetadata.of(ContentType.PNG), 640).reduction()
                .factor()).as("PNG has no DCT").isEqualTo(1);
    }

    @Test
    void theDetectorsReachTheSameVerdictsOnTheReducedDecode() throws Exception {
        for (String photo : TestPhotos.NAMES) {
            RgbImage clean = hd(photo);
            List<RgbImage> cases = List.of(clean, Degrade.gaussianBlur(clean, 6), Degrade.addNoise(clean, 12, 7, false));
            for (int i = 0; i < cases.size(); i++) {
                Both b = both(cases.get(i), 85);
                String what = photo + " case " + i;
                assertThat(b.reduced().flags()).as(what + " flags").isEqualTo(b.full().flags());
                DetectorReadings f = b.full().readings();
                DetectorReadings r = b.reduced().readings();
                assertThat(r.meanLuma()).as(what + " mean luma").isCloseTo(f.meanLuma(), within(1.5));
                if (i < 2) {
                    // (on the noisy picture the full decode's Laplacian also measures the noise, which the DCT-domain
                    // shrink filters out: its sharpness reads lower, as a clean picture's does; the flags above agree)
                    assertThat(r.sharpness()).as(what + " sharpness").isCloseTo(f.sharpness(), within(0.15 * f.sharpness() + 1));
                }
                assertThat(r.noiseSigma()).as(what + " noise").isCloseTo(f.noiseSigma(), within(0.35 * f.noiseSigma() + 1));
            }
        }
    }

    @Test
    void heavyCompressionStaysBlockyOnTheReducedDecode() throws Exception {
        for (String photo : TestPhotos.NAMES) {
            Both b = both(hd(photo), 4);
            assertThat(b.full().flags()).as(photo + ": precondition, the full decode is blocky").contains(Degradation.BLOCKY);
            assertThat(b.reduced().flags()).as(photo).contains(Degradation.BLOCKY);
        }
    }
}
