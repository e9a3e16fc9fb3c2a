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
import io.frameq.frame.SwscaleRgb;

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

    private record Both(DetectorReport full, DetectorReport reduced, FfmpegImageDecoder.Reduced decoded, RgbImage fullImage) {
    }

    private static Both both(RgbImage picture, int quality) throws Exception {
        byte[] jpeg = ImageEncoder.jpeg(picture, quality);
        RgbImage full = decoders.decode(jpeg, FrameMetadata.of(ContentType.JPEG)).get(0).image();
        FfmpegImageDecoder.Reduced r = decoders.decodeReduced(jpeg, FrameMetadata.of(ContentType.JPEG), 640);
        return new Both(DETECTORS.analyze(full, null), DETECTORS.analyze(r.frames().get(0).image(), null, r.reduction().factor()), r,
                full);
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
        byte[] uhdJpeg = ImageEncoder.jpeg(uhd, 80);
        var r = decoders.decodeReduced(uhdJpeg, FrameMetadata.of(ContentType.JPEG), 640);
        assertThat(r.reduction().factor()).isEqualTo(4);
        assertThat(r.frames().get(0).image().width()).isEqualTo(960);
        // 960 px is wider than the working plane: nothing to enlarge, so the sharpness is not rescaled
        double quarter = DETECTORS.analyze(r.frames().get(0).image(), null, 4).readings().sharpness();
        double full = DETECTORS.analyze(decoders.decode(uhdJpeg, FrameMetadata.of(ContentType.JPEG)).get(0).image(), null)
                .readings().sharpness();
        assertThat(quarter).as("4K at a quarter").isCloseTo(full, within(0.15 * full + 1));
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
            List<RgbImage> cases = List.of(clean, Degrade.gaussianBlur(clean, 6), Degrade.addNoise(clean, 16, 7, false));
            for (int i = 0; i < cases.size(); i++) {
                Both b = both(cases.get(i), 85);
                String what = photo + " case " + i;
                assertSameFlagsButNativeBlur(b, what);
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

    /**
     * The reduced decode's flags are the full decode's, except that only the full decode can see blur at the picture's
     * own scale ({@link FineEdges}): these 1080p pictures are the 384 px photos enlarged smoothly, so every edge is
     * about five pixels wide at 1080p, and the full decode reads them defocused.
     */
    private static void assertSameFlagsButNativeBlur(Both b, String what) {
        java.util.Set<Degradation> onlyFull = java.util.EnumSet.noneOf(Degradation.class);
        onlyFull.addAll(b.full().flags());
        onlyFull.removeAll(b.reduced().flags());
        assertThat(b.full().flags()).as(what + " flags").containsAll(b.reduced().flags());
        if (!onlyFull.isEmpty()) {
            assertThat(onlyFull).as(what + ": only blur at the picture's own scale").isSubsetOf(Degradation.BLUR, Degradation.DEFOCUSED);
            RgbImage full = b.fullImage();
            assertThat(FineEdges.sharpest(full.luma(), full.width(), full.height())).as(what + " fine edges")
                    .isLessThan(FaultThresholds.DEFAULTS.defocusedBelowFineEdges());
        }
    }

    /**
     * The reduced decode hands on the JPEG's planes without converting them to RGB; the same decode converted to RGB by
     * swscale, as the reduced decode did before, must give the same verdicts: the luma readings are the same numbers
     * (the same Y plane), the colour readings differ by the rounding of the two conversions only (swscale's fast
     * tables read green about a level lower than the JFIF formula, up to 2 in bright hazy cells). Faults chosen to exercise the colour readings
     * (a cast, a colourless IR picture, haze's raised dark channel) and the luma ones (a cover, glare).
     */
    @Test
    void theJpegPlanesGiveTheSameVerdictsAsTheSameFrameInRgb() throws Exception {
        int faultsSeen = 0;
        for (String photo : TestPhotos.NAMES) {
            RgbImage clean = hd(photo);
            List<RgbImage> cases = List.of(clean, CameraFaults.tint(clean, 1, 1, 0.25), CameraFaults.greyscale(clean),
                    CameraFaults.veil(clean, 0.75, 210), CameraFaults.cover(clean, 0.12, 90),
                    CameraFaults.glare(clean, 0.3, 0.4, clean.width() / 16.0, 6), Degrade.addNoise(clean, 16, 7, false));
            for (int i = 0; i < cases.size(); i++) {
                String what = photo + " case " + i;
                byte[] jpeg = ImageEncoder.jpeg(cases.get(i), 85);
                var r = decoders.decodeReduced(jpeg, FrameMetadata.of(ContentType.JPEG), 640);
                RgbImage planes = r.frames().get(0).image();
                assertThat(planes.planes()).as(what + ": decoded to planes").isNotNull();
                RgbImage rgb = SwscaleRgb.decode(jpeg, 1);
                assertThat(rgb.planes()).isNull();
                DetectorReport y = DETECTORS.analyze(planes, null, 2);
                DetectorReport c = DETECTORS.analyze(rgb, null, 2);
                assertThat(y.flags()).as(what + " flags").isEqualTo(c.flags());
                assertThat(y.faults().stream().map(Fault::type).toList()).as(what + " faults")
                        .isEqualTo(c.faults().stream().map(Fault::type).toList());
                assertThat(y.readings()).as(what + ": the whole-frame readings are luma only").isEqualTo(c.readings());
                faultsSeen += y.faults().size();
                for (int k = 0; k < y.cells().cells().size(); k++) {
                    CellReading a = y.cells().cells().get(k);
                    CellReading b = c.cells().cells().get(k);
                    assertThat(a.meanLuma()).as(what + " cell " + k).isEqualTo(b.meanLuma());
                    assertThat(a.meanRed()).as(what + " cell " + k + " red").isCloseTo(b.meanRed(), within(2.5));
                    assertThat(a.meanGreen()).as(what + " cell " + k + " green").isCloseTo(b.meanGreen(), within(2.5));
                    assertThat(a.meanBlue()).as(what + " cell " + k + " blue").isCloseTo(b.meanBlue(), within(2.5));
                    assertThat(a.saturation()).as(what + " cell " + k + " saturation").isCloseTo(b.saturation(), within(2.5));
                    assertThat(a.darkChannel()).as(what + " cell " + k + " dark channel").isCloseTo(b.darkChannel(), within(3.0));
                }
            }
        }
        assertThat(faultsSeen).as("the cases raise faults, so the verdicts compared are not all empty").isGreaterThan(10);
    }

    /** The committed real pictures: the three photos and a frame of the OpenCV plaza clip (frames/LICENSE.txt). */
    private static List<RgbImage> realFrames() {
        List<RgbImage> out = new java.util.ArrayList<>();
        for (String photo : TestPhotos.NAMES) {
            out.add(hd(photo));
        }
        try (java.io.InputStream in = ReducedDecodeDetectorsTest.class.getResourceAsStream("/frames/plaza_320x240_frame0.png")) {
            assertThat(in).as("fixture frames/plaza_320x240_frame0.png").isNotNull();
            out.add(Degrade.resize(TestPhotos.toRgb(javax.imageio.ImageIO.read(in)), 1920, 1080));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /**
     * decode.jpeg.reduced.min.width=480: a 1080p JPEG is decoded at a quarter (480x270), and the detectors still reach
     * the full decode's verdicts on real pictures, clean, blurred and noisy (but for blur at the picture's own scale,
     * {@link FineEdges}, which only the full decode reads), and the half decode's verdicts exactly: the working plane
     * is enlarged to the full picture's 640 px, the sharpness rescaled to about the full decode's, and the blockiness
     * is not measured.
     */
    @Test
    void aQuarterDecodeOf1080pReachesTheFullDecodesVerdicts() throws Exception {
        int faulty = 0;
        List<RgbImage> frames = realFrames();
        for (int p = 0; p < frames.size(); p++) {
            RgbImage clean = frames.get(p);
            List<RgbImage> cases = List.of(clean, Degrade.gaussianBlur(clean, 6), Degrade.addNoise(clean, 16, 7, false));
            for (int i = 0; i < cases.size(); i++) {
                String what = "picture " + p + " case " + i;
                byte[] jpeg = ImageEncoder.jpeg(cases.get(i), 85);
                RgbImage fullImage = decoders.decode(jpeg, FrameMetadata.of(ContentType.JPEG)).get(0).image();
                DetectorReport full = DETECTORS.analyze(fullImage, null);
                FfmpegImageDecoder.Reduced r = decoders.decodeReduced(jpeg, FrameMetadata.of(ContentType.JPEG), 480);
                assertThat(r.reduction().factor()).as(what).isEqualTo(4);
                RgbImage quarter = r.frames().get(0).image();
                assertThat(quarter.width()).isEqualTo(480);
                assertThat(quarter.height()).isEqualTo(270);
                DetectorReport q = DETECTORS.analyze(quarter, null, 4);
                FfmpegImageDecoder.Reduced h = decoders.decodeReduced(jpeg, FrameMetadata.of(ContentType.JPEG), 640);
                DetectorReport half = DETECTORS.analyze(h.frames().get(0).image(), null, h.reduction().factor());
                // the full decode's flags, but for blur at the picture's own scale, which no reduced decode sees
                assertSameFlagsButNativeBlur(new Both(full, q, r, fullImage), what + " (quarter)");
                assertThat(q.flags()).as(what + " flags: the quarter's are the half's").isEqualTo(half.flags());
                assertThat(q.faults().stream().map(Fault::type).toList()).as(what + " faults: the quarter's are the half's")
                        .isEqualTo(half.faults().stream().map(Fault::type).toList());
                DetectorReadings f = full.readings();
                DetectorReadings d = q.readings();
                assertThat(d.meanLuma()).as(what + " mean luma").isCloseTo(f.meanLuma(), within(1.5));
                assertThat(d.blockiness()).as(what + ": not measured at a quarter").isNaN();
                if (i == 0) {
                    // rescaled, approximately: the full decode's over the quarter's Laplacian varies with the scene
                    assertThat(d.sharpness()).as(what + " sharpness").isBetween(f.sharpness() / 2, f.sharpness() * 2);
                }
                assertThat(q.thumbnail()).as(what + ": the thumbnail comes from the same 640x360 plane")
                        .hasSize(DetectorSuite.THUMBNAIL_LENGTH);
                double diff = DetectorSuite.frozenDiff(q.thumbnail(), full.thumbnail());
                assertThat(diff).as(what + ": the quarter's thumbnail is the full decode's, to a level or so").isLessThan(1.5);
                faulty += q.flags().isEmpty() ? 0 : 1;
            }
        }
        assertThat(faulty).as("most of the 8 blurred and noisy cases raise flags on the quarter, so equal flags are not all empty")
                .isGreaterThanOrEqualTo(6);
    }

    @Test
    void aQuarterDecodeCannotCallAFrameBlocky() throws Exception {
        byte[] jpeg = ImageEncoder.jpeg(hd("coffee"), 4);
        DetectorReport full = DETECTORS.analyze(decoders.decode(jpeg, FrameMetadata.of(ContentType.JPEG)).get(0).image(), null);
        assertThat(full.flags()).as("precondition: quality 4 is blocky on the full decode").contains(Degradation.BLOCKY);
        var r = decoders.decodeReduced(jpeg, FrameMetadata.of(ContentType.JPEG), 480);
        DetectorReport q = DETECTORS.analyze(r.frames().get(0).image(), null, r.reduction().factor());
        assertThat(q.readings().blockiness()).isNaN();
        assertThat(q.flags()).as("BLOCKY needs a measured blockiness").doesNotContain(Degradation.BLOCKY);
    }

    @Test
    void heavyCompressionStaysBlockyOnTheReducedDecode() throws Exception {
        for (String photo : TestPhotos.NAMES) {
            Both b = both(hd(photo), 4);
            assertThat(b.full().flags()).as(photo + ": precondition, the full decode is blocky").contains(Degradation.BLOCKY);
            assertThat(b.reduced().flags()).as(photo).contains(Degradation.BLOCKY);
        }
    }

    /**
     * Issue 23: the half decode's blockiness is rescaled ({@link DetectorSuite#BLOCKINESS_GAIN_AT_HALF}), so a 1080p
     * JPEG at quality 15, blocky on the full decode, is blocky at half size too (unscaled, the half decode read 1.64-2.04
     * on these pictures and missed three of the four), and the same pictures at quality 85 stay unflagged in both.
     */
    @Test
    void aHalfDecodeSeesTheBlockingTheFullDecodeSeesAtQuality15() throws Exception {
        List<RgbImage> frames = realFrames();
        for (int p = 0; p < frames.size(); p++) {
            String what = "picture " + p;
            Both clean = both(frames.get(p), 85);
            assertThat(clean.decoded().reduction().factor()).as(what).isEqualTo(2);
            assertThat(clean.full().flags()).as(what + " q85: precondition, the full decode is not blocky")
                    .doesNotContain(Degradation.BLOCKY);
            assertThat(clean.reduced().flags()).as(what + " q85 at half").doesNotContain(Degradation.BLOCKY);
            Both compressed = both(frames.get(p), 15);
            assertThat(compressed.full().flags()).as(what + " q15: precondition, the full decode is blocky")
                    .contains(Degradation.BLOCKY);
            assertThat(compressed.reduced().flags()).as(what + " q15 at half").contains(Degradation.BLOCKY);
        }
    }
}
