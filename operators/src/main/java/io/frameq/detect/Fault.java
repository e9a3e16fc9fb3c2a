package io.frameq.detect;

import java.util.List;
import java.util.Objects;

/**
 * One diagnosis of a frame: what, how sure, where.
 *
 * @param type       the fault (or condition, see {@link FaultType#isFault()})
 * @param confidence 0..1; 0.5 at the rule's threshold, rising with the margin by which the frame crosses it
 * @param cells      the grid cells ({@link CellReadings}, row-major) the fault covers, ascending; every cell for
 *                   a whole-frame fault
 * @param sinceMs    capture time (epoch ms) at which a fault judged over several frames began, before the frame
 *                   that confirmed it (a view that left its reference while the camera was still turning); null for
 *                   a fault of this frame alone
 */
public record Fault(FaultType type, double confidence, List<Integer> cells, Long sinceMs) {

    /** A fault of this frame alone. */
    public Fault(FaultType type, double confidence, List<Integer> cells) {
        this(type, confidence, cells, null);
    }

    public Fault {
        Objects.requireNonNull(type, "type");
        cells = List.copyOf(cells);
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("Fault: confidence must be in [0, 1], actual " + confidence);
        }
    }
}
