package io.frameq.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.frameq.frame.RgbImage;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link FineEdges}: defocus that only the picture's own resolution shows. The committed photos are 384 px wide, so a
 * 4K frame is made from one by repeating each pixel 10 x 10 (nearest neighbour): that keeps every edge one pixel wide
 * at 4K, as a sharp 4K camera would show it. A smooth (bilinear) enlargement would itself spread every edge over
 * about ten pixels, which is exactly the blur this cue is for (see {@link #aSmoothEnlargementReadsAsBlur}).
 */
class FineEdgesTest {

    private static final double THRESHOLD = FaultThresholds.DEFAULTS.defocusedBelowFineEdges();

    @Test
    void aSharpFourKFrameReadsSharpAndIsNotDefocused() {
        for (String name : TestPhotos.NAMES) {
            RgbImage sharp = Degrade.enlargeNearest(TestPhotos.load(name), 10);
            double fine = FineEdges.sharpest(luma(sharp), sharp.width(), sharp.height());
            assertThat(fine).as(name).isGreaterThan(THRESHOLD + 0.1);
            assertThat(types(new DetectorSuite().analyze(sharp, null))).as(name).doesNotContain(FaultType.DEFOCUSED);
        }
    }

    @Test
    void aFourKFrameOutOfFocusIsDefocusedThoughTheWorkingPlaneSeesCrispEdges() {
        for (String name : TestPhotos.NAMES) {
            RgbImage sharp = Degrade.enlargeNearest(TestPhotos.load(name), 10);
            // sigma 6 px at 4K (read at 2K: sigma 3): edges about 15 px wide at 4K, 2-3 px at the 640 px working plane
            RgbImage blurred = Degrade.gaussianBlur(sharp, 6);
            double fine = FineEdges.sharpest(luma(blurred), blurred.width(), blurred.height());
            assertThat(fine).as(name).isLessThan(THRESHOLD - 0.05);
            DetectorReport full = new DetectorSuite().analyze(blurred, null);
            assertThat(types(full)).as(name).contains(FaultType.DEFOCUSED);
            assertThat(full.flags()).as(name).contains(Degradation.DEFOCUSED, Degradation.BLUR);
            // the same frame decoded at a quarter of its size (960 px): the grid alone does not see the blur
            RgbImage quarter = Degrade.shrink(blurred, 4);
            assertThat(types(new DetectorSuite().analyze(quarter, null, 4))).as(name).doesNotContain(FaultType.DEFOCUSED);
        }
    }

    @Test
    void aSmoothEnlargementReadsAsBlur() {
        RgbImage photo = TestPhotos.load("coffee");
        RgbImage smooth = Degrade.resize(photo, photo.width() * 5, photo.height() * 5);
        assertThat(FineEdges.sharpest(luma(smooth), smooth.width(), smooth.height())).isLessThan(THRESHOLD);
    }

    @Test
    void aBlankPictureHasNoCue() {
        int w = 1920;
        int h = 1080;
        byte[] grey = new byte[w * h];
        java.util.Arrays.fill(grey, (byte) 128);
        assertThat(FineEdges.sharpest(grey, w, h)).isNaN();
    }

    @Test
    void onlyPicturesTheWorkingPlaneShrinksByHalfAgainOrMore() {
        assertThat(FineEdges.applies(959, 540)).isFalse();
        assertThat(FineEdges.applies(960, 540)).isTrue();
        assertThat(FineEdges.applies(1920, 1080)).isTrue();
        assertThat(FineEdges.applies(640, 1920)).isTrue();   // portrait: the height cap shrinks it 1.5x
        assertThat(FineEdges.applies(640, 1900)).isFalse();
    }

    @Test
    void aReducedDecodeIsNotJudgedAtItsOwnScale() {
        // a smooth enlargement reads as blur at full size, but a reduced decode is near the working width anyway
        RgbImage photo = TestPhotos.load("chelsea");
        RgbImage smooth = Degrade.resize(photo, 1920, 1275);
        assertThat(types(new DetectorSuite().analyze(smooth, null, 1))).contains(FaultType.DEFOCUSED);
        assertThat(types(new DetectorSuite().analyze(smooth, null, 2))).doesNotContain(FaultType.DEFOCUSED);
    }

    private static List<FaultType> types(DetectorReport r) {
        return r.faults().stream().map(Fault::type).toList();
    }

    /** The luma plane the suite itself computes from RGB, which is what it hands {@link FineEdges}. */
    private static byte[] luma(RgbImage img) {
        int n = img.width() * img.height();
        byte[] y = new byte[n];
        DetectorSuite.lumaAndExposure(img.pixels(), y, n);
        return y;
    }
}
