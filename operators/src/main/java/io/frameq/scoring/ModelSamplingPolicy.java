package io.frameq.scoring;

import java.util.Map;
import java.util.Objects;

/**
 * The sampling of every stream: one default and per-stream overrides (a busy entrance camera
 * sampled more often than a parking lot's). Immutable.
 */
public record ModelSamplingPolicy(ModelSampling defaults, Map<String, ModelSampling> perStream) {

    /** The model on every frame for every stream. */
    public static final ModelSamplingPolicy EVERY_FRAME = new ModelSamplingPolicy(ModelSampling.EVERY_FRAME, Map.of());

    public ModelSamplingPolicy {
        Objects.requireNonNull(defaults, "defaults");
        perStream = Map.copyOf(perStream);
    }

    /** The sampling of one stream: its override, else the default. */
    public ModelSampling of(String streamId) {
        return perStream.getOrDefault(streamId, defaults);
    }
}
