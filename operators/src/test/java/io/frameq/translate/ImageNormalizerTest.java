package io.frameq.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.frame.RgbImage;
import io.frameq.model.ModelDescriptor.Aggregate;
import io.frameq.model.ModelDescriptor.ColorOrder;
import io.frameq.model.ModelDescriptor.Crop;
import io.frameq.model.ModelDescriptor.CropPolicy;
import io.frameq.model.ModelDescriptor.Interpolation;
import io.frameq.model.ModelDescriptor.Layout;
import io.frameq.model.ModelDescriptor.Preprocess;
import io.frameq.translate.CropSampler.Box;
import org.junit.jupiter.api.Test;

class ImageNormalizerTest {

    private static Preprocess preprocess(ColorOrder order, double[] mean, double[] std) {
        return new Preprocess(order, Layout.NCHW, 255.0, mean, std,
                new Crop(CropPolicy.CENTRE, 2, 2, Interpolation.BILINEAR), Aggregate.MEAN);
    }

    /** 3x2 image; pixel (x, y) = (10x + y, 100 + 10x + y, 200 + 10x + y). */
    private static RgbImage known() {
        byte[] px = new byte[3 * 2 * 3];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                int i = (y * 3 + x) * 3;
                px[i] = (byte) (10 * x + y);
                px[i + 1] = (byte) (100 + 10 * x + y);
                px[i + 2] = (byte) (200 + 10 * x + y);
            }
        }
        return new RgbImage(3, 2, px);
    }

    private static float expected(int v, double mean, double std) {
        return ((float) v / 255f - (float) mean) / (float) std;
    }

    @Test
    void shouldWriteNormalizedChwInRgbOrder() {
        ImageNormalizer n = new ImageNormalizer(preprocess(ColorOrder.RGB, new double[] {0.5, 0.4, 0.3},
                new double[] {0.5, 0.25, 0.2}));
        float[] dst = new float[1 + 3 * 2 * 2];

        n.write(known(), new Box(1, 0, 2, 2), dst, 1);

        assertThat(dst[0]).isZero(); // before the offset: untouched
        // channel R, rows y=0,1, columns x=1,2
        assertThat(dst[1]).isEqualTo(expected(10, 0.5, 0.5));
        assertThat(dst[2]).isEqualTo(expected(20, 0.5, 0.5));
        assertThat(dst[3]).isEqualTo(expected(11, 0.5, 0.5));
        assertThat(dst[4]).isEqualTo(expected(21, 0.5, 0.5));
        // channel G
        assertThat(dst[5]).isEqualTo(expected(110, 0.4, 0.25));
        assertThat(dst[8]).isEqualTo(expected(121, 0.4, 0.25));
        // channel B
        assertThat(dst[9]).isEqualTo(expected(210, 0.3, 0.2));
        assertThat(dst[12]).isEqualTo(expected(221, 0.3, 0.2));
    }

    @Test
    void shouldMapBlackAndWhiteToTheEndsOfTheRange() {
        ImageNormalizer n = new ImageNormalizer(preprocess(ColorOrder.RGB, new double[] {0.5, 0.5, 0.5},
                new double[] {0.5, 0.5, 0.5}));
        RgbImage bw = new RgbImage(2, 1, new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
        float[] dst = new float[6];

        n.write(bw, new Box(0, 0, 2, 1), dst, 0);

        assertThat(dst).containsExactly(-1f, 1f, -1f, 1f, -1f, 1f);
    }

    @Test
    void shouldSwapChannelsForBgrModels() {
        ImageNormalizer n = new ImageNormalizer(preprocess(ColorOrder.BGR, new double[] {0, 0, 0}, new double[] {1, 1, 1}));
        float[] dst = new float[3];

        n.write(known(), new Box(2, 1, 1, 1), dst, 0); // pixel (2,1) = (21, 121, 221)

        assertThat(dst).containsExactly(221 / 255f, 121 / 255f, 21 / 255f);
    }

    @Test
    void shouldRejectBoxesOutsideTheImageOrTheBuffer() {
        ImageNormalizer n = new ImageNormalizer(preprocess(ColorOrder.RGB, new double[] {0, 0, 0}, new double[] {1, 1, 1}));

        assertThatThrownBy(() -> n.write(known(), new Box(2, 0, 2, 2), new float[12], 0))
                .hasMessage("ImageNormalizer: box Box[x=2, y=0, width=2, height=2] exceeds the 3x2 frame");
        assertThatThrownBy(() -> n.write(known(), new Box(0, 0, 2, 2), new float[12], 1))
                .hasMessage("ImageNormalizer: 12 floats at offset 1 exceed the buffer of 12");
    }
}
