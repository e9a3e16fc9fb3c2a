package io.frameq.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.frameq.event.ScoreEvent.FaultInfo;
import org.junit.jupiter.api.Test;

class FaultTallyTest {

    @Test
    void aFaultsRegionIsTheCellsThatAtLeastHalfOfItsFramesNamed() {
        FaultTally tally = new FaultTally();
        tally.add(List.of(new FaultInfo("raindrops", 0.8, List.of(1, 2, 9))), List.of("raindrops"));
        tally.add(List.of(new FaultInfo("raindrops", 0.7, List.of(2, 9, 30))), List.of("raindrops"));
        tally.add(List.of(new FaultInfo("raindrops", 0.9, List.of(2, 9))), List.of("raindrops", "low_quality"));
        tally.add(List.of(new FaultInfo("glare", 0.6, List.of(5))), List.of("glare"));

        List<AlertEvent.FaultSummary> summary = tally.summary();

        assertThat(summary).containsExactly(
                new AlertEvent.FaultSummary("raindrops", 3, List.of(2, 9)),
                new AlertEvent.FaultSummary("glare", 1, List.of(5)));
    }

    @Test
    void conditionsThatRaisedNoDegradationAreNotCountedAndWholeFrameFaultsHaveNoCells() {
        FaultTally tally = new FaultTally();
        tally.add(List.of(new FaultInfo("ir_mode", 0.99, List.of(0, 1))), List.of());
        tally.add(null, List.of("frozen", "low_quality"));
        tally.add(List.of(new FaultInfo("ir_mode", 0.99, List.of(0, 1))), List.of("frozen", "moved"));

        assertThat(tally.summary()).containsExactly(
                new AlertEvent.FaultSummary("frozen", 2, List.of()),
                new AlertEvent.FaultSummary("moved", 1, List.of()));
        tally.clear();
        assertThat(tally.summary()).isEmpty();
    }
}
