package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.app.broker.EmbeddedKafka;
import io.frameq.app.config.FrameqConfig;
import io.frameq.app.runtime.FrameqRuntime;
import io.frameq.frame.FrameDecoders;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.quality.NrScorer;
import io.frameq.testing.Await;
import io.frameq.testing.Fixtures;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out on Kafka Streams (issue 23, item 4): three {@code frameq.jar run} instances, separate JVMs, share a
 * 12-partition frames topic on the in-JVM broker with one standby replica per task. Many cameras send frames;
 * one instance is SIGKILLed while frames are still arriving and a fourth joins later. Then:
 * <ul>
 *   <li>no frame is lost: every input frame has exactly one committed score event or DLQ record
 *       ({@code exactly_once_v2}, read_committed — the accounting {@code CrashRecoveryIT} uses);</li>
 *   <li>per-stream order holds: each stream's score events carry strictly increasing seq and capture times;</li>
 *   <li>per-stream state follows its partition: every event equals, field by field in everything that depends on
 *       per-stream state (the previous frame's thumbnail behind {@code frozen_diff}, the baseline's flags, the
 *       verdict hysteresis), the event of an uninterrupted single-instance run of the same frames (TopologyTestDriver,
 *       same topology and model). A task that restarted on another instance with empty or stale state would
 *       publish a different {@code frozen_diff} or {@code stream_verdict} for the first frames it took over;</li>
 *   <li>the joining instance takes work (its own {@code frameq_frames_total} is above zero).</li>
 * </ul>
 * The recovery time (SIGKILL to the first event of each stream on its new owner) is measured and written to
 * {@code target/scale-out-it/report.txt}, not asserted.
 */
class ScaleOutIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARTITIONS = 12;
    private static final int STREAMS = 24;
    private static final int FRAMES_PER_STREAM = 36;
    /** Frames of seq below this are sent before the fourth instance joins; the rest only after it is ready. */
    private static final int SEQ_BEFORE_JOIN = 26;
    /** The SIGKILL comes once this many frames were sent, while the feeder goes on sending. */
    private static final int SENT_AT_KILL = 260;
    private static final String FRAMES = "frameq.frames.fleet";
    private static final String SCORES = "frameq.scores.fleet";
    private static final String DLQ = "frameq.dlq.fleet";
    private static final String ALERTS = "frameq.alerts.fleet";
    private static final Path LOGS = Path.of("target", "scale-out-it");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** One frame of the fleet: what was sent, to check every one is accounted for. */
    private record Sent(String stream, int seq, long captureTs, String type, byte[] payload, int width, int height, boolean broken) {
        Headers headers() {
            Headers h = Fixtures.headers(type, seq, captureTs);
            if (width > 0) {
                h.add("frameq-width", Integer.toString(width).getBytes(StandardCharsets.US_ASCII));
                h.add("frameq-height", Integer.toString(height).getBytes(StandardCharsets.US_ASCII));
            }
            return h;
        }
    }

    private record Instance(String name, Process process, int metricsPort) {}

    @Test
    void threeInstancesOneKilledOneAddedLoseNoFrameKeepOrderAndCarryStreamState() throws Exception {
        Path jar = Path.of("target", "frameq.jar");
        assertThat(jar).as("run `mvn verify` (the IT needs the packaged frameq.jar)").exists();
        Files.createDirectories(LOGS);
        List<Sent> fleet = fleet(System.currentTimeMillis() - 3_600_000L);

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(PARTITIONS, FRAMES);
            kafka.createTopics(6, SCORES, DLQ, ALERTS);
            Map<String, String> common = new LinkedHashMap<>();
            common.put(FrameqConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
            common.put(FrameqConfig.APPLICATION_ID, "frameq-scale-out");
            common.put(FrameqConfig.INPUT_TOPICS, FRAMES);
            common.put(FrameqConfig.SCORES_TOPIC, SCORES);
            common.put(FrameqConfig.DLQ_TOPIC, DLQ);
            common.put(FrameqConfig.ALERTS_TOPIC, ALERTS);
            // the tiny test model: the IT is about the frames' fate, not their scores
            common.put(FrameqConfig.MODEL_NR, "tiny-nr");
            common.put(FrameqConfig.MODEL_REPOSITORY, Path.of("..", "operators", "src", "test", "resources", "onnx").toAbsolutePath()
                    .normalize().toString());
            common.put(FrameqConfig.PROCESSING_GUARANTEE, "exactly_once_v2");
            common.put(FrameqConfig.COMMIT_INTERVAL_MS, "200");
            common.put(FrameqConfig.ONNX_INTRA_OP_THREADS, "1");
            common.put("kafka.num.standby.replicas", "1");
            common.put("kafka.session.timeout.ms", "6000");
            common.put("kafka.heartbeat.interval.ms", "1000");

            List<Instance> instances = new ArrayList<>();
            AtomicInteger sent = new AtomicInteger();
            CountDownLatch joined = new CountDownLatch(1);
            AtomicReference<Throwable> feederError = new AtomicReference<>();
            Thread feeder = null;
            long killedAtMs;
            try {
                for (String name : List.of("a", "b", "c")) {
                    instances.add(start(jar, name, common));
                }
                for (Instance i : instances) {
                    awaitReady(i, Duration.ofSeconds(150));
                }

                feeder = new Thread(() -> {
                    try {
                        feed(kafka.bootstrapServers(), fleet, sent, joined);
                    } catch (Throwable t) {
                        feederError.set(t);
                    }
                }, "scale-out-feeder");
                feeder.start();

                Instance b = instances.get(1);
                Thread f = feeder;
                Await.until(SENT_AT_KILL + " frames sent and instance b scoring (logs: " + LOGS + ")", Duration.ofSeconds(120),
                        Duration.ofMillis(100), () -> sent.get() >= SENT_AT_KILL && framesCounted(b) > 0,
                        () -> "sent " + sent.get() + ", b counted " + framesCounted(b) + ", feeder alive " + f.isAlive()
                                + ", error " + feederError.get());
                assertThat(feeder.isAlive()).as("the feeder is still sending when b is killed (mid-stream)").isTrue();
                double bCounted = framesCounted(b);
                killedAtMs = System.currentTimeMillis();
                b.process().destroyForcibly(); // SIGKILL: no shutdown hook, no final commit
                assertThat(b.process().waitFor(30, TimeUnit.SECONDS)).as("b died").isTrue();

                Instance d = start(jar, "d", common);
                instances.add(d);
                awaitReady(d, Duration.ofSeconds(150));
                joined.countDown();
                feeder.join(TimeUnit.MINUTES.toMillis(3));
                assertThat(feeder.isAlive()).as("feeder finished").isFalse();
                assertThat(feederError.get()).as("feeder error").isNull();

                Outputs out = readOutputs(kafka.bootstrapServers(), fleet.size(), Duration.ofSeconds(240));

                // no loss, no duplicate: exactly one committed score event or DLQ record per input frame
                Map<String, Integer> expected = new TreeMap<>();
                fleet.forEach(s -> expected.put(key(s.stream(), s.seq()), 1));
                Map<String, Integer> accounted = new TreeMap<>();
                out.events.forEach((k, list) -> accounted.put(k, list.size()));
                out.dead.forEach((k, n) -> accounted.merge(k, n, Integer::sum));
                assertThat(accounted).as("committed score events + DLQ records per input frame (stream/seq)").isEqualTo(expected);
                long corrupt = fleet.stream().filter(Sent::broken).count();
                assertThat(out.dead.values().stream().mapToInt(Integer::intValue).sum()).as("DLQ records (the corrupt frames)")
                        .isEqualTo((int) corrupt);

                // per-stream order on the scores topic
                out.byStream.forEach((stream, events) -> {
                    for (int i = 1; i < events.size(); i++) {
                        assertThat(events.get(i).get("seq").asLong()).as("%s: seq of its event %d after %d", stream, i, i - 1)
                                .isGreaterThan(events.get(i - 1).get("seq").asLong());
                        assertThat(events.get(i).get("capture_ts").asLong()).as("%s: capture_ts of event %d", stream, i)
                                .isGreaterThan(events.get(i - 1).get("capture_ts").asLong());
                    }
                });

                // per-stream state followed the partitions: the same events as one uninterrupted instance
                Map<String, JsonNode> reference = reference(fleet, common);
                assertThat(reference.keySet()).as("events of the uninterrupted reference run").isEqualTo(out.events.keySet());
                int compared = 0;
                List<String> mismatches = new ArrayList<>();
                for (Map.Entry<String, JsonNode> e : reference.entrySet()) {
                    JsonNode got = out.events.get(e.getKey()).get(0);
                    JsonNode want = e.getValue();
                    for (String field : List.of("verdict", "stream_verdict", "degradations", "route", "degradation_type", "faults")) {
                        if (!want.get(field).equals(got.get(field))) {
                            mismatches.add(e.getKey() + " " + field + ": " + got.get(field) + ", uninterrupted run: " + want.get(field)
                                    + " (degradations " + got.get("degradations") + " / " + want.get("degradations") + ", event "
                                    + got.get("event_id").asText() + ")");
                        }
                    }
                    if (!want.get("detectors").get("frozen_diff").equals(got.get("detectors").get("frozen_diff"))) {
                        mismatches.add(e.getKey() + " frozen_diff (previous thumbnail from the state store): "
                                + got.get("detectors").get("frozen_diff") + ", uninterrupted run: " + want.get("detectors").get("frozen_diff"));
                    }
                    compared++;
                }
                Files.write(LOGS.resolve("mismatches.txt"), mismatches);
                assertThat(mismatches).as("events that differ from the uninterrupted run in per-stream state (all in %s)",
                        LOGS.resolve("mismatches.txt")).isEmpty();
                long frozenDiffs = reference.values().stream().filter(n -> n.get("detectors").get("frozen_diff").isNumber()).count();
                // the comparison means something only if most events read a previous thumbnail from the store
                assertThat(frozenDiffs).as("events with a frozen_diff (it needs the stream's previous thumbnail)")
                        .isGreaterThan((fleet.size() - corrupt) / 2);

                double dCounted = framesCounted(d);
                assertThat(dCounted).as("frames the joining instance d processed").isPositive();

                String report = report(out, killedAtMs, bCounted, instances, compared);
                Files.writeString(LOGS.resolve("report.txt"), report);
                System.out.println(report);
            } finally {
                joined.countDown();
                for (Instance i : instances) {
                    i.process().destroyForcibly();
                    i.process().waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    /**
     * The fleet's frames, in sending order (round robin over the streams): photos alternating (so each frame's
     * {@code frozen_diff} depends on exactly the previous frame), black raw frames on some streams (degraded frames
     * that drive the verdict hysteresis) and corrupt JPEGs on others (DLQ).
     */
    private static List<Sent> fleet(long t0) {
        byte[] jpeg = Fixtures.chelseaJpeg();
        byte[] png = Fixtures.coffeePng();
        byte[] corrupt = Fixtures.corruptJpeg();
        byte[] black = new byte[64 * 48 * 3];
        List<Sent> out = new ArrayList<>();
        for (int seq = 0; seq < FRAMES_PER_STREAM; seq++) {
            for (int i = 0; i < STREAMS; i++) {
                String stream = String.format("cam-%02d", i);
                long ts = t0 + seq * 500L + i;
                if (i % 3 == 0 && seq % 13 == 7) {
                    out.add(new Sent(stream, seq, ts, "image/jpeg", corrupt, 0, 0, true));
                } else if (i % 4 == 1 && seq % 9 == 4) {
                    out.add(new Sent(stream, seq, ts, "video/x-raw;format=rgb24", black, 64, 48, false));
                } else if (seq % 2 == 0) {
                    out.add(new Sent(stream, seq, ts, "image/jpeg", jpeg, 0, 0, false));
                } else {
                    out.add(new Sent(stream, seq, ts, "image/png", png, 0, 0, false));
                }
            }
        }
        return out;
    }

    private static String key(String stream, long seq) {
        return stream + "/" + seq;
    }

    /** Sends the frames paced (a camera fleet, not a backlog); frames of later seqs wait for the fourth instance. */
    private static void feed(String bootstrap, List<Sent> fleet, AtomicInteger sent, CountDownLatch joined) throws Exception {
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new ByteArraySerializer())) {
            for (Sent s : fleet) {
                if (s.seq() == SEQ_BEFORE_JOIN && joined.getCount() > 0) {
                    p.flush();
                    if (!joined.await(5, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("the fourth instance never joined");
                    }
                }
                p.send(new ProducerRecord<>(FRAMES, null, s.stream(), s.payload(), s.headers())).get();
                sent.incrementAndGet();
                Thread.sleep(12); // pacing is the stimulus: the kill must land while frames still arrive
            }
        }
    }

    private Instance start(Path jar, String name, Map<String, String> common) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Properties p = new Properties();
        p.putAll(common);
        p.put(FrameqConfig.METRICS_PORT, Integer.toString(port));
        // each instance has its own state directory, as separate hosts would
        p.put(FrameqConfig.STATE_DIR, dir.resolve("state-" + name).toString());
        Path config = dir.resolve(name + ".properties");
        try (var w = Files.newBufferedWriter(config)) {
            p.store(w, "ScaleOutIT instance " + name);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx384m", "-jar", jar.toString(), "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(LOGS.resolve("instance-" + name + ".log").toFile()).start();
        return new Instance(name, process, port);
    }

    private void awaitReady(Instance i, Duration timeout) {
        Await.until("instance " + i.name() + " ready (/readyz 200; log " + LOGS.resolve("instance-" + i.name() + ".log") + ")",
                timeout, Duration.ofMillis(500), () -> i.process().isAlive() && status(i, "/readyz") == 200,
                () -> "alive " + i.process().isAlive() + ", /readyz " + status(i, "/readyz"));
    }

    private int status(Instance i, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + i.metricsPort() + path))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static final Pattern FRAMES_TOTAL = Pattern.compile("(?m)^frameq_frames_total\\{[^}]*} ([0-9.eE+-]+)$");

    /** The instance's own count of frames it processed ({@code frameq_frames_total}, all streams and outcomes). */
    private double framesCounted(Instance i) {
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + i.metricsPort() + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            double sum = 0;
            Matcher m = FRAMES_TOTAL.matcher(body);
            while (m.find()) {
                sum += Double.parseDouble(m.group(1));
            }
            return sum;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Committed outputs: score events by stream/seq, each stream's events in topic order, DLQ records by stream/seq. */
    private static final class Outputs {
        final Map<String, List<JsonNode>> events = new TreeMap<>();
        final Map<String, List<JsonNode>> byStream = new TreeMap<>();
        final Map<String, Integer> dead = new TreeMap<>();

        int accounted() {
            return events.size() + dead.size();
        }
    }

    private static Outputs readOutputs(String bootstrap, int frames, Duration timeout) throws Exception {
        Outputs out = new Outputs();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "scale-out-reader-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(), new ByteArrayDeserializer())) {
            c.subscribe(List.of(SCORES, DLQ));
            long deadline = System.nanoTime() + timeout.toNanos();
            long quietSince = System.nanoTime();
            while (true) {
                var records = c.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> r : records) {
                    if (r.topic().equals(DLQ)) {
                        out.dead.merge(key(r.key(), Long.parseLong(Fixtures.header(r.headers(), "frameq-seq"))), 1, Integer::sum);
                    } else {
                        JsonNode e = JSON.readTree(r.value());
                        out.events.computeIfAbsent(key(e.get("stream").asText(), e.get("seq").asLong()), k -> new ArrayList<>()).add(e);
                        out.byStream.computeIfAbsent(e.get("stream").asText(), k -> new ArrayList<>()).add(e);
                    }
                }
                if (!records.isEmpty()) {
                    quietSince = System.nanoTime();
                }
                // every frame accounted for and 3 s without more: a duplicate would have been committed by now
                if (out.accounted() >= frames && System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(3)) {
                    return out;
                }
                assertThat(System.nanoTime()).as("%d of %d frames accounted for before the deadline (logs: %s)",
                        out.accounted(), frames, LOGS).isLessThan(deadline);
            }
        }
    }

    /** The same frames through the same topology on one TopologyTestDriver: what an uninterrupted instance publishes. */
    private static Map<String, JsonNode> reference(List<Sent> fleet, Map<String, String> common) throws Exception {
        Map<String, String> props = new HashMap<>(common);
        props.put(FrameqConfig.METRICS_PORT, "-1");
        FrameqConfig config = FrameqConfig.of(props);
        Map<String, JsonNode> events = new TreeMap<>();
        Path state = Files.createTempDirectory("scale-out-reference");
        try (OrtRuntime ort = OrtRuntime.create(ExecutionConfig.parse("cpu").withThreads(1, 1));
             NrScorer scorer = NrScorer.open(FrameqRuntime.nrDescriptor(ModelRepository.of(List.of(Path.of(
                     config.getList(FrameqConfig.MODEL_REPOSITORY).get(0))), true), "tiny-nr", "model"), ort);
             FrameDecoders decoders = new FrameDecoders(FrameqRuntime.decodeLimits(config))) {
            Properties p = new Properties();
            p.put(StreamsConfig.APPLICATION_ID_CONFIG, "frameq-scale-out-reference");
            p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "in-process:0");
            p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
            try (TopologyTestDriver driver = new TopologyTestDriver(FrameqRuntime.noReferenceTopology(config, decoders, scorer,
                    FrameqMetrics.none()).inputTopics(List.of(FRAMES)).build(), p, Instant.now())) {
                TestInputTopic<String, byte[]> in = driver.createInputTopic(FRAMES, new StringSerializer(), new ByteArraySerializer());
                TestOutputTopic<String, byte[]> scores = driver.createOutputTopic(SCORES, new StringDeserializer(),
                        new ByteArrayDeserializer());
                for (Sent s : fleet) {
                    in.pipeInput(new TestRecord<>(s.stream(), s.payload(), s.headers(), s.captureTs()));
                }
                for (Iterator<TestRecord<String, byte[]>> it = scores.readRecordsToList().iterator(); it.hasNext();) {
                    JsonNode e = JSON.readTree(it.next().value());
                    assertThat(events.put(key(e.get("stream").asText(), e.get("seq").asLong()), e)).as("one reference event per frame")
                            .isNull();
                }
            }
        }
        return events;
    }

    /** Recovery: for each stream, SIGKILL to its first event after the kill (events of the killed instance's partitions wait). */
    private String report(Outputs out, long killedAtMs, double bCounted, List<Instance> instances, int compared) {
        List<Long> firstAfter = new ArrayList<>();
        out.byStream.forEach((stream, events) -> events.stream().mapToLong(e -> e.get("scored_ts").asLong())
                .filter(t -> t > killedAtMs).min().ifPresent(t -> firstAfter.add(t - killedAtMs)));
        firstAfter.sort(Long::compare);
        StringBuilder sb = new StringBuilder();
        sb.append("ScaleOutIT: ").append(STREAMS).append(" streams x ").append(FRAMES_PER_STREAM).append(" frames, ")
                .append(PARTITIONS).append(" partitions, exactly_once_v2, 1 standby replica, tiny-nr, ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores\n");
        sb.append("score events ").append(out.events.size()).append(", DLQ records ")
                .append(out.dead.values().stream().mapToInt(Integer::intValue).sum())
                .append(", events compared with the uninterrupted run ").append(compared).append('\n');
        sb.append("instance b had processed ").append((long) bCounted).append(" frames when it was SIGKILLed\n");
        for (Instance i : instances) {
            if (i.process().isAlive()) {
                sb.append("instance ").append(i.name()).append(" frameq_frames_total ").append((long) framesCounted(i)).append('\n');
            }
        }
        if (!firstAfter.isEmpty()) {
            sb.append("recovery (SIGKILL to each stream's first event after it): median ")
                    .append(firstAfter.get(firstAfter.size() / 2)).append(" ms, max ").append(firstAfter.get(firstAfter.size() - 1))
                    .append(" ms over ").append(firstAfter.size()).append(" streams\n");
        }
        return sb.toString();
    }
}
