package io.frameq.verdict;

/**
 * A stream's hysteresis band on normalised quality: the stream turns degraded below {@code low}
 * and turns ok again only above {@code high}.
 */
public record Thresholds(double low, double high) {

    public Thresholds {
        if (!(low >= 0 && high <= 1 && low < high)) {
            throw new IllegalArgumentException("Thresholds: expected 0 <= low < high <= 1, actual low=" + low + " high=" + high);
        }
    }
}
