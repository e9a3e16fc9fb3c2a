package io.frameq.api;

import java.util.Objects;

import io.frameq.join.JoinPolicy;
import io.frameq.join.OriginResolver;
import io.frameq.quality.FrScorer;

/**
 * What full-reference scoring needs beside the no-reference chain's decoders and metrics.
 *
 * @param scorer the full-reference model (shared, thread-safe; the caller closes it)
 * @param policy join window, grace, match key and buffer bound ({@link JoinPolicy#DEFAULTS})
 * @param resolver how a rendition names its origin ({@code frameq-origin} header or {@code <origin>@<label>} key)
 */
public record FullReferenceModel(FrScorer scorer, JoinPolicy policy, OriginResolver resolver) {

    public FullReferenceModel {
        Objects.requireNonNull(scorer, "scorer");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(resolver, "resolver");
    }

    /** The default join and origin naming. */
    public static FullReferenceModel of(FrScorer scorer) {
        return new FullReferenceModel(scorer, JoinPolicy.DEFAULTS, new OriginResolver(OriginResolver.DEFAULT_SEPARATOR));
    }
}
