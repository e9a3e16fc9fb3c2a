package io.frameq.api;

/**
 * FrameQ's node and store names before the prefix ({@link FrameqOperators.Builder#optNamePrefix}).
 * They are part of the contract: {@code Topology#describe()}, metrics, logs and changelog topics
 * ({@code <application.id>-<prefix><store>-changelog}) use them, so they do not change between releases.
 */
public final class FrameqNames {

    public static final String DECODE = "decode";
    public static final String DETECT = "detect";
    public static final String SCORE = "score-nr";
    public static final String ALERTS = "alerts";
    public static final String RESTORE = "restore";
    public static final String SCORES_SINK = "scores-sink";
    public static final String ALERTS_SINK = "alerts-sink";
    public static final String RESTORED_SINK = "restored-sink";
    public static final String DLQ_SINK = "dlq-sink";
    public static final String THUMBNAIL_STORE = "frameq-last-thumbnail";
    public static final String BASELINE_STORE = "frameq-baseline";
    public static final String VERDICT_STORE = "frameq-verdict-state";
    public static final String ALERTS_STORE = "frameq-alert-state";

    public static final String FR_ORIGIN_SOURCE = "fr-origin-source";
    public static final String FR_DECODE_ORIGIN = "fr-decode-origin";
    public static final String FR_RENDITION_SOURCE = "fr-rendition-source";
    public static final String FR_ROUTE = "fr-route";
    public static final String FR_REPARTITION_SINK = "fr-rendition-repartition-sink";
    public static final String FR_REPARTITION_SOURCE = "fr-rendition-by-origin-source";
    public static final String FR_DECODE_RENDITION = "fr-decode-rendition";
    public static final String FR_JOIN = "fr-join";
    public static final String FR_SCORE = "fr-score";
    public static final String FR_SCORES_SINK = "fr-scores-sink";
    public static final String FR_DLQ_SINK = "fr-dlq-sink";
    public static final String FR_ORIGIN_STORE = "frameq-fr-origin-buffer";
    public static final String FR_RENDITION_STORE = "frameq-fr-rendition-buffer";
    /** The DSL's repartition of renditions by origin id ({@code <application.id>-<prefix>fr-rendition-by-origin-repartition}). */
    public static final String FR_REPARTITION = "fr-rendition-by-origin";

    private FrameqNames() {}
}
