package io.frameq.app.demo;

import java.util.List;

/**
 * The CDN demo: one origin stream from a bundled clip and an adaptive-bitrate ladder of H.264
 * renditions of it, with scheduled gaps so that the join has frames without a partner on both
 * sides. Everything is a pure function of the frame sequence number, so the checks know exactly
 * which frames must pair and which must be reported unmatched.
 */
record CdnScenario(String clip, String origin, List<Rung> ladder, int framesPerClip, long windowMs, long graceMs) {

    static final String ORIGIN_TOPIC = "frameq.cdn.origin";
    static final String RENDITION_TOPIC = "frameq.cdn.renditions";
    static final String REPARTITION_TOPIC = "frameq.cdn.renditions-by-origin";
    /** Every this many frames, one origin frame is lost (its renditions must be reported unmatched) ... */
    static final int PERIOD = 20;
    static final int ORIGIN_LOST_AT = 7;
    /** ... and one frame is missing from every rendition (its origin must be reported unmatched). */
    static final int RENDITIONS_LOST_AT = 15;

    /**
     * One rendition of the ladder.
     *
     * @param label rendition label; the rendition id is {@code <origin>@<label>}
     * @param divisor the origin size divided by this is the rendition size
     * @param kbps H.264 target bitrate
     */
    record Rung(String label, int divisor, int kbps) {}

    static CdnScenario standard() {
        return new CdnScenario("people.mp4", "people",
                List.of(new Rung("360p-600k", 1, 600), new Rung("180p-60k", 2, 60)), 60, 1_000, 30_000);
    }

    String renditionId(Rung r) {
        return origin + "@" + r.label();
    }

    boolean originSent(long seq) {
        return seq % PERIOD != ORIGIN_LOST_AT;
    }

    boolean renditionsSent(long seq) {
        return seq % PERIOD != RENDITIONS_LOST_AT;
    }
}
