package io.frameq.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import io.frameq.event.ScoreEvent;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.processor.Outlet;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * The tamper incident's clock. A camera turned away is confirmed {@code moved} only once its new view holds still,
 * about a second after it began to turn; its frames then say since when the view was off ({@code since_ts}), and
 * the incident counts from there, so an operator hears of it two seconds after the camera left its view rather than
 * two seconds after the judge was sure. A lens covered on every frame of the run opens it after one second.
 */
class AlertsProcessorTest {

    private static final long T0 = 1_700_000_000_000L;

    @Test
    void aMovedCameraCountsFromWhenItsViewLeftNotFromWhenTheMoveWasConfirmed() {
        MockProcessorContext<String, Object> context = context();
        AlertsProcessor alerts = processor(context);
        for (int i = 0; i < 5; i++) { // 1 s of a clean view at 5 frames/s; the camera starts turning at T0 + 1 s
            alerts.process(event(T0 + 200L * i, List.of(), null));
        }
        // turning (no flag yet) until T0 + 2.2 s, confirmed moved from T0 + 2.4 s, off its view since T0 + 1.2 s
        for (long t = T0 + 1200; t <= T0 + 2200; t += 200) {
            alerts.process(event(t, List.of("blur"), null));
        }
        alerts.process(event(T0 + 2400, List.of("moved"), T0 + 1200));
        assertThat(opened(context)).as("one moved frame is not an incident").isEmpty();
        alerts.process(event(T0 + 2600, List.of("moved"), T0 + 1200));
        alerts.process(event(T0 + 2800, List.of("moved"), T0 + 1200));
        assertThat(opened(context)).as("2 s after the view left, not yet 2 s of moved frames").isEmpty();
        alerts.process(event(T0 + 3200, List.of("moved"), T0 + 1200));
        List<AlertEvent> open = opened(context);
        assertThat(open).hasSize(1);
        assertThat(open.get(0).kind()).isEqualTo(AlertEvent.TAMPER);
        assertThat(open.get(0).windowStart()).as("when the view left").isEqualTo(T0 + 1200);
        assertThat(open.get(0).windowEnd()).isEqualTo(T0 + 3200);
        assertThat(open.get(0).topDegradations()).containsExactly("moved");
    }

    @Test
    void withoutSinceTheIncidentWaitsForTwoSecondsOfFlaggedFrames() {
        MockProcessorContext<String, Object> context = context();
        AlertsProcessor alerts = processor(context);
        for (long t = T0; t < T0 + 2000; t += 200) {
            alerts.process(event(t, List.of("moved"), null));
        }
        assertThat(opened(context)).isEmpty();
        alerts.process(event(T0 + 2000, List.of("moved"), null));
        assertThat(opened(context)).singleElement().satisfies(a -> assertThat(a.windowStart()).isEqualTo(T0));
    }

    /**
     * A hidden lens is plain on sight: a run covered on every frame opens after one second, and so does a run that
     * began as moved or defocused (a hand read as a lost view or lost focus while it came near) once its last second
     * was covered; a run mixed all along needs two.
     */
    @Test
    void aCoveredLensOpensTheIncidentAfterOneSecond() {
        MockProcessorContext<String, Object> context = context();
        AlertsProcessor alerts = processor(context);
        alerts.process(event(T0, List.of("covered"), null));
        alerts.process(event(T0 + 800, List.of("covered", "blur"), null));
        assertThat(opened(context)).isEmpty();
        alerts.process(event(T0 + 1000, List.of("covered"), null));
        assertThat(opened(context)).singleElement().satisfies(a -> {
            assertThat(a.windowStart()).isEqualTo(T0);
            assertThat(a.windowEnd()).isEqualTo(T0 + 1000);
        });

        MockProcessorContext<String, Object> approachContext = context();
        AlertsProcessor approach = processor(approachContext);
        approach.process(event(T0, List.of("moved"), null));
        approach.process(event(T0 + 200, List.of("defocused"), null));
        for (long t = T0 + 400; t < T0 + 1400; t += 200) {
            approach.process(event(t, List.of("covered"), null));
        }
        assertThat(opened(approachContext)).as("covered for 0.8 s").isEmpty();
        approach.process(event(T0 + 1400, List.of("covered"), null));
        assertThat(opened(approachContext)).as("covered for 1 s after a moved and a defocused frame").singleElement()
                .satisfies(a -> {
                    assertThat(a.windowStart()).isEqualTo(T0);
                    assertThat(a.topDegradations()).containsExactlyInAnyOrder("covered", "moved", "defocused");
                });

        MockProcessorContext<String, Object> mixedContext = context();
        AlertsProcessor mixed = processor(mixedContext);
        for (long t = T0; t < T0 + 2000; t += 200) {
            mixed.process(event(t, List.of(t % 400 == 0 ? "moved" : "covered"), null));
        }
        assertThat(opened(mixedContext)).as("covered and moved by turns").isEmpty();
        mixed.process(event(T0 + 2000, List.of("moved"), null));
        assertThat(opened(mixedContext)).hasSize(1);
    }

