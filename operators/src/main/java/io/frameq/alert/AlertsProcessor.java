package io.frameq.alert;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.frameq.event.EventJson;
import io.frameq.event.ScoreEvent;
import io.frameq.frame.FrameHeaders;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.processor.Outlet;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-stream alerting on the score events: keeps a tumbling window of event time (capture_ts) per
 * stream in a changelogged store and publishes one JSON {@link AlertEvent} per incident transition.
 * A window is judged when the first frame of a later window arrives (windows without frames are
 * skipped, they carry no evidence). A wall-clock punctuator opens a {@code silent} alert for a
 * stream that sent nothing for {@link AlertPolicy#silentAfterMs()}; its next frame resolves it. The
 * same check retires a stream silent past {@link StreamRetirement#afterMs()}: its open incidents
 * resolve with reason {@code retired}, its entries leave every per-stream store and its metric labels
 * are released (the alert store knows each stream's last frame, so retirement needs no store of its own).
 */
public final class AlertsProcessor implements Processor<String, ScoreEvent, String, Object> {

    private static final int TOP_DEGRADATIONS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(AlertsProcessor.class);

    private final AlertPolicy policy;
    private final FrameqMetrics metrics;
    private final String storeName;
    private final Outlet<AlertEvent> alerts;
    private final StreamRetirement retirement;
    private final List<KeyValueStore<String, ?>> otherStores = new ArrayList<>();
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, byte[]> store;

    /** Processor API form: alerts as JSON bytes to the sink {@code alertsChild}. */
    public AlertsProcessor(AlertPolicy policy, FrameqMetrics metrics, String storeName, String alertsChild) {
        this(policy, metrics, storeName, Outlet.toChild(alertsChild, EventJson::toBytes));
    }

    /** @param storeName key-value store (stream id to its window and incidents as JSON) */
    public AlertsProcessor(AlertPolicy policy, FrameqMetrics metrics, String storeName, Outlet<AlertEvent> alerts) {
        this(policy, metrics, storeName, alerts, StreamRetirement.NEVER);
    }

    /** @param retirement when silent streams are retired, and the other stores (connected to this node) they leave */
    public AlertsProcessor(AlertPolicy policy, FrameqMetrics metrics, String storeName, Outlet<AlertEvent> alerts,
                           StreamRetirement retirement) {
        this.policy = policy;
        this.metrics = metrics;
        this.storeName = storeName;
        this.alerts = alerts;
        this.retirement = Objects.requireNonNull(retirement, "retirement");
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        for (String name : retirement.stateStores()) {
            otherStores.add(context.getStateStore(name));
        }
        context.schedule(Duration.ofMillis(policy.checkEveryMs()), PunctuationType.WALL_CLOCK_TIME, this::checkSilence);
    }

    @Override
    public void process(Record<String, ScoreEvent> record) {
        ScoreEvent event = record.value();
        if (event == null || record.key() == null) {
            return;
        }
        String stream = record.key();
        long now = context.currentSystemTimeMs();
        StreamAlertState s = load(stream);

        if (s.silentAlertId != null) {
            emit(new AlertEvent(s.silentAlertId, stream, AlertEvent.SILENT, AlertEvent.RESOLVED, s.lastCaptureTs, now,
                    0, 0.0, null, null, null, List.of(), now, List.of()), record.timestamp());
            s.silentAlertId = null;
            s.silentSinceMs = -1;
        }

        long captureTs = event.captureTs();
        long start = captureTs - Math.floorMod(captureTs, policy.windowMs());
        if (s.windowStart < 0) {
            s.resetWindow(start);
        } else if (start > s.windowStart) {
            closeWindow(stream, s, now, record.timestamp());
            s.resetWindow(start);
        }
        // A late frame (earlier window) counts towards the current one: the earlier window was already judged.
        s.add(event.quality(), ScoreEvent.DEGRADED.equals(event.verdict()), event.degradations(), event.faults());
        tamper(stream, s, captureTs, event, now, record.timestamp());
        s.lastCaptureTs = Math.max(s.lastCaptureTs, captureTs);
        s.lastSeenWallMs = now;
        store.put(stream, EventJson.toBytes(s));
    }

    /** Judges the finished window and applies the hysteresis. */
    private void closeWindow(String stream, StreamAlertState s, long now, long timestamp) {
        if (s.frames == 0) {
            return;
        }
        double share = s.degradedShare();
        if (share >= policy.openRatio()) {
            s.badWindows++;
            s.goodWindows = 0;
        } else if (share <= policy.resolveRatio()) {
            s.goodWindows++;
            s.badWindows = 0;
        } else {
            s.badWindows = 0;
            s.goodWindows = 0;
        }
        if (s.qualityAlertId == null && s.badWindows >= policy.openWindows()) {
            s.qualityAlertId = stream + "/" + AlertEvent.QUALITY + "/" + s.windowStart;
            emit(windowEvent(stream, s, AlertEvent.OPEN, now), timestamp);
            s.goodWindows = 0;
        } else if (s.qualityAlertId != null && s.goodWindows >= policy.resolveWindows()) {
            emit(windowEvent(stream, s, AlertEvent.RESOLVED, now), timestamp);
            s.qualityAlertId = null;
            s.badWindows = 0;
        }
    }

    /**
     * The tamper incident: opens once every frame for {@link AlertPolicy#tamperOpenMs} (and at least two frames)
     * carried a tamper type, or the last {@link AlertPolicy#coveredOpenMs} (and two frames) a hidden lens, whatever
     * came before it in the run (a hand read as a lost view or lost focus while it came near), resolves after
     * {@link AlertPolicy#tamperResolveMs} without one. A fault that the baseline judged over several frames counts
     * from when it began ({@code since_ts}): a camera turned away is confirmed moved only once its new view holds
     * still, but it left its old view when it started to turn.
     */
    private void tamper(String stream, StreamAlertState s, long captureTs, ScoreEvent event, long now, long timestamp) {
        if (policy.tamperOpenMs() == 0) {
            return;
        }
        List<String> degradations = event.degradations();
        List<String> types = degradations == null ? List.of()
                : degradations.stream().filter(AlertPolicy.TAMPER::contains).toList();
        if (!types.isEmpty()) {
            s.tamperClearSinceTs = -1;
            if (s.tamperSinceTs < 0) {
                s.tamperSinceTs = captureTs;
                s.tamperFrames = 0;
                s.tamperHiddenFrames = 0;
                s.tamperTypes = new java.util.LinkedHashMap<>();
                s.tamperFaults.clear();
            }
            if (s.tamperAlertId == null) {
                s.tamperSinceTs = Math.min(s.tamperSinceTs, began(event.faults(), types, captureTs));
            }
            s.tamperFrames++;
            List<String> hidden = types.stream().filter(AlertPolicy.HIDDEN::contains).toList();
            if (hidden.isEmpty()) {
                s.tamperHiddenSinceTs = -1;
                s.tamperHiddenFrames = 0;
            } else {
                if (s.tamperHiddenSinceTs < 0) {
                    s.tamperHiddenSinceTs = Math.max(s.tamperSinceTs, began(event.faults(), hidden, captureTs));
                    s.tamperHiddenFrames = 0;
                }
                s.tamperHiddenFrames++;
            }
            types.forEach(t -> s.tamperTypes.merge(t, 1, Integer::sum));
            s.tamperFaults.add(event.faults(), types);
            boolean runLongEnough = s.tamperFrames >= 2 && captureTs - s.tamperSinceTs >= policy.tamperOpenMs();
            boolean lensHiddenLongEnough = s.tamperHiddenFrames >= 2
                    && captureTs - s.tamperHiddenSinceTs >= policy.coveredOpenMs();
            if (s.tamperAlertId == null && (runLongEnough || lensHiddenLongEnough)) {
                s.tamperAlertId = stream + "/" + AlertEvent.TAMPER + "/" + s.tamperSinceTs;
                emit(tamperEvent(stream, s, AlertEvent.OPEN, captureTs, now), timestamp);
            }
            return;
        }
        if (s.tamperAlertId == null) {
            s.tamperSinceTs = -1;
            return;
        }
        if (s.tamperClearSinceTs < 0) {
            s.tamperClearSinceTs = captureTs;
        }
        if (captureTs - s.tamperClearSinceTs >= policy.tamperResolveMs()) {
            emit(tamperEvent(stream, s, AlertEvent.RESOLVED, captureTs, now), timestamp);
            s.tamperAlertId = null;
            s.tamperSinceTs = -1;
            s.tamperClearSinceTs = -1;
        }
    }

    /**
     * When the tamper faults of a frame began: the earliest {@code since_ts} among them (a camera judged moved once
     * its new view held still was already off its old view while it turned), never after the frame itself. The
     * frames while it turned carried no tamper type yet, so the run is allowed to begin before frames without one.
     */
    private static long began(List<ScoreEvent.FaultInfo> faults, List<String> types, long captureTs) {
        long since = captureTs;
        for (ScoreEvent.FaultInfo f : faults == null ? List.<ScoreEvent.FaultInfo>of() : faults) {
            if (f.sinceTs() != null && types.contains(f.type())) {
                since = Math.min(since, f.sinceTs());
            }
        }
        return since;
    }

    private AlertEvent tamperEvent(String stream, StreamAlertState s, String state, long captureTs, long now) {
        List<String> seen = s.tamperTypes.entrySet().stream()
                .sorted(java.util.Map.Entry.<String, Integer>comparingByValue(java.util.Comparator.reverseOrder())
                        .thenComparing(java.util.Map.Entry.comparingByKey()))
                .map(java.util.Map.Entry::getKey).toList();
        return new AlertEvent(s.tamperAlertId, stream, AlertEvent.TAMPER, state, s.tamperSinceTs, captureTs, s.tamperFrames,
                1.0, null, null, null, seen, now, s.tamperFaults.summary());
    }

    private AlertEvent windowEvent(String stream, StreamAlertState s, String state, long now) {
        return new AlertEvent(s.qualityAlertId, stream, AlertEvent.QUALITY, state, s.windowStart,
                s.windowStart + policy.windowMs(), s.frames, s.degradedShare(), s.mean(), s.min(), s.p10(),
                s.topDegradations(TOP_DEGRADATIONS), now, s.faults.summary());
    }

    private void checkSilence(long now) {
        List<KeyValue<String, StreamAlertState>> opened = new ArrayList<>();
        List<KeyValue<String, StreamAlertState>> retired = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                StreamAlertState s = EventJson.fromBytes(kv.value, StreamAlertState.class);
                if (retirement.enabled() && s.lastSeenWallMs >= 0 && now - s.lastSeenWallMs >= retirement.afterMs()) {
                    retired.add(KeyValue.pair(kv.key, s));
                } else if (s.silentAlertId == null && s.lastSeenWallMs >= 0 && now - s.lastSeenWallMs >= policy.silentAfterMs()) {
                    opened.add(KeyValue.pair(kv.key, s));
                }
            }
        }
        for (KeyValue<String, StreamAlertState> kv : opened) {
            StreamAlertState s = kv.value;
            s.silentAlertId = kv.key + "/" + AlertEvent.SILENT + "/" + s.lastSeenWallMs;
            s.silentSinceMs = s.lastSeenWallMs;
            emit(new AlertEvent(s.silentAlertId, kv.key, AlertEvent.SILENT, AlertEvent.OPEN, s.lastCaptureTs, now, 0, 0.0,
                    null, null, null, List.of(), now, List.of()), now);
            store.put(kv.key, EventJson.toBytes(s));
        }
        // deleted after the iterator is closed: RocksDB iterators see a snapshot, but the in-memory stores of tests do not
        for (KeyValue<String, StreamAlertState> kv : retired) {
            retire(kv.key, kv.value, now);
        }
    }

    /** Resolves the stream's open incidents with reason {@code retired} and drops everything FrameQ keeps about it. */
    private void retire(String stream, StreamAlertState s, long now) {
        if (s.silentAlertId != null) {
            emit(new AlertEvent(s.silentAlertId, stream, AlertEvent.SILENT, AlertEvent.RESOLVED, s.lastCaptureTs, now,
                    0, 0.0, null, null, null, List.of(), now, List.of(), AlertEvent.RETIRED), now);
        }
        if (s.qualityAlertId != null) {
            AlertEvent w = windowEvent(stream, s, AlertEvent.RESOLVED, now);
            emit(new AlertEvent(w.alertId(), stream, w.kind(), w.state(), w.windowStart(), w.windowEnd(), w.frames(),
                    w.degradedShare(), w.meanQuality(), w.minQuality(), w.p10Quality(), w.topDegradations(), now, w.faults(),
                    AlertEvent.RETIRED), now);
        }
        if (s.tamperAlertId != null) {
            AlertEvent t = tamperEvent(stream, s, AlertEvent.RESOLVED, s.lastCaptureTs, now);
            emit(new AlertEvent(t.alertId(), stream, t.kind(), t.state(), t.windowStart(), t.windowEnd(), t.frames(),
                    t.degradedShare(), null, null, null, t.topDegradations(), now, t.faults(), AlertEvent.RETIRED), now);
        }
        store.delete(stream);
        otherStores.forEach(other -> other.delete(stream));
        metrics.streamRetired(stream);
        LOG.info("stream '{}': retired after {} ms without frames (last capture time {}): its state and metric series are dropped",
                stream, now - s.lastSeenWallMs, s.lastCaptureTs);
    }

    private StreamAlertState load(String stream) {
        byte[] bytes = store.get(stream);
        return bytes == null ? new StreamAlertState() : EventJson.fromBytes(bytes, StreamAlertState.class);
    }

    private void emit(AlertEvent event, long timestamp) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(FrameHeaders.CONTENT_TYPE, "application/json".getBytes(StandardCharsets.UTF_8));
        headers.add(FrameHeaders.ALERT_ID, event.alertId().getBytes(StandardCharsets.UTF_8));
        alerts.send(context, new Record<>(event.stream(), event, timestamp, headers));
        metrics.alert(event.kind(), event.state());
    }
}
