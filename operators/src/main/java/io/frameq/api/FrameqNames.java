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

    private FrameqNames() {}
}
