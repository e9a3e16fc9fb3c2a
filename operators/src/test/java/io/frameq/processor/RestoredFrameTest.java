package io.frameq.processor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.frameq.event.ScoreEvent;
import io.frameq.frame.FrameHeaders;

import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;

/** The restored topic's headers, built from values (no Kafka Streams). */
class RestoredFrameTest {

    private static ScoreEvent scored(Double score, Double quality) {
        return new ScoreEvent("t/0/5/0", "cam", 5, 0, 1234, 1300, new ScoreEvent.Source("t", 0, 5, 0), 8, 8,
                new ScoreEvent.ModelInfo("m", 1, "nr", true), score, quality, "degraded", List.of("noise"),
                Map.of(), Map.of(), quality == null, "degraded", "noise", "quality");
    }

    private static String h(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void headersNameTheRestorerAndTheScoresBeforeAndAfterWithADotWhateverTheLocale() {
        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        try {
            RestoredFrame r = new RestoredFrame(scored(2.0, 0.3), "mirnet-lite", 2, 2.5, 0.55, 12_345_678, 4, new byte[] {9});
            Headers headers = r.headers();
            assertThat(h(headers, FrameHeaders.CONTENT_TYPE)).isEqualTo("image/jpeg");
            assertThat(h(headers, FrameHeaders.EVENT_ID)).isEqualTo("t/0/5/0");
            assertThat(h(headers, FrameHeaders.SEQ)).isEqualTo("5");
            assertThat(h(headers, FrameHeaders.TIMESTAMP)).isEqualTo("1234");
            assertThat(h(headers, FrameHeaders.RESTORER)).isEqualTo("mirnet-lite");
            assertThat(h(headers, FrameHeaders.RESTORER_VERSION)).isEqualTo("2");
            assertThat(h(headers, FrameHeaders.ROUTE)).isEqualTo("quality");
            assertThat(h(headers, FrameHeaders.DEGRADATION)).isEqualTo("noise");
            assertThat(h(headers, FrameHeaders.QUALITY_BEFORE)).isEqualTo("0.300000");
            assertThat(h(headers, FrameHeaders.QUALITY_AFTER)).isEqualTo("0.550000");
            assertThat(h(headers, FrameHeaders.QUALITY_GAIN)).isEqualTo("0.250000");
            assertThat(h(headers, FrameHeaders.RESTORE_MS)).isEqualTo("12.346");
            assertThat(h(headers, FrameHeaders.TILES)).isEqualTo("4");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void aShedFrameHasNoGainAndEmptyBeforeHeaders() {
        RestoredFrame r = new RestoredFrame(scored(null, null), "lpienet", 1, 1.0, 0.5, 0, 1, new byte[0]);
        assertThat(r.qualityGain()).isNull();
        assertThat(h(r.headers(), FrameHeaders.QUALITY_BEFORE)).isEmpty();
        assertThat(h(r.headers(), FrameHeaders.QUALITY_GAIN)).isEmpty();
    }
}
