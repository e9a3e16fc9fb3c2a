package io.frameq.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import io.frameq.frame.RgbImage;

import org.junit.jupiter.api.Test;

class SceneModeTest {

    @Test
    void aMonochromeInfraredPictureIsNightButAColourPictureDarkenedToATenthIsNot() {
        Random r = new Random(3);
        int w = 160;
        int h = 90;
        byte[] grey = new byte[w * h * 3];
        byte[] darkColour = new byte[w * h * 3];
        for (int i = 0; i < w * h; i++) {
            int y = 40 + r.nextInt(150);
            grey[3 * i] = grey[3 * i + 1] = grey[3 * i + 2] = (byte) y;
            int[] rgb = {y + 30, y, y - 25}; // a warm colour scene
            for (int c = 0; c < 3; c++) {
                // a tenth of the light, plus the sensor's noise of about 2 levels per channel
                darkColour[3 * i + c] = (byte) Math.max(0, Math.min(255, rgb[c] / 10 + (int) Math.round(r.nextGaussian() * 2)));
            }
        }
        assertThat(SceneMode.of(new RgbImage(w, h, grey, null))).isEqualTo(SceneMode.NIGHT);
        assertThat(SceneMode.of(new RgbImage(w, h, darkColour, null))).isEqualTo(SceneMode.DAY);
    }
}
