package io.frameq.app.demo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.frameq.errors.DeadLetter;
import io.frameq.event.EventJson;
import io.frameq.event.ScoreEvent;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what FrameQ published (score events and dead letters) back from Kafka and keeps
 * per-stream tallies for the live table and the summary. It sees exactly what a downstream
 * consumer would see.
 */
final class ScoreBoard implements AutoCloseable {

    /** Running tally of one stream. */
    static final class StreamStats {
        long events;
        long degraded;
        long faultedFrames;
        long faultedCaught;
        long faultedLowQuality;
        long cleanFrames;
        long cleanFlagged;
        double qualitySum;
        double lastQuality = Double.NaN;
        boolean trained;
        long lastCaptureTs;
        long lastEventWallMs;
        long lastLatencyMs;
        List<String> lastReasons = List.of();
        final Map<String, Long> flagCounts = new TreeMap<>();
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final String scoresTopic;
    private final DemoFeeder feeder;
    private final Map<String, String> expectedFlag;
    private final Map<String, StreamStats> stats = new ConcurrentHashMap<>();
    private final Map<String, Long> dlqByReason = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private final java.io.Writer eventLog;

    ScoreBoard(String bootstrap, String scoresTopic, String dlqTopic, DemoFeeder feeder, DemoScenario scenario,
               java.io.Writer eventLog) {
        this.scoresTopic = scoresTopic;
        this.eventLog = eventLog;
        this.feeder = feeder;
        this.expectedFlag = new ConcurrentHashMap<>();
        scenario.cameras().forEach(c -> {
            stats.put(c.streamId(), new StreamStats());
            if (c.fault().expectedFlag() != null) {
                expectedFlag.put(c.streamId(), c.fault().expectedFlag());
            }
        });
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "frameq-demo-scoreboard",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(scoresTopic, dlqTopic));
        thread = new Thread(this::loop, "demo-scoreboard");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running.get()) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.topic().equals(scoresTopic)) {
                    onScore(EventJson.fromBytes(r.value(), ScoreEvent.class));
                    logEvent(r.value());
                } else {
                    Header reason = r.headers().lastHeader(DeadLetter.H_REASON);
                    dlqByReason.merge(reason == null ? "?" : new String(reason.value(), StandardCharsets.UTF_8), 1L, Long::sum);
                }
            }
        }
        consumer.close();
    }

    private void logEvent(byte[] json) {
        if (eventLog == null) {
            return;
        }
        try {
            eventLog.write(new String(json, StandardCharsets.UTF_8));
            eventLog.write('\n');
            eventLog.flush();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("demo: cannot write the event log", e);
        }
    }

    private void onScore(ScoreEvent e) {
        StreamStats s = stats.computeIfAbsent(e.stream(), k -> new StreamStats());
        synchronized (s) {
            s.events++;
            boolean degraded = ScoreEvent.DEGRADED.equals(e.verdict());
            if (degraded) {
                s.degraded++;
            }
            if (e.quality() != null) {
                s.qualitySum += e.quality();
                s.lastQuality = e.quality();
            }
            s.trained = e.model().trained();
            s.lastCaptureTs = e.captureTs();
            s.lastEventWallMs = System.currentTimeMillis();
            s.lastLatencyMs = e.scoredTs() - e.captureTs();
            s.lastReasons = e.degradations();
            e.degradations().forEach(f -> s.flagCounts.merge(f, 1L, Long::sum));
            if (feeder.wasFaulted(e.stream(), e.seq())) {
                s.faultedFrames++;
                String want = expectedFlag.get(e.stream());
                if (want != null && e.degradations().contains(want)) {
                    s.faultedCaught++;
                }
                if (e.degradations().contains("low_quality")) {
                    s.faultedLowQuality++;
                }
            } else {
                s.cleanFrames++;
                if (degraded) {
                    s.cleanFlagged++;
                }
            }
        }
    }

    Map<String, StreamStats> stats() {
        return new TreeMap<>(stats);
    }

    Map<String, Long> dlqByReason() {
        return new TreeMap<>(dlqByReason);
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
