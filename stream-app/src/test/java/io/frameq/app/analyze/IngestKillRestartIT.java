package io.frameq.app.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.frameq.app.broker.EmbeddedKafka;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameHeaders;
import io.frameq.testing.Await;
import io.frameq.testing.Fixtures;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code frameq ingest} of live HTTP MJPEG cameras into the in-JVM broker, as a separate JVM that is SIGKILLed
 * mid-stream and started again (issue 20). Each camera ({@link LiveMjpegCamera}) stamps its frame number on
 * every frame, so the test reads from each published frame which camera frame it is.
 *
 * <p>What "no frame lost, none reordered" means for a live source across a kill, precisely:
 * <ul>
 *   <li><b>Order and duplicates, over the whole topic:</b> per stream, the camera frame numbers and the capture
 *       timestamps ({@code frameq-ts}, the wall clock on arrival) strictly increase from the first record to the
 *       last, across the kill: nothing is published twice and nothing out of order.</li>
 *   <li><b>Loss, within one ingest run:</b> every frame the camera sent over the run's connection is in the topic,
 *       in order — consecutive camera frame numbers and consecutive {@code frameq-seq} (from 0, per run), no hole.
 *       The one exception is the tail of a killed run: frames it had read but the broker had not yet acknowledged
 *       lived only in the killed process and are gone with it.</li>
 *   <li><b>Not loss:</b> frames the camera produced while no ingest was connected (between the kill and the
 *       restart's reconnect). A live source cannot replay them; the topic shows the gap as a jump in the camera
 *       frame number and in capture time, never as a reordering.</li>
 *   <li>{@code frameq-seq} and {@code frameq-pts} count from 0 again in each ingest run of a live source (they
 *       number the frames of that run's reading); the capture timestamp is what orders a stream's frames across runs.</li>
 * </ul>
 * A graceful stop (SIGTERM) of the second run publishes every frame it read: its closing summary's
 * {@code frames_sent} equals the run's records in the topic.
 */
class IngestKillRestartIT {

    private static final String TOPIC = "frameq.frames.live";
    private static final double FPS = 15;
    private static final int PER_RUN = 30;
    private static final Path LOGS = Path.of("target", "ingest-kill-it");

    @TempDir
    Path dir;

    private record Published(String stream, long seq, long captureTs, long cameraFrame) {}

    @Test
    void aKilledAndRestartedIngestLosesAndReordersNoFrameOfAStream() throws Exception {
        Path jar = Path.of("target", "frameq.jar");
        assertThat(jar).as("run `mvn verify` (the IT needs the packaged frameq.jar)").exists();
        Files.createDirectories(LOGS);
        List<String> streams = List.of("gate", "yard");

        try (LiveMjpegCamera cameras = new LiveMjpegCamera(FPS);
             EmbeddedKafka kafka = EmbeddedKafka.start();
             FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            kafka.createTopics(3, TOPIC);
            List<String> args = new ArrayList<>();
            for (String s : streams) {
                args.add(s + "=" + cameras.url(s));
            }
            args.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--topic", TOPIC));

            Process first = start(jar, args, "run-1");
            try {
                Await.until("run 1: " + PER_RUN + " frames of each camera in the topic (log " + LOGS + ")", Duration.ofSeconds(120),
                        Duration.ofMillis(200), () -> minPerStream(kafka, streams) >= PER_RUN,
                        () -> "per stream: " + countPerStream(kafka) + ", alive " + first.isAlive());
            } finally {
                first.destroyForcibly(); // SIGKILL mid-stream: no shutdown hook, no flush
                first.waitFor(30, TimeUnit.SECONDS);
            }
            long afterKill = records(kafka).size();
            Thread.sleep(1_000); // the camera goes on while no ingest runs: those frames are not expected anywhere

            Process second = start(jar, args, "run-2");
            Path secondOut = LOGS.resolve("run-2.out");
            try {
                Await.until("run 2: " + PER_RUN + " more frames of each camera", Duration.ofSeconds(120), Duration.ofMillis(200),
                        () -> records(kafka).size() >= afterKill + 2L * PER_RUN + 2 && minPerStream(kafka, streams) >= 2 * PER_RUN,
                        () -> "per stream: " + countPerStream(kafka) + ", alive " + second.isAlive());
            } finally {
                second.destroy(); // SIGTERM: the graceful stop
                if (!second.waitFor(60, TimeUnit.SECONDS)) {
                    second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            }

            List<ConsumerRecord<String, byte[]>> all = records(kafka);
            Map<String, List<Published>> byStream = new LinkedHashMap<>();
            for (ConsumerRecord<String, byte[]> r : all) {
                long frame = LiveMjpegCamera.frameNumber(decoders.decode(r.value(), FrameDecoders.metadataFrom(r.headers())).get(0).image());
                byStream.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(new Published(r.key(),
                        Long.parseLong(Fixtures.header(r.headers(), FrameHeaders.SEQ)),
                        Long.parseLong(Fixtures.header(r.headers(), FrameHeaders.TIMESTAMP)), frame));
            }
            assertThat(byStream.keySet()).containsExactlyInAnyOrderElementsOf(streams);
            Map<String, Long> secondRunRecords = new LinkedHashMap<>();
            for (String s : streams) {
                List<Published> p = byStream.get(s);
                for (int i = 1; i < p.size(); i++) {
                    assertThat(p.get(i).cameraFrame()).as("%s record %d: camera frame after %s (no duplicate, no reordering)", s, i,
                            p.get(i - 1)).isGreaterThan(p.get(i - 1).cameraFrame());
                    assertThat(p.get(i).captureTs()).as("%s record %d: capture time after %s", s, i, p.get(i - 1))
                            .isGreaterThan(p.get(i - 1).captureTs());
                }
                List<List<Published>> runs = runs(p);
                assertThat(runs).as("%s: ingest runs in the topic (seq starts at 0 in each)", s).hasSize(2);
                for (List<Published> run : runs) {
                    for (int i = 1; i < run.size(); i++) {
                        assertThat(run.get(i).seq()).as("%s: seq within a run, after %s", s, run.get(i - 1)).isEqualTo(run.get(i - 1).seq() + 1);
                        assertThat(run.get(i).cameraFrame()).as("%s: within a run every camera frame is published, after %s", s,
                                run.get(i - 1)).isEqualTo(run.get(i - 1).cameraFrame() + 1);
                    }
                }
                // the restart reconnected later: frames the camera made in between are skipped, never repeated
                assertThat(runs.get(1).get(0).cameraFrame()).as("%s: first camera frame of run 2", s)
                        .isGreaterThan(runs.get(0).get(runs.get(0).size() - 1).cameraFrame());
                secondRunRecords.put(s, (long) runs.get(1).size());
                System.out.printf("ingest %s: run 1 published %d frames (camera frames %d..%d), run 2 %d (%d..%d); "
                        + "%d camera frames made while no ingest was connected%n", s, runs.get(0).size(), runs.get(0).get(0).cameraFrame(),
                        runs.get(0).get(runs.get(0).size() - 1).cameraFrame(), runs.get(1).size(), runs.get(1).get(0).cameraFrame(),
                        runs.get(1).get(runs.get(1).size() - 1).cameraFrame(),
                        runs.get(1).get(0).cameraFrame() - runs.get(0).get(runs.get(0).size() - 1).cameraFrame() - 1);
            }

            // the graceful stop published everything it read: its summary agrees with the topic
            Map<String, Long> summarySent = new LinkedHashMap<>();
            for (String line : Files.readAllLines(secondOut)) {
                if (line.startsWith("{")) {
                    var json = AnalyzeCommandTest.readJson(line);
                    summarySent.put(json.get("stream").asText(), json.get("frames_sent").asLong());
                }
            }
            assertThat(summarySent).as("run 2's summary (frames_sent per stream) after SIGTERM, against its records in the topic")
                    .isEqualTo(secondRunRecords);
        }
    }

    /** A stream's records split where seq starts again at 0 (a new ingest run). */
    private static List<List<Published>> runs(List<Published> records) {
        List<List<Published>> runs = new ArrayList<>();
        for (Published p : records) {
            if (p.seq() == 0 || runs.isEmpty()) {
                runs.add(new ArrayList<>());
            }
            runs.get(runs.size() - 1).add(p);
        }
        return runs;
    }

    private Process start(Path jar, List<String> args, String name) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString(), "ingest"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectOutput(LOGS.resolve(name + ".out").toFile())
                .redirectError(LOGS.resolve(name + ".log").toFile()).start();
    }

    private static int minPerStream(EmbeddedKafka kafka, List<String> streams) {
        Map<String, Integer> n = countPerStream(kafka);
        return streams.stream().mapToInt(s -> n.getOrDefault(s, 0)).min().orElse(0);
    }

    private static Map<String, Integer> countPerStream(EmbeddedKafka kafka) {
        Map<String, Integer> n = new LinkedHashMap<>();
        records(kafka).forEach(r -> n.merge(r.key(), 1, Integer::sum));
        return n;
    }

    /** Every record of the topic, in partition order (a stream's records are in one partition). */
    private static List<ConsumerRecord<String, byte[]>> records(EmbeddedKafka kafka) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                kafka.bootstrapServers(), ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(TOPIC).stream().map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                assertThat(System.nanoTime()).as("read the topic up to its end offsets within 30 s").isLessThan(deadline);
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
