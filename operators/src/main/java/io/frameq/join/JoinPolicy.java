package io.frameq.join;

/**
 * How renditions are paired with their origin frames.
 *
 * <p>Two frames pair when they belong to the same origin stream, carry the same match key
 * ({@link MatchOn#SEQ}: {@code frameq-seq}; {@link MatchOn#PTS}: the frame's presentation time) and
 * their record timestamps lie at most {@code windowMs} apart. A buffered frame waits for partners
 * until stream time passes its timestamp + {@code windowMs} + {@code graceMs}; then it is evicted
 * and, if it never paired, reported as unmatched. A frame that arrives already behind that horizon
 * pairs with a partner still buffered, else it is reported unmatched ({@code late}) at once.
 *
 * @param windowMs largest timestamp difference of a pair, ms
 * @param graceMs how much longer than the window a frame waits for out-of-order partners, ms
 * @param matchOn which per-frame number identifies the same picture on both sides
 * @param maxBufferedBytes bound of the encoded bytes buffered per side and task; when a new frame
 *     would exceed it, the oldest frames are evicted first (reported unmatched, {@code buffer_full})
 */
public record JoinPolicy(long windowMs, long graceMs, MatchOn matchOn, long maxBufferedBytes) {

    public static final JoinPolicy DEFAULTS = new JoinPolicy(2_000, 5_000, MatchOn.SEQ, 64L * 1024 * 1024);

    /** Which number of a frame identifies the same picture in origin and rendition. */
    public enum MatchOn {
        SEQ, PTS;

        public static MatchOn parse(String s) {
            for (MatchOn m : values()) {
                if (m.name().equalsIgnoreCase(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("fr match key: expected seq or pts, actual '" + s + "'");
        }
    }

    public JoinPolicy {
        if (windowMs < 0) {
            throw new IllegalArgumentException("JoinPolicy.windowMs: expected >= 0, actual " + windowMs);
        }
        if (graceMs < 0) {
            throw new IllegalArgumentException("JoinPolicy.graceMs: expected >= 0, actual " + graceMs);
        }
        if (matchOn == null) {
            throw new IllegalArgumentException("JoinPolicy.matchOn: expected SEQ or PTS, actual null");
        }
        if (maxBufferedBytes < 1024) {
            throw new IllegalArgumentException("JoinPolicy.maxBufferedBytes: expected >= 1024, actual " + maxBufferedBytes);
        }
    }

    /** How far behind stream time a frame's timestamp may be before it is evicted. */
    public long retentionMs() {
        return windowMs + graceMs;
    }

    /** Interval of the stream-time eviction punctuation: a quarter of the retention, 10 ms .. 10 s. */
    public long punctuateIntervalMs() {
        return Math.max(10, Math.min(10_000, retentionMs() / 4));
    }
}
