package io.frameq.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.frameq.frame.RgbImage;
import io.frameq.quality.ClassicFr.Plane;
import io.frameq.testing.Images;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Classic FR metrics against scikit-image's {@code skimage.metrics} (0.26.0; an implementation sharing no code
 * with ours, run with its documented settings for matching Wang et al.'s {@code ssim.m}) and an independent
 * NumPy/SciPy port of the MATLAB code ({@code src/test/python/classic_fr_reference.py}, which prints every value
 * pinned here). Images in {@code src/test/resources/oracles/} (licences in its LICENSES.md): the cameraman from
 * Debian's python3-skimage (CC0) with scikit-image's own SSIM-test noise, and the chelsea frame fixture with the
 * same noise per channel. The skimage-computed SSIM without downsampling of the camera pair, 0.357964, agrees
 * with the published IPOL imdiff value 0.357959 quoted in scikit-image's tests (checked in the Python tests).
 */
class ClassicFrTest {

    private static final Path ORACLES = Path.of("src/test/resources/oracles");

    private static RgbImage camera;
    private static RgbImage cameraNoisy;
    private static RgbImage chelsea;
    private static RgbImage chelseaNoisy;

    @BeforeAll
    static void read() throws IOException {
        camera = readGrey(ORACLES.resolve("camera.png"));
        cameraNoisy = readGrey(ORACLES.resolve("camera_noisy.png"));
        chelsea = Images.read(Path.of("src/test/resources/frames/chelsea_320x240.png"));
        chelseaNoisy = Images.read(ORACLES.resolve("chelsea_320x240_noisy.png"));
    }

    /**
     * An 8-bit grey PNG as RGB24 from its raster samples: {@code BufferedImage.getRGB} (used by Images.read)
     * would convert the linear-grey colour space to sRGB and change the values.
     */
    private static RgbImage readGrey(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        assertThat(img.getRaster().getNumBands()).as(file + " is single-channel").isEqualTo(1);
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                byte v = (byte) img.getRaster().getSample(x, y, 0);
                int i = 3 * (y * w + x);
                px[i] = v;
                px[i + 1] = v;
                px[i + 2] = v;
            }
        }
        return new RgbImage(w, h, px);
    }

    @Test
    void shouldReadTheOracles() {
        assertThat(camera.width()).isEqualTo(512);
        assertThat(camera.height()).isEqualTo(512);
        assertThat(chelsea.width()).isEqualTo(320);
        assertThat(chelsea.height()).isEqualTo(240);
        assertThat(Plane.luma(camera).data()).as("grey images keep their values as luma")
                .isEqualTo(Plane.channel(camera, 1).data());
    }

    @Test
    void shouldMatchScikitImageSsimOnTheNoisyCameraman() {
        // ssim.m downsamples the 512 px pair by f = 2; skimage on the 2x2 block means: 0.6244639495511667
        double ssim = ClassicFr.ssim(camera, cameraNoisy);

        assertThat(ssim).isCloseTo(0.6244639495511667, within(1e-9));
        assertThat(ssim).as("NumPy port").isCloseTo(0.6244639495511652, within(1e-9));
        assertThat(ClassicFr.ssim(cameraNoisy, camera)).as("symmetric").isCloseTo(ssim, within(1e-12));
    }

    @Test
    void shouldMatchScikitImageOnTheColourPairPerChannelAndInLuma() {
        // 320x240: no downsampling. skimage mean of the R, G, B SSIMs 0.4024653505689694; luma SSIM is far
        // higher, since noise independent per channel partly averages out in luma
        assertThat(ClassicFr.ssimChannelMean(chelsea, chelseaNoisy)).isCloseTo(0.4024653505689694, within(1e-9))
                .as("NumPy port").isCloseTo(0.40246535056896976, within(1e-9));
        assertThat(ClassicFr.ssim(chelsea, chelseaNoisy)).as("luma (rgb2gray), skimage")
                .isCloseTo(0.5680658922800624, within(1e-9));
    }

    @Test
    void shouldMatchTheMsSsimPort() {
        assertThat(ClassicFr.msSsim(camera, cameraNoisy)).isCloseTo(0.7933915442547528, within(1e-9));
        assertThat(ClassicFr.msSsim(chelsea, chelseaNoisy)).isCloseTo(0.9299572140049174, within(1e-9));
    }

    @Test
    void shouldComputePsnr() {
        // skimage.metrics.peak_signal_noise_ratio(data_range=255) gives the same values
        assertThat(ClassicFr.psnr(camera, cameraNoisy)).isCloseTo(22.40935284991332, within(1e-9));
        assertThat(ClassicFr.psnr(chelsea, chelseaNoisy)).isCloseTo(22.15492616596761, within(1e-9));
        assertThat(ClassicFr.psnr(Plane.luma(camera), Plane.luma(cameraNoisy), 255)).isCloseTo(22.40935284991332, within(1e-9));
        Plane a = new Plane(2, 1, new double[] {0.0, 1.0});
        Plane b = new Plane(2, 1, new double[] {0.1, 1.0});
        assertThat(ClassicFr.psnr(a, b, 1.0)).isCloseTo(10 * Math.log10(1 / 0.005), within(1e-12));
    }

    @Test
    void shouldGiveIdenticalImagesTheBestValues() {
        assertThat(ClassicFr.psnr(chelsea, chelsea)).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(ClassicFr.ssim(chelsea, chelsea)).isCloseTo(1.0, within(1e-12));
        assertThat(ClassicFr.ssimChannelMean(chelsea, chelsea)).isCloseTo(1.0, within(1e-12));
        assertThat(ClassicFr.msSsim(chelsea, chelsea)).isCloseTo(1.0, within(1e-12));
        RgbImage blurred = Images.boxBlur(chelsea, 3, 2);
        assertThat(ClassicFr.ssim(chelsea, blurred)).isLessThan(ClassicFr.ssim(chelsea, Images.boxBlur(chelsea, 1, 1)));
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
        assertThatThrownBy(() -> ClassicFr.ssim(chelsea, camera))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reference 320x240 and distorted 512x512 differ in size");
        RgbImage small = Images.synthetic(160, 200, 1);
        assertThatThrownBy(() -> ClassicFr.msSsim(small, small))
                .hasMessage("msSsim: images of 160x200 are too small for 5 scales (need at least 176 pixels on each side)");
        RgbImage tiny = Images.synthetic(10, 12, 1);
        assertThatThrownBy(() -> ClassicFr.ssim(tiny, tiny))
                .hasMessage("ssim: a 10x12 image is smaller than the 11x11 window (after downsampling)");
    }
}
