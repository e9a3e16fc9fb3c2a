package io.frameq.alert;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.frameq.event.ScoreEvent;

/**
 * Counts, over the frames of one window or incident, how often each fault type was diagnosed and in which grid
 * cells, so that an alert can say what went wrong and where. A cell belongs to a fault's region when at least half
 * of the frames with that fault named it: a raindrop that ran down the glass, or a car that fooled one frame's
 * rule, does not widen the region. Public fields keep the JSON mapping of the state store trivial.
 */
public final class FaultTally {

    /** Type code to its count and per-cell counts. */
    public Map<String, TypeCount> types = new LinkedHashMap<>();

    /** One fault type's frames and cell hits. */
    public static final class TypeCount {
        public long frames;
        public Map<Integer, Integer> cells = new LinkedHashMap<>();
    }

    /** Faults of the whole picture, decided without a grid: they cover no cells of their own. */
    static final java.util.Set<String> WHOLE_FRAME = java.util.Set.of("black", "frozen", "moved");

    /**
     * Adds one frame's faults: its spatial faults with their cells, and its whole-frame faults. Conditions that
     * raised no degradation (ir_mode) are information, not counted.
     */
    void add(List<ScoreEvent.FaultInfo> faults, List<String> degradations) {
        if (degradations == null) {
            return;
        }
        degradations.stream().filter(WHOLE_FRAME::contains).forEach(this::addWholeFrame);
        for (ScoreEvent.FaultInfo f : faults == null ? List.<ScoreEvent.FaultInfo>of() : faults) {
            if (!degradations.contains(f.type()) || WHOLE_FRAME.contains(f.type())) {
                continue;
            }
            TypeCount c = types.computeIfAbsent(f.type(), t -> new TypeCount());
            c.frames++;
            for (Integer cell : f.cells()) {
                c.cells.merge(cell, 1, Integer::sum);
            }
        }
    }

    void clear() {
        types = new LinkedHashMap<>();
    }

    private void addWholeFrame(String type) {
        types.computeIfAbsent(type, t -> new TypeCount()).frames++;
    }

    /**
     * Every type seen, most frequent first (ties by name), each with its persistent cells in ascending order; empty
     * cells for a whole-frame fault.
     */
    List<AlertEvent.FaultSummary> summary() {
        List<AlertEvent.FaultSummary> out = new ArrayList<>();
        types.entrySet().stream()
                .sorted(Map.Entry.<String, TypeCount>comparingByValue(Comparator.comparingLong(c -> -c.frames))
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> {
                    TypeCount c = e.getValue();
                    List<Integer> region = c.cells.entrySet().stream()
                            .filter(cell -> 2L * cell.getValue() >= c.frames)
                            .map(Map.Entry::getKey).sorted().toList();
                    out.add(new AlertEvent.FaultSummary(e.getKey(), c.frames, region));
                });
        return out;
    }
}
