package io.frameq.frame;

import io.frameq.errors.DeadLetter;

/**
 * Names of every Kafka record header FrameQ reads or writes, in one place: the frame contract of
 * the input topics, the headers of the events FrameQ publishes, of restored frames, of the
 * full-reference join and of dead letters ({@link DeadLetter} spells those). Values are UTF-8 (numbers
 * as decimal ASCII).
 */
public final class FrameHeaders {

    // --- input frames (the producer's contract) ---

    public static final String CONTENT_TYPE = "content-type";
    /** Capture time, epoch milliseconds, decimal ASCII. */
    public static final String TIMESTAMP = "frameq-ts";
    /** Per-stream frame sequence number, decimal ASCII. */
    public static final String SEQ = "frameq-seq";
    /** Presentation timestamp in milliseconds, decimal ASCII (alternative to seq). */
    public static final String PTS = "frameq-pts";
    /** Width and height of raw frames, decimal ASCII. */
    public static final String WIDTH = "frameq-width";
    public static final String HEIGHT = "frameq-height";
    /**
     * Baseline control: a frame carrying {@value #BASELINE_RESET} here makes its stream forget its learnt normal
     * before the frame is judged (after the camera was re-aimed on purpose); the frame itself is processed as usual.
     */
    public static final String BASELINE = "frameq-baseline";
    public static final String BASELINE_RESET = "reset";
    /**
     * Baseline control: a frame carrying {@value #BASELINE_OFF} is judged on its own, like {@code frameq score} judges
     * a photo — the single-frame detectors' flags as they are — and leaves its stream's baseline untouched: for
     * unrelated photos sent under one key, which have no camera normal to learn or to stray from.
     */
    public static final String BASELINE_OFF = "off";

    // --- full-reference renditions ---

    /** Names a rendition's origin stream id; without it the origin is read from the rendition id. */
    public static final String ORIGIN = "frameq-origin";
    /** Added to re-keyed renditions: the rendition id (the original record key). */
    public static final String RENDITION = "frameq-rendition";

    // --- published events (scores, full-reference scores, alerts) ---

    /** Id of the score event a record carries or was derived from. */
    public static final String EVENT_ID = "frameq-event-id";
    /** Event type of full-reference events, so consumers can route them without parsing. */
    public static final String EVENT_TYPE = "frameq-event-type";
    public static final String ALERT_ID = "frameq-alert-id";

    // --- restored frames ---

    public static final String RESTORER = "frameq-restorer";
    public static final String RESTORER_VERSION = "frameq-restorer-version";
    public static final String ROUTE = "frameq-route";
    public static final String DEGRADATION = "frameq-degradation";
    public static final String SCORE_BEFORE = "frameq-score-before";
    public static final String SCORE_AFTER = "frameq-score-after";
    public static final String QUALITY_BEFORE = "frameq-quality-before";
    public static final String QUALITY_AFTER = "frameq-quality-after";
    public static final String QUALITY_GAIN = "frameq-quality-gain";
    public static final String RESTORE_MS = "frameq-restore-ms";
    public static final String TILES = "frameq-tiles";

    // --- dead letters (added to the input record's headers) ---
    // Spelled where the dead-letter format is defined, so io.frameq.errors needs nothing of this package.

    public static final String ERROR_STAGE = DeadLetter.H_STAGE;
    public static final String ERROR_REASON = DeadLetter.H_REASON;
    public static final String ERROR_CLASS = DeadLetter.H_CLASS;
    public static final String ERROR_MESSAGE = DeadLetter.H_MESSAGE;
    public static final String SOURCE_TOPIC = DeadLetter.H_TOPIC;
    public static final String SOURCE_PARTITION = DeadLetter.H_PARTITION;
    public static final String SOURCE_OFFSET = DeadLetter.H_OFFSET;

    private FrameHeaders() {}
}
