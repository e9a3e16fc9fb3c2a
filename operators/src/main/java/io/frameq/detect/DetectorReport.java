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
 * @param cells     the spatial readings ({@link SpatialGrid}); null for reports built from readings alone
 * @param faults    the spatial diagnosis ({@link FaultRules}): faults, each also in {@code flags}, and conditions
 *                  that are not faults ({@link FaultType#IR_MODE}); unmodifiable, in {@link FaultType} order
 */
public record DetectorReport(DetectorReadings readings, Set<Degradation> flags, byte[] thumbnail, CellReadings cells,
                             java.util.List<Fault> faults) {

    public DetectorReport {
        Objects.requireNonNull(readings, "readings");
        Objects.requireNonNull(thumbnail, "thumbnail");
        EnumSet<Degradation> copy = EnumSet.noneOf(Degradation.class);
        copy.addAll(Objects.requireNonNull(flags, "flags"));
        flags = Collections.unmodifiableSet(copy);
        faults = faults == null ? java.util.List.of() : java.util.List.copyOf(faults);
    }

    /** A report without spatial readings or diagnosis. */
    public DetectorReport(DetectorReadings readings, Set<Degradation> flags, byte[] thumbnail) {
        this(readings, flags, thumbnail, null, java.util.List.of());
    }

    /** The diagnosed fault of this type, if any. */
    public java.util.Optional<Fault> fault(FaultType type) {
        return faults.stream().filter(f -> f.type() == type).findFirst();
    }

    /** The same report with other flags, e.g. after judging the frame against its stream's normal. */
    public DetectorReport withFlags(Set<Degradation> judged) {
        // A fault whose flag was judged away (this stream's normal, or a mode still warming up) leaves the faults
        // too; information such as ir_mode, which raises no flag, stays.
        java.util.List<Fault> kept = faults.stream()
                .filter(f -> f.type().degradation() == null || judged.contains(f.type().degradation()))
                .toList();
        return new DetectorReport(readings, judged, thumbnail, cells, kept);
    }

    /**
     * The same report with a fault judged over several frames (e.g. {@link FaultType#MOVED}), in place of any fault of
     * its type, its flag raised.
     */
    public DetectorReport withFault(Fault fault) {
        java.util.List<Fault> more = new java.util.ArrayList<>(faults);
        more.removeIf(f -> f.type() == fault.type());
        more.add(fault);
        more.sort(java.util.Comparator.comparing(Fault::type));
        EnumSet<Degradation> raised = EnumSet.noneOf(Degradation.class);
        raised.addAll(flags);
        if (fault.type().degradation() != null) {
            raised.add(fault.type().degradation());
        }
        return new DetectorReport(readings, raised, thumbnail, cells, more);
    }

    public boolean has(Degradation d) {
        return flags.contains(d);
    }

    /** True when no degradation was flagged. */
    public boolean clean() {
        return flags.isEmpty();
    }
}
