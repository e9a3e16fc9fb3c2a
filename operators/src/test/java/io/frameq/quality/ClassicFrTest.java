package io.frameq.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.frameq.frame.RgbImage;
import io.frameq.quality.ClassicFr.Plane;
import io.frameq.testing.Images;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Classic FR metrics against published MATLAB outputs ({@code ../shared/data/README.md}; images in
 * {@code src/test/resources/oracles/}, licences in its LICENSE.txt) and, where nothing is published
 * (MS-SSIM, PSNR, luma SSIM of the colour pair), against an independent NumPy/SciPy port of the
 * same MATLAB code ({@code src/test/python/classic_fr_reference.py}).
 */
class ClassicFrTest {

    private static final Path ORACLES = Path.of("src/test/resources/oracles");

    private static RgbImage goldhill;
    private static RgbImage goldhillJpeg;
    private static RgbImage i01;
    private static RgbImage i01Noise;

    @BeforeAll
    static void read() throws IOException {
        goldhill = Images.read(ORACLES.resolve("goldhill.gif"));
        goldhillJpeg = Images.read(ORACLES.resolve("goldhill_jpeg.gif"));
        i01 = Images.read(ORACLES.resolve("I01.BMP"));
        i01Noise = Images.read(ORACLES.resolve("i01_01_5.bmp"));
    }

    @Test
    void shouldReadTheOraclesAsPublished() {
        assertThat(goldhill.width()).isEqualTo(512);
        assertThat(goldhill.height()).isEqualTo(512);
        assertThat(i01.width()).isEqualTo(512);
        assertThat(i01.height()).isEqualTo(384);
        assertThat(Plane.luma(goldhill).data()).as("grey images keep their values as luma")
                .isEqualTo(Plane.channel(goldhill, 1).data());
    }

    @Test
    void shouldMatchMatlabSsimOnGoldhill() {
        // Wang et al. ssim.m, distorted first: 0.8202 (published, +-1e-4)
        double ssim = ClassicFr.ssim(goldhill, goldhillJpeg);

        assertThat(ssim).isCloseTo(0.8202, within(1e-4));
        assertThat(ssim).as("NumPy port").isCloseTo(0.8202024645020468, within(1e-9));
        assertThat(ClassicFr.ssim(goldhillJpeg, goldhill)).as("symmetric").isCloseTo(ssim, within(1e-12));
    }

    @Test
    void shouldMatchThePublishedColourSsimWithTheChannelMean() {
        // published 0.7842 (+-1e-2) for i01_01_5 vs I01; luma SSIM of this noisy pair is far higher
        assertThat(ClassicFr.ssimChannelMean(i01, i01Noise)).isCloseTo(0.7842, within(1e-2))
                .isCloseTo(0.7819624589309208, within(1e-9));
        assertThat(ClassicFr.ssim(i01, i01Noise)).as("luma, NumPy port").isCloseTo(0.879877889465905, within(1e-9));
    }

    @Test
    void shouldMatchTheMsSsimPort() {
        assertThat(ClassicFr.msSsim(goldhill, goldhillJpeg)).isCloseTo(0.9011625645370667, within(1e-9));
        assertThat(ClassicFr.msSsim(i01, i01Noise)).isCloseTo(0.9353562214381652, within(1e-9));
    }

    @Test
    void shouldComputePsnr() {
        assertThat(ClassicFr.psnr(goldhill, goldhillJpeg)).isCloseTo(27.43138889763108, within(1e-9));
        assertThat(ClassicFr.psnr(i01, i01Noise)).isCloseTo(21.015690198476705, within(1e-9));
        assertThat(ClassicFr.psnr(Plane.luma(goldhill), Plane.luma(goldhillJpeg), 255)).isCloseTo(27.43138889763108, within(1e-9));
        Plane a = new Plane(2, 1, new double[] {0.0, 1.0});
        Plane b = new Plane(2, 1, new double[] {0.1, 1.0});
        assertThat(ClassicFr.psnr(a, b, 1.0)).isCloseTo(10 * Math.log10(1 / 0.005), within(1e-12));
    }

    @Test
    void shouldGiveIdenticalImagesTheBestValues() {
        assertThat(ClassicFr.psnr(i01, i01)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(ClassicFr.ssim(i01, i01)).isCloseTo(1.0, within(1e-12));
        assertThat(ClassicFr.ssimChannelMean(i01, i01)).isCloseTo(1.0, within(1e-12));
        assertThat(ClassicFr.msSsim(i01, i01)).isCloseTo(1.0, within(1e-12));
        RgbImage blurred = Images.boxBlur(i01, 3, 2);
        assertThat(ClassicFr.ssim(i01, blurred)).isLessThan(ClassicFr.ssim(i01, Images.boxBlur(i01, 1, 1)));
    }

    @Test
    void shouldDownsampleLikeImfilterSymmetricSame() {
        // f = 2: kernel centre 1 -> rows/cols i, i+1 (mirrored past the end); f = 3: i-1, i, i+1
        Plane p = new Plane(3, 1, new double[] {1, 2, 4});
        assertThat(ClassicFr.boxDownsample(p, 2).data()).containsExactly(1.5, 4.0); // (1+2+1+2)/4, (4+4+4+4)/4
        assertThat(ClassicFr.boxDownsample(p, 3).data()).containsExactly((1 + 1 + 2) * 3 / 9.0);
    }

    @Test
    void shouldRefuseMismatchedOrTooSmallImages() {
        assertThatThrownBy(() -> ClassicFr.ssim(i01, goldhill))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reference 512x384 and distorted 512x512 differ in size");
        RgbImage small = Images.synthetic(160, 200, 1);
        assertThatThrownBy(() -> ClassicFr.msSsim(small, small))
                .hasMessage("msSsim: images of 160x200 are too small for 5 scales (need at least 176 pixels on each side)");
        RgbImage tiny = Images.synthetic(10, 12, 1);
        assertThatThrownBy(() -> ClassicFr.ssim(tiny, tiny))
                .hasMessage("ssim: a 10x12 image is smaller than the 11x11 window (after downsampling)");
    }
}
