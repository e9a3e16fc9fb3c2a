package io.frameq.quality;

import java.util.Arrays;
import java.util.Objects;

import io.frameq.translate.PatchMaps;

/**
 * The no-reference score of one frame.
 *
 * @param model model name
 * @param version model version
 * @param trained false when the weights are a random-weight stand-in (the score is meaningless)
 * @param score frame score on the model's own scale (aggregate of the crop scores)
 * @param quality normalized quality, 0 worst .. 1 best (clamped)
 * @param cropScores per-work-unit scores, in crop order (for five-point: TL, TR, BL, BR, centre)
 * @param preprocessNanos time to crop and normalize
 * @param inferenceNanos time in the model run, including tensor copies
 * @param postprocessNanos time to aggregate and map
 * @param map where the score comes from on the frame's fault grid (MANIQA's patch maps); null when the model has none
 */
public record NrScore(String model, int version, boolean trained, double score, double quality, double[] cropScores,
                      long preprocessNanos, long inferenceNanos, long postprocessNanos, PatchMaps.Grid map) {

    public NrScore {
        Objects.requireNonNull(model, "model");
        cropScores = cropScores.clone();
    }

    /** A score without patch maps. */
    public NrScore(String model, int version, boolean trained, double score, double quality, double[] cropScores,
                   long preprocessNanos, long inferenceNanos, long postprocessNanos) {
        this(model, version, trained, score, quality, cropScores, preprocessNanos, inferenceNanos, postprocessNanos, null);
    }

    @Override
    public double[] cropScores() {
        return cropScores.clone();
    }

    /** Sum of the three stage times. */
    public long totalNanos() {
        return preprocessNanos + inferenceNanos + postprocessNanos;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NrScore s && model.equals(s.model) && version == s.version && trained == s.trained
                && Double.compare(score, s.score) == 0 && Double.compare(quality, s.quality) == 0
                && Arrays.equals(cropScores, s.cropScores) && preprocessNanos == s.preprocessNanos
                && inferenceNanos == s.inferenceNanos && postprocessNanos == s.postprocessNanos && Objects.equals(map, s.map);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, version, trained, score, quality, Arrays.hashCode(cropScores), preprocessNanos,
                inferenceNanos, postprocessNanos);
    }

    @Override
    public String toString() {
        return "NrScore[" + model + ":" + version + (trained ? "" : " untrained") + " score=" + score + " quality=" + quality
                + " crops=" + Arrays.toString(cropScores) + " pre=" + preprocessNanos / 1000 + "us inf="
                + inferenceNanos / 1000 + "us post=" + postprocessNanos / 1000 + "us]";
    }
}
