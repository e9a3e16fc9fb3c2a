package io.frameq.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.frame.FrameDecodeException.Reason;
import org.junit.jupiter.api.Test;

class ImageIoDecoderTest {

    private final ImageIoDecoder decoder = new ImageIoDecoder();

    private RgbImage decode(byte[] payload, ContentType type) throws FrameDecodeException {
        return decoder.decode(payload, FrameMetadata.of(type), DecodeLimits.DEFAULT).get(0).image();
    }

    @Test
    void decodesJpegAndPngLikeImageIoRead() throws Exception {
        byte[] jpeg = Fixtures.bytes(Fixtures.JPEG);
        byte[] png = Fixtures.bytes(Fixtures.PNG);
        assertThat(decode(jpeg, ContentType.JPEG).pixels()).isEqualTo(Fixtures.imageIo(jpeg).pixels());
        assertThat(decode(png, ContentType.PNG).pixels()).isEqualTo(Fixtures.imageIo(png).pixels());
    }

    @Test
    void greyIsReplicatedWithoutColourConversion() throws Exception {
        // The PNG stores grey samples; R=G=B must equal them (BufferedImage.getRGB would brighten them).
        RgbImage grey = decode(Fixtures.bytes(Fixtures.GRAY_PNG), ContentType.PNG);
        java.awt.image.BufferedImage raw = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(Fixtures.bytes(Fixtures.GRAY_PNG)));
        int sample = raw.getRaster().getSample(40, 50, 0);
        assertThat(grey.rgb(40, 50)).isEqualTo(sample << 16 | sample << 8 | sample);
    }

    @Test
    void truncatedJpegIsRefusedLikeFfmpegRefusesIt() {
        byte[] jpeg = Fixtures.bytes(Fixtures.JPEG);
        byte[] half = Fixtures.truncated(jpeg, jpeg.length / 2);
        assertThatThrownBy(() -> decode(half, ContentType.JPEG))
                .isInstanceOf(FrameDecodeException.class)
                .hasFieldOrPropertyWithValue("reason", Reason.CORRUPT)
                .hasMessageContaining("image/jpeg payload of " + half.length + " bytes: ImageIO reported");
    }

    @Test
    void truncatedPngAndGarbageAreCorrupt() {
        byte[] png = Fixtures.bytes(Fixtures.PNG);
        assertThatThrownBy(() -> decode(Fixtures.truncated(png, png.length / 3), ContentType.PNG))
                .hasFieldOrPropertyWithValue("reason", Reason.CORRUPT);
        byte[] garbage = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3, 4, 5, 6, 7};
        assertThatThrownBy(() -> decode(garbage, ContentType.JPEG))
                .hasFieldOrPropertyWithValue("reason", Reason.CORRUPT);
    }

    @Test
    void unknownBytesWithoutHeaderAreUnknownContentType() {
        assertThatThrownBy(() -> decoder.decode(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, Fixtures.noHeaders(), DecodeLimits.DEFAULT))
                .hasFieldOrPropertyWithValue("reason", Reason.UNKNOWN_CONTENT_TYPE)
                .hasMessageContaining("0102030405060708");
    }

    @Test
    void overLimitHeightIsRefused() {
        DecodeLimits low = new DecodeLimits(1 << 20, 1000, 200, 10, 1);
        assertThatThrownBy(() -> decoder.decode(Fixtures.bytes(Fixtures.PNG), FrameMetadata.of(ContentType.PNG), low))
                .hasFieldOrPropertyWithValue("reason", Reason.OVER_LIMIT)
                .hasMessageContaining("height: expected at most 200 (maxHeight), actual 240");
    }
}
