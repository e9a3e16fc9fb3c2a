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
