package io.frameq.app.analyze;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.frameq.source.SourceStats;

/**
 * What one stream's analysis found, gathered from its score events, alert events and dead letters
 * as they come out of the topology. Written by the stream's own thread; read after it finished.
 */
final class StreamReport {

    final String streamId;
    final String location;
    final Timeline timeline = new Timeline();
    final WorstFrames worst;
    final List<JsonNode> alerts = new ArrayList<>();
    final Map<String, Integer> degradationCounts = new LinkedHashMap<>();
    final Map<String, Integer> deadLetterReasons = new LinkedHashMap<>();
    boolean live;
    SourceStats stats = new SourceStats(0, 0, 0, -1, 0);
    long events;
    long degradedFrames;
    long streamDegradedFrames;
    long deadLetters;
    long alertsOpened;
    double qualitySum;
    long qualityCount;
    double qualityMin = Double.NaN;
    long firstCaptureTs = -1;
    long lastCaptureTs = -1;
    long elapsedNanos;
    /** Why the source could not be read, or null. */
    String error;

    StreamReport(String streamId, String location, WorstFrames worst) {
        this.streamId = streamId;
        this.location = location;
        this.worst = worst;
    }

    /** Adds one score event (the JSON of the scores topic). */
    void addEvent(JsonNode e) {
        events++;
        long capture = e.path("capture_ts").asLong(-1);
        if (firstCaptureTs < 0 || capture < firstCaptureTs) {
            firstCaptureTs = capture;
        }
        lastCaptureTs = Math.max(lastCaptureTs, capture);
        boolean degraded = "degraded".equals(e.path("verdict").asText());
        boolean streamDegraded = "degraded".equals(e.path("stream_verdict").asText());
        if (degraded) {
            degradedFrames++;
        }
        if (streamDegraded) {
            streamDegradedFrames++;
        }
        for (JsonNode d : e.path("degradations")) {
            degradationCounts.merge(d.asText(), 1, Integer::sum);
        }
        double q = quality(e);
        if (!Double.isNaN(q)) {
            qualitySum += q;
            qualityCount++;
            qualityMin = Double.isNaN(qualityMin) ? q : Math.min(qualityMin, q);
        }
        Map<String, Double> readings = new LinkedHashMap<>();
        e.path("detectors").properties().forEach(f -> readings.put(f.getKey(), f.getValue().isNumber() ? f.getValue().asDouble() : null));
        timeline.add(capture, q, degraded, streamDegraded, readings);
    }

    static double quality(JsonNode e) {
        JsonNode q = e.path("quality");
        return q.isNumber() ? q.asDouble() : Double.NaN;
    }

    void addAlert(JsonNode a) {
        alerts.add(a);
        if ("open".equals(a.path("state").asText())) {
            alertsOpened++;
        }
    }

    void addDeadLetter(String reason) {
        deadLetters++;
        deadLetterReasons.merge(reason == null ? "unknown" : reason, 1, Integer::sum);
    }

    Double meanQuality() {
        return qualityCount == 0 ? null : qualitySum / qualityCount;
    }

    Double minQuality() {
        return qualityCount == 0 ? null : qualityMin;
    }

    double degradedShare() {
        return events == 0 ? 0 : (double) degradedFrames / events;
    }

    /** The most frequent degradation types, most frequent first. */
    List<String> topDegradations(int n) {
        return degradationCounts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
                .limit(n).map(Map.Entry::getKey).collect(Collectors.toList());
    }

    /** Sampled frames analysed per second of wall time. */
    double framesPerSecond() {
        return elapsedNanos <= 0 ? 0 : events * 1e9 / elapsedNanos;
    }
}
