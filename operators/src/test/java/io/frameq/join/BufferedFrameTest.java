package io.frameq.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frameq.frame.ContentType;
import io.frameq.frame.FrameSource;

import org.junit.jupiter.api.Test;

class BufferedFrameTest {

    @Test
    void roundTripsEveryFieldAndKeepsRawSizesOnlyForRawFrames() {
        BufferedFrame raw = new BufferedFrame("movie", "movie@720p", 42, 42, 1_400, 1_700_000_000_123L, 1_700_000_000_100L, 99,
                new FrameSource("t", 3, 17, 2), ContentType.RAW_RGB24.mime(), 4, 2, true, new byte[24]);
        BufferedFrame back = BufferedFrame.fromBytes(raw.toBytes());
        assertThat(back).usingRecursiveComparison().isEqualTo(raw);
        assertThat(back.metadata().width()).isEqualTo(4);
        BufferedFrame jpeg = new BufferedFrame("movie", "", 1, 1, -1, 5, 5, 5, FrameSource.UNKNOWN, "image/jpeg", 640, 360, false,
                new byte[] {1, 2, 3});
        assertThat(BufferedFrame.fromBytes(jpeg.toBytes()).metadata().width()).as("encoded images carry their own size").isEqualTo(-1);
        assertThat(BufferedFrame.fromBytes(jpeg.toBytes()).withMatched().matched()).isTrue();
    }

    @Test
    void refusesAnUnknownFormatAndATruncatedValue() {
        byte[] b = new BufferedFrame("o", "", 1, 1, -1, 1, 1, 1, FrameSource.UNKNOWN, "image/png", 1, 1, false, new byte[8]).toBytes();
        byte[] wrong = b.clone();
        wrong[0] = 9;
        assertThatThrownBy(() -> BufferedFrame.fromBytes(wrong)).hasMessageContaining("format expected 1, actual 9");
        assertThatThrownBy(() -> BufferedFrame.fromBytes(java.util.Arrays.copyOf(b, b.length - 3))).hasMessageContaining("truncated");
    }

    @Test
    void originResolverPrefersTheHeaderThenTheKeySeparator() {
        OriginResolver r = new OriginResolver("@");
        var h = new org.apache.kafka.common.header.internals.RecordHeaders();
        assertThat(r.origin("movie@720p", h)).isEqualTo("movie");
        assertThat(r.origin("a@b@1080p", h)).isEqualTo("a@b");
        assertThat(r.origin("plain", h)).isNull();
        assertThat(r.origin("@720p", h)).isNull();
        h.add(OriginResolver.ORIGIN_HEADER, "studio-feed".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.origin("plain", h)).isEqualTo("studio-feed");
    }
}
