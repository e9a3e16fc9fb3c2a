package io.frameq.processor;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

import io.frameq.event.ScoreEvent;
import io.frameq.frame.FrameHeaders;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * A degraded frame after restoration: the JPEG and what the restored-topic headers say about it
 * (which restorer, the scores before and after). Kept as a value so the headers are built, and
 * tested, without Kafka Streams.
 *
 * @param scored the frame's score event before restoration
 * @param restorer the restorer model's name
 * @param restorerVersion its version
 * @param scoreAfter the no-reference model's raw score of the restored image
 * @param qualityAfter its quality (0..1) of the restored image
 * @param restoreNanos wall time of restoring and re-scoring
 * @param tiles how many tiles the restorer ran
 * @param jpeg the restored image, JPEG-encoded
 */
public record RestoredFrame(ScoreEvent scored, String restorer, int restorerVersion, double scoreAfter, double qualityAfter,
                            long restoreNanos, int tiles, byte[] jpeg) implements FrameOutcome {

    public RestoredFrame {
        Objects.requireNonNull(scored, "scored");
        Objects.requireNonNull(restorer, "restorer");
        Objects.requireNonNull(jpeg, "jpeg");
    }

    /** {@code quality_after - quality_before}, null when the frame was not scored before (shed). */
    public Double qualityGain() {
        return scored.quality() == null ? null : qualityAfter - scored.quality();
    }

    /** The restored topic's headers (names in {@link FrameHeaders}); numbers use '.' whatever the locale. */
    public Headers headers() {
        RecordHeaders h = new RecordHeaders();
        add(h, FrameHeaders.CONTENT_TYPE, "image/jpeg");
        add(h, FrameHeaders.EVENT_ID, scored.eventId());
        add(h, FrameHeaders.TIMESTAMP, Long.toString(scored.captureTs()));
        add(h, FrameHeaders.SEQ, Long.toString(scored.seq()));
        add(h, FrameHeaders.RESTORER, restorer);
        add(h, FrameHeaders.RESTORER_VERSION, Integer.toString(restorerVersion));
        add(h, FrameHeaders.ROUTE, scored.route());
        add(h, FrameHeaders.DEGRADATION, scored.degradationType() == null ? "" : scored.degradationType());
        add(h, FrameHeaders.SCORE_BEFORE, num(scored.score()));
        add(h, FrameHeaders.SCORE_AFTER, num(scoreAfter));
        add(h, FrameHeaders.QUALITY_BEFORE, num(scored.quality()));
        add(h, FrameHeaders.QUALITY_AFTER, num(qualityAfter));
        add(h, FrameHeaders.QUALITY_GAIN, num(qualityGain()));
        add(h, FrameHeaders.RESTORE_MS, String.format(Locale.ROOT, "%.3f", restoreNanos / 1e6));
        add(h, FrameHeaders.TILES, Integer.toString(tiles));
        return h;
    }

    private static String num(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    private static void add(RecordHeaders h, String name, String value) {
        h.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
