package io.frameq.quality;

import java.util.Objects;

/**
 * The full-reference score of one reference/distorted pair.
 *
 * @param model model name
 * @param version model version
 * @param trained false when the weights are a random-weight stand-in (the score is meaningless)
 * @param score the model's score on its own scale (VTAMIQ: larger = more degraded)
 * @param quality normalized quality, 0 worst .. 1 best (clamped), by the model's {@code score.quality}
 * @param patches patches compared per image (N)
 * @param resized true when the distorted image was resized to the reference size first (a rendition
 *     of another resolution)
 * @param preprocessNanos time to resize, sample, cut and normalize
 * @param inferenceNanos time in the model run, including tensor copies
 * @param postprocessNanos time to map the score
 */
public record FrScore(String model, int version, boolean trained, double score, double quality, int patches, boolean resized,
                      long preprocessNanos, long inferenceNanos, long postprocessNanos) {

    public FrScore {
        Objects.requireNonNull(model, "model");
    }

    /** Sum of the three stage times. */
    public long totalNanos() {
        return preprocessNanos + inferenceNanos + postprocessNanos;
    }

    @Override
    public String toString() {
        return "FrScore[" + model + ":" + version + (trained ? "" : " untrained") + " score=" + score + " quality=" + quality
                + " patches=" + patches + (resized ? " resized" : "") + " pre=" + preprocessNanos / 1000 + "us inf="
                + inferenceNanos / 1000 + "us post=" + postprocessNanos / 1000 + "us]";
    }
}
