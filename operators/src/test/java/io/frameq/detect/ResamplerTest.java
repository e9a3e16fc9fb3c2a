package io.frameq.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    @Test
    void fractionalAreaAverageUsesOverlapWeights() {
        // 5 -> 2 pixels: each output covers 2.5 input pixels.
        byte[] src = {10, 20, 30, 40, 50};
        float[] out = Resampler.resample(src, 5, 1, 2, 1);
        assertThat(out[0]).isCloseTo((10 + 20 + 0.5f * 30) / 2.5f, within(1e-4f));
        assertThat(out[1]).isCloseTo((0.5f * 30 + 40 + 50) / 2.5f, within(1e-4f));
    }

    @Test
    void boxShrinkEqualsGeneralResamplerForIntegerFactors() {
        Random rnd = new Random(7);
        int w = 1920;
        int h = 1080;
        byte[] src = new byte[w * h];
        rnd.nextBytes(src);
        float[] fast = Resampler.boxShrink(src, w, h, 3);
        float[] general = Resampler.resample(src, w, h, 640, 360);
        assertThat(fast).hasSameSizeAs(general);
        for (int i = 0; i < fast.length; i++) {
            assertThat(fast[i]).isCloseTo(general[i], within(1e-3f));
        }
    }

    @Test
    void threeToTwoShrinkEqualsGeneralResampler() {
        Random rnd = new Random(11);
        int w = 960;
        int h = 540;
        byte[] src = new byte[w * h];
        rnd.nextBytes(src);
        float[] fast = Resampler.shrinkThreeToTwo(src, w, h);
        float[] general = Resampler.resample(src, w, h, 640, 360);
        assertThat(fast).hasSameSizeAs(general);
        for (int i = 0; i < fast.length; i++) {
            assertThat(fast[i]).as("pixel %d", i).isCloseTo(general[i], within(1e-3f));
        }
    }

    @Test
    void fourToThreeEnlargementEqualsGeneralResamplerExactly() {
        Random rnd = new Random(13);
        int w = 480;
        int h = 270;
        byte[] src = new byte[w * h];
        rnd.nextBytes(src);
        float[] fast = Resampler.enlargeThreeToFour(src, w, h);
        float[] general = Resampler.resample(src, w, h, 640, 360);
        // bilinear weights in eighths of 8-bit values: every sum is exact in float, so no tolerance is needed
        assertThat(fast).isEqualTo(general);
        // and it is an enlargement that keeps a ramp a ramp: the middle output of a group lies between its sources
        byte[] ramp = new byte[6 * 3];
        for (int i = 0; i < ramp.length; i++) {
            ramp[i] = (byte) (10 * (i % 6));
        }
        float[] up = Resampler.enlargeThreeToFour(ramp, 6, 3);
        assertThat(up).hasSize(8 * 4);
        assertThat(java.util.Arrays.copyOf(up, 8)).containsExactly(0f, 6.25f, 13.75f, 21.25f, 28.75f, 36.25f, 43.75f, 50f);
    }

    @Test
    void aQuarterDecodeOf1080pGetsThe640WorkingPlaneItsFullPictureWould() {
        byte[] luma = new byte[480 * 270];
        DetectorSuite.Plane p = DetectorSuite.workingPlane(luma, 480, 270, 4);
        assertThat(p.width()).isEqualTo(640);
        assertThat(p.height()).isEqualTo(360);
        DetectorSuite.Plane half = DetectorSuite.workingPlane(new byte[960 * 540], 960, 540, 2);
        assertThat(half.width()).isEqualTo(640);
        assertThat(half.height()).isEqualTo(360);
        DetectorSuite.Plane small = DetectorSuite.workingPlane(luma, 480, 270, 1);
        assertThat(small.width()).as("a picture that small in full is not enlarged").isEqualTo(480);
    }

    @Test
    void shrinkingPreservesTheMeanAndConstants() {
        Random rnd = new Random(3);
        int w = 1000;
        int h = 700;
        byte[] src = new byte[w * h];
        rnd.nextBytes(src);
        double mean = 0;
        for (byte b : src) {
            mean += b & 0xff;
        }
        mean /= src.length;
        float[] out = Resampler.resample(src, w, h, 640, 448);
        double outMean = 0;
        for (float f : out) {
            outMean += f;
        }
        outMean /= out.length;
        assertThat(outMean).isCloseTo(mean, within(0.05));

        byte[] flat = new byte[w * h];
        java.util.Arrays.fill(flat, (byte) 200);
        for (float f : Resampler.resample(flat, w, h, 64, 36)) {
            assertThat(f).isCloseTo(200f, within(1e-3f));
        }
        for (float f : Resampler.resample(new byte[] {(byte) 200}, 1, 1, 64, 36)) { // enlarging: bilinear
            assertThat(f).isCloseTo(200f, within(1e-3f));
        }
    }
}
