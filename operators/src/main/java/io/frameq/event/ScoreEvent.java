package io.frameq.event;

import java.util.List;
import java.util.Map;

/**
 * One scored frame, as published on the scores topic (JSON, snake_case; schema in
 * {@code frameq/schemas/score-event.schema.json}). Field names are a public contract: scripts,
 * dashboards and the CLI's {@code score} output build on them.
 *
 * @param eventId idempotency key ({@code topic/partition/offset/index}); a frame re-scored after a crash repeats it
 * @param stream camera or rendition id
 * @param seq per-stream sequence number
 * @param ptsMs presentation time in ms, -1 when unknown
 * @param captureTs capture time, epoch ms
 * @param scoredTs when the event was produced, epoch ms
 * @param source input coordinates
 * @param width frame width in pixels
 * @param height frame height in pixels
 * @param model the scoring model; {@code trained=false} means its score carries no meaning yet
 * @param score the model's own scale; null when no model scored the frame
 * @param quality normalised 0..1, higher is better; null when no model scored the frame
 * @param verdict {@code ok} or {@code degraded}
 * @param degradations what made it degraded (detector codes, {@code low_quality} from the model)
 * @param detectors cheap detector readings by name
 * @param latencyMs per-stage latency in milliseconds
 * @param shed true when load shedding skipped the model ({@code score}/{@code quality} null, verdict from detectors)
 * @param streamVerdict the stream's verdict after this frame, with hysteresis ({@code ok} or {@code degraded};
 *     see {@code io.frameq.verdict.HysteresisPolicy}); unlike {@code verdict} it does not flap frame to frame
 * @param degradationType the degradation type that decided the route (one of {@code degradations}), null when none
 * @param route where the frame goes: {@code none}, {@code quality} or {@code latency} (a restorer), {@code alert_only}
 * @param faults the spatial diagnosis (issue 21): each fault or condition with its confidence and grid cells; empty
 *     when none. Conditions that are not faults ({@code ir_mode}) appear here but not in {@code degradations}.
 * @param modelMap where the model's score comes from, on the same grid as {@code faults}; null when the frame was not
 *     scored or the model has no patch maps
 * @param modelError null when the model ran (or was shed); otherwise why it gave no score ({@code timeout},
 *     {@code inference_error}): {@code score} and {@code quality} are null and the verdict comes from the detectors,
 *     so a model failure never loses the frame's detector verdict
 * @param modelSkipped why the model did not run on this frame ({@code score}/{@code quality} null, verdict from the
 *     detectors): {@code sampled_out} (the stream's model sampling did not pick it) or {@code shed} (it was due but
 *     late, see {@code shed.max.lag.ms}) or {@code budget} (picked, but over the instance's model budget: deferred to
 *     a later frame of the stream); null when the model ran
 */