    /** A camera whose focus was turned: defocused on every frame for two seconds, as long as a turned camera. */
    @Test
    void lostFocusOpensTheIncidentAfterTwoSeconds() {
        MockProcessorContext<String, Object> context = context();
        AlertsProcessor alerts = processor(context);
        for (long t = T0; t < T0 + 2000; t += 200) {
            alerts.process(event(t, List.of("defocused", "blur"), null));
        }
        assertThat(opened(context)).isEmpty();
        alerts.process(event(T0 + 2000, List.of("defocused", "blur"), null));
        assertThat(opened(context)).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(AlertEvent.TAMPER);
            assertThat(a.topDegradations()).containsExactly("defocused");
        });
    }

    @Test
    void aSinceInTheFutureOrOnAnotherTypeDoesNotMoveTheClock() {
        MockProcessorContext<String, Object> context = context();
        AlertsProcessor alerts = processor(context);
        alerts.process(event(T0, List.of("moved"), T0 + 5000));
        alerts.process(event(T0 + 1000, List.of("moved"), null));
        alerts.process(eventWithFault(T0 + 1400, List.of("moved"), "soiled", T0 - 60_000));
        assertThat(opened(context)).isEmpty();
        alerts.process(event(T0 + 2000, List.of("moved"), null));
        assertThat(opened(context)).singleElement().satisfies(a -> assertThat(a.windowStart()).isEqualTo(T0));
    }

    private static MockProcessorContext<String, Object> context() {
        MockProcessorContext<String, Object> context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(T0);
        KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("alerts"),
                Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        return context;
    }

    private static AlertsProcessor processor(MockProcessorContext<String, Object> context) {
        AlertsProcessor p = new AlertsProcessor(AlertPolicy.DEFAULTS, FrameqMetrics.none(), "alerts", Outlet.downstream());
        p.init(context);
        return p;
    }

    private static List<AlertEvent> opened(MockProcessorContext<String, Object> context) {
        return context.forwarded().stream().map(f -> f.record().value()).filter(AlertEvent.class::isInstance)
                .map(AlertEvent.class::cast).filter(a -> AlertEvent.OPEN.equals(a.state())).toList();
    }

    /** A frame of stream "cam" flagged with {@code degradations}, each a fault with the given since (or none). */
    private static Record<String, ScoreEvent> event(long captureTs, List<String> degradations, Long since) {
        List<ScoreEvent.FaultInfo> faults = degradations.stream()
                .map(d -> new ScoreEvent.FaultInfo(d, 0.9, List.of(), since)).toList();
        return record(captureTs, degradations, faults);
    }

    private static Record<String, ScoreEvent> eventWithFault(long captureTs, List<String> degradations, String faultType, long since) {
        return record(captureTs, degradations, List.of(new ScoreEvent.FaultInfo(faultType, 0.9, List.of(), since)));
    }

    private static Record<String, ScoreEvent> record(long captureTs, List<String> degradations, List<ScoreEvent.FaultInfo> faults) {
        String verdict = degradations.isEmpty() ? ScoreEvent.OK : ScoreEvent.DEGRADED;
        ScoreEvent e = new ScoreEvent("e-" + captureTs, "cam", captureTs, -1, captureTs, captureTs,
                new ScoreEvent.Source("frames", 0, captureTs, 0), 640, 360, null, null, null, verdict, degradations,
                Map.of(), Map.of(), false, verdict, degradations.isEmpty() ? null : degradations.get(0), "none", faults);
        return new Record<>("cam", e, captureTs);
    }
}
