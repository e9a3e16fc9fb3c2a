package io.frameq.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ImageEncoderTest {

    private static FrameDecoders decoders;
    private static RgbImage photo;

    @BeforeAll
    static void open() throws Exception {
        Fixtures.requireFfmpeg();
        decoders = new FrameDecoders(DecodeLimits.DEFAULT);
        photo = decode(Fixtures.bytes(Fixtures.PNG));
    }

    @AfterAll
    static void close() {
        if (decoders != null) {
            decoders.close();
        }
    }

    private static RgbImage decode(byte[] encoded) throws FrameDecodeException {
        return decoders.decode(encoded, Fixtures.noHeaders()).get(0).image();
    }

    @Test
    void jpegQuality90RoundTripsAbove30Db() throws Exception {
        byte[] jpeg = ImageEncoder.jpeg(photo, 90);
        assertThat(ContentType.sniff(jpeg)).contains(ContentType.JPEG);
        RgbImage back = decode(jpeg);
        assertThat(back.width()).isEqualTo(320);
        assertThat(Fixtures.psnr(back, photo)).isGreaterThan(30);
        // Colours, not just structure: the mean of each channel survives (a swapped R/B would not).
        assertThat(channelMean(back, 0)).isCloseTo(channelMean(photo, 0), org.assertj.core.data.Offset.offset(1.0));
        assertThat(channelMean(back, 2)).isCloseTo(channelMean(photo, 2), org.assertj.core.data.Offset.offset(1.0));
    }

    @Test
    void lowerQualityIsSmallerAndWorse() throws Exception {
        byte[] q30 = ImageEncoder.jpeg(photo, 30);
        byte[] q90 = ImageEncoder.jpeg(photo, 90);
        assertThat(q30.length).isLessThan(q90.length);
        assertThat(Fixtures.psnr(decode(q30), photo)).isLessThan(Fixtures.psnr(decode(q90), photo));
    }

    @Test
    void qualityOutsideOneToHundredIsRejected() {
        assertThatThrownBy(() -> ImageEncoder.jpeg(photo, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 1..100, actual 0");
        assertThatThrownBy(() -> ImageEncoder.jpeg(photo, 101)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pngIsLosslessForFfmpegAndImageIo() throws Exception {
        byte[] png = ImageEncoder.png(photo);
        assertThat(decode(png).pixels()).isEqualTo(photo.pixels());
        assertThat(Fixtures.imageIo(png).pixels()).isEqualTo(photo.pixels());
        RgbImage odd = ImageEncoder.resize(photo, 33, 7);
        assertThat(decode(ImageEncoder.png(odd)).pixels()).isEqualTo(odd.pixels());
    }

    @Test
    void resizeKeepsFlatColourFlatAndSizeExact() {
        byte[] flat = new byte[10 * 6 * 3];
        for (int i = 0; i < flat.length; i += 3) {
            flat[i] = (byte) 200;
            flat[i + 1] = 100;
            flat[i + 2] = 7;
        }
        RgbImage up = ImageEncoder.resize(new RgbImage(10, 6, flat), 37, 19);
        assertThat(up.width()).isEqualTo(37);
        assertThat(up.height()).isEqualTo(19);
        for (int y = 0; y < 19; y++) {
            for (int x = 0; x < 37; x++) {
                assertThat(up.rgb(x, y)).isEqualTo(200 << 16 | 100 << 8 | 7);
            }
        }
    }

    @Test
    void resizeInterpolatesBetweenPixelCentres() {
        // 2x1 black|white doubled to 4x1: centres at 0.25 and 0.75 of the way: 0, 64, 191, 255
        RgbImage twoPixels = new RgbImage(2, 1, new byte[] {0, 0, 0, (byte) 255, (byte) 255, (byte) 255});
        RgbImage doubled = ImageEncoder.resize(twoPixels, 4, 1);
        assertThat(new int[] {doubled.rgb(0, 0) & 0xff, doubled.rgb(1, 0) & 0xff, doubled.rgb(2, 0) & 0xff, doubled.rgb(3, 0) & 0xff})
                .containsExactly(0, 64, 191, 255);
        assertThat(ImageEncoder.resize(photo, 320, 240)).isSameAs(photo);
    }

    @Test
    void downAndUpAgainStaysCloseToThePhoto() {
        RgbImage back = ImageEncoder.resize(ImageEncoder.resize(photo, 640, 480), 320, 240);
        assertThat(Fixtures.psnr(back, photo)).isGreaterThan(35);
    }

    private static double channelMean(RgbImage img, int channel) {
        long sum = 0;
        for (int i = channel; i < img.pixels().length; i += 3) {
            sum += img.pixels()[i] & 0xff;
        }
        return (double) sum / img.pixelCount();
    }
}