public record ScoreEvent(
        String eventId,
        String stream,
        long seq,
        long ptsMs,
        long captureTs,
        long scoredTs,
        Source source,
        int width,
        int height,
        ModelInfo model,
        Double score,
        Double quality,
        String verdict,
        List<String> degradations,
        Map<String, Double> detectors,
        Map<String, Double> latencyMs,
        boolean shed,
        String streamVerdict,
        String degradationType,
        String route,
        List<FaultInfo> faults,
        ModelMap modelMap,
        String modelError,
        String modelSkipped) {

    @com.fasterxml.jackson.annotation.JsonCreator
    public ScoreEvent {
        faults = faults == null ? List.of() : List.copyOf(faults);
    }

    /** An event without a model map, whose model ran or was shed ({@code model_error} null; {@code model_skipped} shed or null). */
    public ScoreEvent(String eventId, String stream, long seq, long ptsMs, long captureTs, long scoredTs, Source source,
                      int width, int height, ModelInfo model, Double score, Double quality, String verdict,
                      List<String> degradations, Map<String, Double> detectors, Map<String, Double> latencyMs, boolean shed,
                      String streamVerdict, String degradationType, String route, List<FaultInfo> faults) {
        this(eventId, stream, seq, ptsMs, captureTs, scoredTs, source, width, height, model, score, quality, verdict,
                degradations, detectors, latencyMs, shed, streamVerdict, degradationType, route, faults, null, null,
                shed ? "shed" : null);
    }

    /** An event without {@code model_error} and {@code model_skipped} (older producers): {@code shed} if shed, else null. */
    public ScoreEvent(String eventId, String stream, long seq, long ptsMs, long captureTs, long scoredTs, Source source,
                      int width, int height, ModelInfo model, Double score, Double quality, String verdict,
                      List<String> degradations, Map<String, Double> detectors, Map<String, Double> latencyMs, boolean shed,
                      String streamVerdict, String degradationType, String route, List<FaultInfo> faults, ModelMap modelMap) {
        this(eventId, stream, seq, ptsMs, captureTs, scoredTs, source, width, height, model, score, quality, verdict,
                degradations, detectors, latencyMs, shed, streamVerdict, degradationType, route, faults, modelMap, null,
                shed ? "shed" : null);
    }

    /** An event without {@code model_skipped} (older producers): {@code shed} if shed, else null. */
    public ScoreEvent(String eventId, String stream, long seq, long ptsMs, long captureTs, long scoredTs, Source source,
                      int width, int height, ModelInfo model, Double score, Double quality, String verdict,
                      List<String> degradations, Map<String, Double> detectors, Map<String, Double> latencyMs, boolean shed,
                      String streamVerdict, String degradationType, String route, List<FaultInfo> faults, ModelMap modelMap,
                      String modelError) {
        this(eventId, stream, seq, ptsMs, captureTs, scoredTs, source, width, height, model, score, quality, verdict,
                degradations, detectors, latencyMs, shed, streamVerdict, degradationType, route, faults, modelMap, modelError,
                shed ? "shed" : null);    }

    /**
     * Where in the frame the NR model's score comes from (MANIQA's per-patch score and weight maps, projected on the
     * fault grid).
     *
     * @param cols grid columns (as for {@code faults})
     * @param rows grid rows
     * @param score per cell, row-major: the weighted mean patch score on the model's scale; null where no crop reached
     * @param weight per cell: its share of the model's attention (patch weight), summing to 1; null where no crop reached
     * @param worstCells the cells that pull the score down most: the lowest-scoring cells below the frame's score,
     *     lowest first, at most {@value #WORST_CELLS}
     */
    public record ModelMap(int cols, int rows, List<Double> score, List<Double> weight, List<Integer> worstCells) {
        public static final int WORST_CELLS = 6;

        public ModelMap {
            score = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(score));
            weight = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(weight));
            worstCells = List.copyOf(worstCells);
        }

        /** The event form of a projected map, values rounded to 3 decimals, for a frame that scored {@code frameScore}. */
        public static ModelMap of(io.frameq.translate.PatchMaps.Grid grid, double frameScore) {
            double[] s = grid.score();
            double[] w = grid.weight();
            java.util.List<Double> score = new java.util.ArrayList<>(s.length);
            java.util.List<Double> weight = new java.util.ArrayList<>(w.length);
            for (int i = 0; i < s.length; i++) {
                score.add(Double.isFinite(s[i]) ? Math.round(s[i] * 1000) / 1000.0 : null);
                weight.add(Double.isFinite(w[i]) ? Math.round(w[i] * 1000) / 1000.0 : null);
            }
            List<Integer> worst = java.util.stream.IntStream.range(0, s.length)
                    .filter(i -> Double.isFinite(s[i]) && s[i] < frameScore)
                    .boxed()
                    .sorted(java.util.Comparator.comparingDouble(i -> s[i]))
                    .limit(WORST_CELLS)
                    .toList();
            return new ModelMap(grid.cols(), grid.rows(), score, weight, worst);
        }
    }

    /** An event without a spatial diagnosis ({@code faults} empty). */
    public ScoreEvent(String eventId, String stream, long seq, long ptsMs, long captureTs, long scoredTs, Source source,
                      int width, int height, ModelInfo model, Double score, Double quality, String verdict,
                      List<String> degradations, Map<String, Double> detectors, Map<String, Double> latencyMs, boolean shed,
                      String streamVerdict, String degradationType, String route) {
        this(eventId, stream, seq, ptsMs, captureTs, scoredTs, source, width, height, model, score, quality, verdict,
                degradations, detectors, latencyMs, shed, streamVerdict, degradationType, route, List.of());
    }

    /** An event without stream verdict and route: the stream verdict is the frame's, the first degradation the type. */
    public ScoreEvent(String eventId, String stream, long seq, long ptsMs, long captureTs, long scoredTs, Source source,
                      int width, int height, ModelInfo model, Double score, Double quality, String verdict,
                      List<String> degradations, Map<String, Double> detectors, Map<String, Double> latencyMs, boolean shed) {
        this(eventId, stream, seq, ptsMs, captureTs, scoredTs, source, width, height, model, score, quality, verdict,
                degradations, detectors, latencyMs, shed, verdict, degradations.isEmpty() ? null : degradations.get(0), "none",
                List.of());
    }

    public static final String OK = "ok";
    public static final String DEGRADED = "degraded";

    /** The readings with NaN (no value yet, e.g. freeze on a stream's first frame) as JSON null. */
    public static Map<String, Double> jsonSafe(Map<String, Double> readings) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        readings.forEach((k, v) -> out.put(k, v == null || v.isNaN() || v.isInfinite() ? null : v));
        return out;
    }

    /** Input coordinates of the frame. */
    public record Source(String topic, int partition, long offset, int frameIndex) {}

    /**
     * One diagnosed fault or condition.
     *
     * @param type       {@code io.frameq.detect.FaultType} code, e.g. {@code soiled}
     * @param confidence 0..1
     * @param cells      grid cells it covers (row-major, 8x6 for landscape frames, 6x8 for portrait)
     * @param sinceTs    capture time (epoch ms) at which a fault judged over several frames began ({@code moved}: the
     *                   first frame off the reference view, while the camera was still turning; {@code covered}: when
     *                   the picture began to lose its sharpness); null (absent in JSON) for a fault of this frame alone
     */
    public record FaultInfo(String type, double confidence, List<Integer> cells,
                            @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                            Long sinceTs) {
        @com.fasterxml.jackson.annotation.JsonCreator
        public FaultInfo {
            cells = List.copyOf(cells);
        }

        /** A fault of this frame alone. */
        public FaultInfo(String type, double confidence, List<Integer> cells) {
            this(type, confidence, cells, null);
        }

        /** The JSON-ready form of a detector fault, confidence rounded to 3 decimals. */
        public static FaultInfo of(io.frameq.detect.Fault f) {
            return new FaultInfo(f.type().code(), Math.round(f.confidence() * 1000) / 1000.0, f.cells(), f.sinceMs());
        }
    }

    /** Which model scored the frame, and whether its weights were trained. */
    public record ModelInfo(String name, int version, String family, boolean trained) {}
}
