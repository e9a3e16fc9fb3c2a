package io.frameq.detect;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Fuses a learned fault classifier's per-class probabilities (the {@code fault-head} model, see
 * {@code io.frameq.quality.FaultClassifier}) into the rule diagnosis of {@link FaultRules}.
 *
 * <p>A class whose probability is above {@value #DECIDE_ABOVE} (each class's threshold is folded into the model, set
 * on the fit half of the real development data so that about 1 % of clean frames cross it) raises its fault: where the
 * rules found the same fault, its cells stay and its confidence becomes the larger of the two; otherwise the fault
 * covers every cell (the classifier judges the whole frame) with the probability as its confidence. The classifier
 * adds faults and never removes a rule's: the rules see where in the frame a fault sits, the classifier sees cues
 * (refracting drops, veils, smears) that single-cell thresholds miss. A black frame stays undiagnosed, as with the
 * rules.
 *
 * <p>Pure and thread-safe; here, not in the scorer's package, because it only knows fault types and probabilities.
 */
public final class LearnedFaults {

    /** A class is raised when its probability is above this (the model folds each class's threshold into 0.5). */
    public static final double DECIDE_ABOVE = 0.5;

    private final List<FaultType> classes;

    /**
     * @param classCodes the classifier's class names, {@link FaultType#code()}s of faults, in output order
     * @throws IllegalArgumentException naming every code that is not a fault type
     */
    public LearnedFaults(List<String> classCodes) {
        List<FaultType> types = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String code : classCodes) {
            FaultType t = byCode(code);
            if (t == null || !t.isFault()) {
                unknown.add(code);
            } else {
                types.add(t);
            }
        }
        if (!unknown.isEmpty() || types.isEmpty()) {
            throw new IllegalArgumentException("LearnedFaults: class codes expected fault type codes "
                    + IntStream.range(0, FaultType.values().length).mapToObj(i -> FaultType.values()[i])
                    .filter(FaultType::isFault).map(FaultType::code).toList()
                    + ", actual unknown " + unknown + " in " + classCodes);
        }
        this.classes = List.copyOf(types);
    }

    /** The fault types the classifier can raise. */
    public List<FaultType> classes() {
        return classes;
    }

    /**
     * The report with the classifier's faults added (faults and flags); unchanged for a black frame.
     *
     * @param probabilities by class code, as {@code FaultClassifier.classify} returns them; every class must be present
     */
    public DetectorReport fuse(DetectorReport report, Map<String, Double> probabilities) {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(probabilities, "probabilities");
        if (report.has(Degradation.BLACK)) {
            return report;
        }
        List<Fault> faults = new ArrayList<>(report.faults());
        Set<Degradation> flags = EnumSet.noneOf(Degradation.class);
        flags.addAll(report.flags());
        List<Integer> everyCell = report.cells() == null ? List.of()
                : IntStream.range(0, report.cells().size()).boxed().toList();
        boolean changed = false;
        for (FaultType type : classes) {
            Double p = probabilities.get(type.code());
            if (p == null || !(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("LearnedFaults: probability of '" + type.code()
                        + "' expected a number in [0, 1], actual " + p);
            }
            if (p <= DECIDE_ABOVE) {
                continue;
            }
            changed = true;
            int k = indexOf(faults, type);
            if (k >= 0) {
                Fault rule = faults.get(k);
                faults.set(k, new Fault(type, Math.max(rule.confidence(), p), rule.cells()));
            } else {
                faults.add(new Fault(type, p, everyCell));
            }
            flags.add(type.degradation());
        }
        if (!changed) {
            return report;
        }
        faults.sort((a, b) -> a.type().compareTo(b.type()));
        return new DetectorReport(report.readings(), flags, report.thumbnail(), report.cells(), faults);
    }

    private static int indexOf(List<Fault> faults, FaultType type) {
        for (int i = 0; i < faults.size(); i++) {
            if (faults.get(i).type() == type) {
                return i;
            }
        }
        return -1;
    }

    private static FaultType byCode(String code) {
        try {
            return FaultType.valueOf(code.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
