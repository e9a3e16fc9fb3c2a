package io.frameq.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import io.frameq.frame.RgbImage;
import io.frameq.frame.YuvPlanes;

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
        assertThat(SceneMode.monochrome(new RgbImage(w, h, grey, null))).isTrue();
        assertThat(SceneMode.monochrome(new RgbImage(w, h, darkColour, null))).isFalse();
    }

    @Test
    void aFrameKeptAsJpegPlanesReadsTheChromaOfItsRgb() {
        Random r = new Random(5);
        int w = 160;
        int h = 90;
        byte[] y = new byte[w * h];
        byte[] cb = new byte[w * h / 4];
        byte[] cr = new byte[w * h / 4];
        byte[] neutral = new byte[w * h / 4];
        java.util.Arrays.fill(neutral, (byte) 128);
        for (int i = 0; i < y.length; i++) {
            y[i] = (byte) (40 + r.nextInt(150));
        }
        for (int i = 0; i < cb.length; i++) {
            cb[i] = (byte) (110 + r.nextInt(10)); // a warm scene: less blue, more red
            cr[i] = (byte) (140 + r.nextInt(10));
        }
        RgbImage colour = RgbImage.ofPlanes(new YuvPlanes(w, h, y, cb, cr, 1, 1));
        RgbImage infrared = RgbImage.ofPlanes(new YuvPlanes(w, h, y, neutral, neutral, 1, 1));
        double fromPlanes = SceneMode.chroma(colour);
        assertThat(SceneMode.chroma(new RgbImage(w, h, colour.planes().toRgb(), null))).isEqualTo(fromPlanes);
        assertThat(SceneMode.monochrome(colour)).isFalse();
        assertThat(SceneMode.monochrome(infrared)).isTrue();
    }

    @Test
    void aMonochromeFrameIsNightOnlyWhileItKeepsItsTexture() {
        StreamBaseline stream = new StreamBaseline(BaselineSettings.DEFAULTS.capacity());
        assertThat(BaselineJudge.modeOf(stream, false, 40)).isEqualTo(SceneMode.DAY);
        assertThat(BaselineJudge.modeOf(stream, true, 40)).as("IR picture").isEqualTo(SceneMode.NIGHT);
        assertThat(BaselineJudge.modeOf(stream, true, 5)).as("flat and colourless: the current mode").isEqualTo(SceneMode.DAY);

        BaselineJudge judge = new BaselineJudge(BaselineSettings.DEFAULTS);
        for (int i = 0; i < 10; i++) { // a colour camera whose normal contrast is 60
            judge.judge(stream, new io.frameq.detect.DetectorReport(new io.frameq.detect.DetectorReadings(400, 2, 110, 0, 0, 60, 1, 3),
                    java.util.Set.of(), Scenes.blobs(i)), false, 1000L * i);
        }
        assertThat(BaselineJudge.modeOf(stream, true, 15)).as("a grey veil: a quarter of the day's contrast").isEqualTo(SceneMode.DAY);
        assertThat(BaselineJudge.modeOf(stream, true, 45)).as("the IR cut filter opened").isEqualTo(SceneMode.NIGHT);
    }
}
