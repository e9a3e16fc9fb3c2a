package io.frameq.app.demo;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;

import io.frameq.event.EventJson;
import io.frameq.event.FrScoreEvent;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the full-reference events ({@code type: fr}) of the scores topic and keeps, per rendition,
 * the pairs scored and the means of the model quality, MS-SSIM, SSIM and PSNR, plus the unmatched
 * frames per side. Events are counted once per event id (a re-delivery after a rebalance repeats ids).
 */
final class CdnBoard implements AutoCloseable {

    /** Running sums of one rendition. */
    static final class Rendition {
        long pairs;
        long seqSum;
        double quality;
        double score;
        double msSsim;
        double ssim;
        double psnr;
        long psnrCount;
        double scoreMs;
        double classicMs;
        boolean trained;

        synchronized double mean(double sum) {
            return pairs == 0 ? Double.NaN : sum / pairs;
        }

        synchronized double meanPsnr() {
            return psnrCount == 0 ? Double.NaN : psnr / psnrCount;
        }
    }

    private final Map<String, Rendition> renditions = new ConcurrentHashMap<>();
    private final Map<String, Long> unmatched = new ConcurrentHashMap<>();
    private final Map<String, Long> unmatchedByStream = new ConcurrentHashMap<>();
    private final Map<String, Long> unmatchedByReason = new ConcurrentHashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final KafkaConsumer<String, byte[]> consumer;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private final java.io.Writer eventLog;

    /** @param eventLog when not null, every FR event is also written to it as one JSON line */
    CdnBoard(String bootstrap, String scoresTopic, java.io.Writer eventLog) {
        this.eventLog = eventLog;
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "frameq-demo-cdn-board",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(scoresTopic));
        thread = new Thread(this::loop, "demo-cdn-board");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running.get()) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                onEvent(r.value());
            }
        }
        consumer.close();
    }

    private void onEvent(byte[] json) {
        JsonNode e;
        try {
            e = EventJson.mapper().readTree(json);
        } catch (java.io.IOException ex) {
            return;
        }
        if (!FrScoreEvent.TYPE.equals(e.path("type").asText()) || !seen.add(e.path("event_id").asText())) {
            return;
        }
        if (eventLog != null) {
            try {
                eventLog.write(new String(json, java.nio.charset.StandardCharsets.UTF_8));
                eventLog.write('\n');
                eventLog.flush();
            } catch (java.io.IOException ex) {
                throw new java.io.UncheckedIOException("demo: cannot write the event log", ex);
            }
        }
        JsonNode fr = e.path("fr");
        if (!fr.path("matched").asBoolean()) {
            unmatched.merge(fr.path("side").asText(), 1L, Long::sum);
            unmatchedByReason.merge(fr.path("side").asText() + "/" + fr.path("reason").asText(), 1L, Long::sum);
            unmatchedByStream.merge(e.path("stream").asText(), 1L, Long::sum);
            return;
        }
        Rendition r = renditions.computeIfAbsent(e.path("stream").asText(), k -> new Rendition());
        synchronized (r) {
            r.pairs++;
            r.seqSum += e.path("seq").asLong();
            r.quality += e.path("quality").asDouble();
            r.score += e.path("score").asDouble();
            r.trained = e.path("model").path("trained").asBoolean();
            r.scoreMs += e.path("latency_ms").path("score").asDouble();
            r.classicMs += e.path("latency_ms").path("classic").asDouble();
            JsonNode c = e.path("classic");
            r.msSsim += c.path("ms_ssim").asDouble();
            r.ssim += c.path("ssim").asDouble();
            if (c.path("psnr").isNumber()) {
                r.psnr += c.path("psnr").asDouble();
                r.psnrCount++;
            }
        }
    }

    Rendition rendition(String id) {
        return renditions.computeIfAbsent(id, k -> new Rendition());
    }

    long unmatched(String side) {
        return unmatched.getOrDefault(side, 0L);
    }

    /** Unmatched events by {@code side/reason}. */
    Map<String, Long> unmatchedByReason() {
        return new java.util.TreeMap<>(unmatchedByReason);
    }

    long unmatchedOf(String stream) {
        return unmatchedByStream.getOrDefault(stream, 0L);
    }

    @Override
    public void close() {
        running.set(false);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
