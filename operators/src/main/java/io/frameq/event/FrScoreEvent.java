package io.frameq.event;

import java.util.Map;

import io.frameq.frame.FrameHeaders;

/**
 * One full-reference result on the scores topic (JSON, snake_case; schema in
 * {@code frameq/schemas/fr-score-event.schema.json}). Its {@code type} is {@value #TYPE}, which
 * tells it apart from the no-reference {@link ScoreEvent} on the same topic (which has no
 * {@code type}). A rendition frame paired with its origin frame gets one event with the model
 * score and the classic scores ({@code fr.matched: true}); a frame of either side that found no
 * partner within the join window and grace gets one with {@code fr.matched: false}, the side and the
 * reason, and null scores, so nothing leaves the join unreported.
 *
 * @param eventId idempotency key: {@code fr/<rendition frame's source id>} for a pair,
 *     {@code fr-unmatched/<side>/<source id>} for an unmatched frame
 * @param type always {@value #TYPE}
 * @param stream rendition id (for an unmatched origin frame: the origin id)
 * @param origin origin stream id
 * @param seq frame sequence number
 * @param ptsMs presentation time in ms, -1 when unknown
 * @param captureTs capture time, epoch ms
 * @param scoredTs when the event was produced, epoch ms
 * @param source input coordinates of the frame named by {@code stream}
 * @param originSource input coordinates of the origin frame; null when unmatched
 * @param width frame width as received
 * @param height frame height as received
 * @param refWidth width of the reference grid the pair was scored on; null when unmatched
 * @param refHeight height of the reference grid; null when unmatched
 * @param rescaled how the rendition was brought onto the reference grid: {@code none} or {@code bicubic}; null when unmatched
 * @param model the full-reference model; null when unmatched
 * @param score the model's own scale; null when unmatched
 * @param quality normalised 0..1, higher is better; null when unmatched
 * @param classic PSNR, SSIM and MS-SSIM of the pair; null when unmatched
 * @param fr the join outcome
 * @param latencyMs per-stage latency in ms
 */
public record FrScoreEvent(
        String eventId,
        String type,
        String stream,
        String origin,
        long seq,
        long ptsMs,
        long captureTs,
        long scoredTs,
        ScoreEvent.Source source,
        ScoreEvent.Source originSource,
        int width,
        int height,
        Integer refWidth,
        Integer refHeight,
        String rescaled,
        ScoreEvent.ModelInfo model,
        Double score,
        Double quality,
        Classic classic,
        Join fr,
        Map<String, Double> latencyMs) {

    public static final String TYPE = "fr";
    /** Record header carrying {@link #TYPE}, so consumers can route FR events without parsing them. */
    public static final String TYPE_HEADER = FrameHeaders.EVENT_TYPE;
    public static final String SIDE_ORIGIN = "origin";
    public static final String SIDE_RENDITION = "rendition";

    /**
     * Classic full-reference scores on the reference grid (luma, MATLAB conventions: see ClassicFr).
     *
     * @param psnr dB; null when the pictures are identical (infinite PSNR)
     * @param ssim mean SSIM
     * @param msSsim MS-SSIM; null when the picture is too small for its five scales
     */
    public record Classic(Double psnr, Double ssim, Double msSsim) {}

    /**
     * The join outcome.
     *
     * @param matched true when the rendition frame found its origin frame
     * @param side for an unmatched frame, which side it was on ({@code origin} or {@code rendition}); null when matched
     * @param reason for an unmatched frame: {@code no_partner} (none within window + grace), {@code late}
     *     (arrived behind the grace horizon), {@code buffer_full} (evicted by the store bound); null when matched
     * @param waitMs wall-clock ms the earlier frame waited for its partner (unmatched: how long it waited in vain)
     */
    public record Join(boolean matched, String side, String reason, Double waitMs) {}
}
