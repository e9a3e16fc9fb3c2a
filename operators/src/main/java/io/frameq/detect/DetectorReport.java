package io.frameq.detect;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The result of {@link DetectorSuite#analyze}.
 *
 * @param readings  the measured numbers
 * @param flags     the degradations whose thresholds were crossed; unmodifiable, iterates in enum order,
 *                  empty for a clean frame
 * @param thumbnail this frame's {@value DetectorSuite#THUMBNAIL_WIDTH}x{@value DetectorSuite#THUMBNAIL_HEIGHT}
 *                  luma thumbnail (row-major, one byte per pixel); store it per stream and pass it as
 *                  {@code previousThumbnail} with the stream's next frame. Owned by the caller.
 *                  (A record with an array component compares it by identity.)
 */
public record DetectorReport(DetectorReadings readings, Set<Degradation> flags, byte[] thumbnail) {

    public DetectorReport {
        Objects.requireNonNull(readings, "readings");
        Objects.requireNonNull(thumbnail, "thumbnail");
        EnumSet<Degradation> copy = EnumSet.noneOf(Degradation.class);
        copy.addAll(Objects.requireNonNull(flags, "flags"));
        flags = Collections.unmodifiableSet(copy);
    }

    /** The same report with other flags, e.g. after judging the frame against its stream's normal. */
    public DetectorReport withFlags(Set<Degradation> judged) {
        return new DetectorReport(readings, judged, thumbnail);
    }

    public boolean has(Degradation d) {
        return flags.contains(d);
    }

    /** True when no degradation was flagged. */
    public boolean clean() {
        return flags.isEmpty();
    }
}
