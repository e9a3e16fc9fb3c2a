package io.frameq.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.frame.RgbImage;
import io.frameq.quality.ClassicFr;
import io.frameq.testing.Images;

import org.junit.jupiter.api.Test;

class BicubicResamplerTest {

    @Test
    void kernelIsKeysCubicWithMinusOneHalf() {
        assertThat(BicubicResampler.kernel(0)).isEqualTo(1.0);
        assertThat(BicubicResampler.kernel(1)).isEqualTo(0.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(BicubicResampler.kernel(2)).isEqualTo(0.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(BicubicResampler.kernel(0.5)).isEqualTo(0.5625, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(BicubicResampler.kernel(1.5)).isEqualTo(-0.0625, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void equalSizeIsTheImageItselfAndAFlatImageStaysFlat() {
        RgbImage img = Images.synthetic(64, 48, 1);
        assertThat(BicubicResampler.resize(img, 64, 48)).isSameAs(img);
        byte[] px = new byte[20 * 10 * 3];
        java.util.Arrays.fill(px, (byte) 77);
        RgbImage up = BicubicResampler.resize(new RgbImage(20, 10, px), 53, 31);
        for (byte b : up.pixels()) {
            assertThat(b & 0xff).isEqualTo(77);
        }
    }

    @Test
    void reproducesALinearRampInTheInteriorWhenUpsamplingTwice() {
        int w = 32;
        byte[] px = new byte[w * 4 * 3];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                px[i] = (byte) (8 * x);
                px[i + 1] = (byte) (8 * x);
                px[i + 2] = (byte) (8 * x);
            }
        }
        RgbImage up = BicubicResampler.resize(new RgbImage(w, 4, px), 2 * w, 4);
        for (int x = 4; x < 2 * w - 4; x++) {
            double expected = 8 * ((x + 0.5) / 2 - 0.5); // the ramp at the output pixel's centre
            assertThat(up.pixels()[x * 3] & 0xff).as("x=" + x).isCloseTo((int) Math.round(expected), org.assertj.core.api.Assertions.within(1));
        }
    }

    @Test
    void upsamplingAHalfSizeRenditionBeatsBilinearAndShrinkingAntialiases() {
        RgbImage ref = Images.synthetic(320, 180, 7);
        RgbImage half = BicubicResampler.resize(ref, 160, 90);
        double bicubic = ClassicFr.psnr(ref, BicubicResampler.resize(half, 320, 180));
        assertThat(bicubic).isGreaterThan(15).isLessThan(60);
        // a 1-pixel checkerboard shrunk by 2 must come out grey, not aliased black or white
        byte[] cb = new byte[16 * 16 * 3];
        for (int i = 0; i < 16 * 16; i++) {
            byte v = (byte) (((i % 16 + i / 16) % 2) * 255);
            cb[3 * i] = v;
            cb[3 * i + 1] = v;
            cb[3 * i + 2] = v;
        }
        RgbImage small = BicubicResampler.resize(new RgbImage(16, 16, cb), 8, 8);
        assertThat(small.pixels()[(4 * 8 + 4) * 3] & 0xff).isBetween(100, 155);
    }

    @Test
    void refusesANonPositiveSize() {
        assertThatThrownBy(() -> BicubicResampler.resize(Images.synthetic(8, 8, 1), 0, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0x4");
    }
}
