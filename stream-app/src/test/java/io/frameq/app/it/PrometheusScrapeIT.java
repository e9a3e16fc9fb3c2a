package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.frameq.app.FrameqCli;
import io.frameq.app.broker.EmbeddedKafka;
import io.frameq.app.config.FrameqConfig;
import io.frameq.app.runtime.FrameqRuntime;
import io.frameq.testing.Fixtures;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FrameQ as Prometheus and Grafana see it: a real Prometheus server ({@code /usr/bin/prometheus},
 * Debian package {@code prometheus}; these tests are skipped only when it is absent) scrapes a
 * running FrameQ every 2 s with FrameQ's own alert and recording rules loaded, and every query of
 * every Grafana dashboard must return data. Also: histograms of two instances aggregate in one
 * PromQL query, and /readyz (not /healthz) fails when the brokers are gone.
 */
class PrometheusScrapeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)(?::[a-z]+)?\\}|\\$([A-Za-z_][A-Za-z0-9_]*)|\\[\\[([A-Za-z0-9_]+)\\]\\]");
    private static final Pattern LABEL_VALUES = Pattern.compile("\\s*label_values\\((.*),\\s*[A-Za-z_][A-Za-z0-9_]*\\s*\\)\\s*", Pattern.DOTALL);
    /** A query that filters by a threshold, e.g. "(time() - max by (stream) (…)) > 60". */
    private static final Pattern THRESHOLD = Pattern.compile("(?s)\\s*(.*\\S)\\s*(?:>|<|>=|<=)\\s*[0-9.]+\\s*");

    @TempDir
    Path tmp;

    private static Path prometheusBinary() {
        var bin = PrometheusServer.binary();
        Assumptions.assumeTrue(bin.isPresent(),
                "SKIPPED: no Prometheus server binary (/usr/bin/prometheus, $PROMETHEUS_BIN or PATH). "
                        + "Install Debian's 'prometheus' package (CI does) to run this test.");
        return bin.get();
    }

    // ------------------------------------------------------------------ dashboards

    @Test
    void everyGrafanaPanelQueryReturnsDataFromARealScrapeOfTheDemo() throws Exception {
        Path bin = prometheusBinary();
        int metricsPort = PrometheusServer.freePort();
        AtomicInteger demoExit = new AtomicInteger(Integer.MIN_VALUE);
        Thread demo = new Thread(() -> demoExit.set(FrameqCli.execute("demo", "--duration", "60s", "--metrics-port",
                String.valueOf(metricsPort))), "demo-under-test");
        demo.setDaemon(true);
        demo.start();
        try (PrometheusServer prom = new PrometheusServer(bin, List.of("127.0.0.1:" + metricsPort))) {
            JsonNode groups = prom.query("count(up)", null); // API answers
            assertThat(groups).isNotNull();
            JsonNode rules = JSON.readTree(prom.get("/api/v1/rules").body()).path("data").path("groups");
            assertThat(rules.size()).as("rule groups loaded from deploy/prometheus/rules/frameq-alerts.yml").isGreaterThan(0);

            prom.awaitData("frameq_frames_total{job=\"frameq\"}", Duration.ofSeconds(120));
            prom.awaitData("frameq_degradations_total{job=\"frameq\"}", Duration.ofSeconds(60));
            prom.awaitData("frameq_dlq_total{job=\"frameq\"}", Duration.ofSeconds(60));
            Thread.sleep(25_000); // rate() over 30 s windows needs samples across the window
            assertThat(demo.isAlive()).as("demo still running while the queries are evaluated").isTrue();

            String stream = pickStream(prom);
            double at = System.currentTimeMillis() / 1000.0;
            Map<String, String> vars = Map.of("job", "frameq", "stream", stream,
                    "__rate_interval", "30s", "__interval", "30s", "__range", "5m");

            List<String> failures = new ArrayList<>();
            Map<String, Integer> checked = new TreeMap<>();
            for (Path file : dashboards()) {
                int n = 0;
                for (Map.Entry<String, String> q : dashboardQueries(file).entrySet()) {
                    String promql = substitute(q.getValue(), vars);
                    String where = file.getFileName() + ": " + q.getKey();
                    n++;
                    try {
                        if (!prom.vector(promql, at).isEmpty()) {
                            continue;
                        }
                        // A threshold filter (e.g. "silent streams: age > 60") is empty while all is well:
                        // then the series it filters must exist.
                        Matcher m = THRESHOLD.matcher(promql);
                        if (m.matches() && !prom.vector(m.group(1), at).isEmpty()) {
                            System.out.println("empty by its threshold (healthy): " + where);
                            continue;
                        }
                        failures.add(where + "\n      " + promql.replace("\n", "\n      "));
                    } catch (IllegalStateException e) {
                        failures.add(where + ": " + e.getMessage());
                    }
                }
                checked.put(file.getFileName().toString(), n);
            }
            System.out.println("dashboard queries checked against Prometheus (stream=" + stream + "): " + checked);
            assertThat(checked.values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(50);
            assertThat(failures).as("dashboard queries without data (stream=%s):%n  %s", stream, String.join("\n  ", failures))
                    .isEmpty();

            // The consumer-lag alert reads a series that exists now.
            assertThat(prom.vector("kafka_streams_consumer_fetch_manager_records_lag_max{job=\"frameq\"}", at)).isNotEmpty();
        } finally {
            demo.join(TimeUnit.SECONDS.toMillis(120));
            System.out.println("demo exit code: " + demoExit.get());
        }
    }

    /** A stream with scores, degradations and detector readings, so every drill-down panel has data. */
    private static String pickStream(PrometheusServer prom) throws Exception {
        JsonNode v = prom.awaitData("""
                sort_desc(
                  sum by (stream) (frameq_degradations_total{job="frameq"})
                  and on (stream) sum by (stream) (frameq_quality_score_count{job="frameq"})
                  and on (stream) max by (stream) (frameq_detector_value{job="frameq"})
                  and on (stream) sum by (stream) (frameq_frames_total{job="frameq",outcome="ok"})
                )""", Duration.ofSeconds(60));
        return v.get(0).path("metric").path("stream").asText();
    }

    private static List<Path> dashboards() throws IOException {
        try (Stream<Path> files = Files.list(PrometheusServer.deployDir().resolve("grafana/dashboards"))) {
            List<Path> list = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
            assertThat(list).as("dashboards").isNotEmpty();
            return list;
        }
    }

    /** Every panel target's expr and every label_values() variable query, keyed by where it is. */
    static Map<String, String> dashboardQueries(Path file) throws IOException {
        JsonNode d = JSON.readTree(file.toFile());
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode v : d.path("templating").path("list")) {
            if (!"query".equals(v.path("type").asText())) {
                continue;
            }
            JsonNode q = v.path("query");
            String text = q.isObject() ? q.path("query").asText() : q.asText();
            Matcher m = LABEL_VALUES.matcher(text);
            if (m.matches()) {
                out.put("variable $" + v.path("name").asText(), m.group(1));
            }
        }
        collectPanels(d.path("panels"), out);
        return out;
    }

    private static void collectPanels(JsonNode panels, Map<String, String> out) {
        for (JsonNode p : panels) {
            for (JsonNode t : p.path("targets")) {
                if (t.hasNonNull("expr")) {
                    out.put("panel " + p.path("id").asText() + " '" + p.path("title").asText() + "' " + t.path("refId").asText(),
                            t.get("expr").asText());
                }
            }
            collectPanels(p.path("panels"), out);
        }
    }

    static String substitute(String expr, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
            String value = vars.get(name);
            if (value == null) {
                throw new IllegalArgumentException("no value for Grafana variable $" + name + " in " + expr);
            }
            m.appendReplacement(b, Matcher.quoteReplacement(value));
        }
        m.appendTail(b);
        return b.toString();
    }

    // ------------------------------------------------------------------ two instances

    @Test
    void histogramsOfTwoInstancesAggregateInOneQuery() throws Exception {
        Path bin = prometheusBinary();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(4, "frameq.frames.site-a");
            kafka.createTopics(2, "frameq.scores", "frameq.dlq", "frameq.alerts");
            try (FrameqRuntime a = FrameqRuntime.open(config(kafka, "frameq-two", tmp.resolve("a")));
                 FrameqRuntime b = FrameqRuntime.open(config(kafka, "frameq-two", tmp.resolve("b")));
                 Feeder feeder = new Feeder(kafka.bootstrapServers(), "frameq.frames.site-a", 8)) {
                a.start();
                b.start();
                a.awaitRunning(120, TimeUnit.SECONDS);
                b.awaitRunning(120, TimeUnit.SECONDS);
                feeder.start();
                String ia = "127.0.0.1:" + a.metricsPort();
                String ib = "127.0.0.1:" + b.metricsPort();
                try (PrometheusServer prom = new PrometheusServer(bin, List.of(ia, ib))) {
                    // Both instances have scored frames (the group spread the 4 partitions over them).
                    prom.awaitData("count(count by (instance) (frameq_stage_duration_seconds_count{job=\"frameq\",stage=\"score\"} > 0)) == 2",
                            Duration.ofSeconds(180));
                    // Evaluate every query at one instant that is already fully ingested: at "now", a scrape that
                    // lands between two queries (its samples are stamped at the scrape's start) makes the bucket
                    // sum and the counts see different scrapes (CI once read +Inf 154 against counts 166).
                    Thread.sleep(6_000);
                    double at = System.currentTimeMillis() / 1000.0 - 4.0; // two 2 s scrape intervals back

                    JsonNode perInstance = prom.vector("sum by (le, instance) (frameq_stage_duration_seconds_bucket)", at);
                    Set<String> instances = new TreeSet<>();
                    Map<String, Double> expected = new HashMap<>();
                    for (JsonNode s : perInstance) {
                        instances.add(s.path("metric").path("instance").asText());
                        expected.merge(s.path("metric").path("le").asText(), value(s), Double::sum);
                    }
                    assertThat(instances).containsExactlyInAnyOrder(ia, ib);

                    JsonNode combined = prom.vector("sum by (le) (frameq_stage_duration_seconds_bucket)", at);
                    assertThat(combined.size()).as("one series per bucket bound").isEqualTo(expected.size()).isGreaterThan(10);
                    for (JsonNode s : combined) {
                        assertThat(s.path("metric").has("instance")).isFalse();
                        String le = s.path("metric").path("le").asText();
                        assertThat(value(s)).as("bucket le=%s is the sum over %s", le, instances).isEqualTo(expected.get(le));
                    }
                    double inf = combined.findParents("metric").stream()
                            .filter(s -> "+Inf".equals(s.path("metric").path("le").asText())).mapToDouble(PrometheusScrapeIT::value)
                            .findFirst().orElseThrow();
                    double countA = value(prom.vector("sum(frameq_stage_duration_seconds_count{instance=\"" + ia + "\"})", at).get(0));
                    double countB = value(prom.vector("sum(frameq_stage_duration_seconds_count{instance=\"" + ib + "\"})", at).get(0));
                    assertThat(countA).isPositive();
                    assertThat(countB).isPositive();
                    assertThat(inf).isEqualTo(countA + countB);

                    // and a quantile over both instances, as the dashboards compute it
                    prom.awaitData("histogram_quantile(0.95, sum by (le) (rate(frameq_stage_duration_seconds_bucket{stage=\"score\"}[30s]))) >= 0",
                            Duration.ofSeconds(30));
                }
            }
        }
    }

    private static double value(JsonNode sample) {
        return Double.parseDouble(sample.path("value").get(1).asText());
    }

    private static FrameqConfig config(EmbeddedKafka kafka, String applicationId, Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Map<String, String> props = new HashMap<>();
        props.put(FrameqConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers());
        props.put(FrameqConfig.APPLICATION_ID, applicationId);
        props.put(FrameqConfig.INPUT_PATTERN, "frameq\\.frames\\..+");
        props.put(FrameqConfig.METRICS_PORT, "0");
        props.put(FrameqConfig.STATE_DIR, stateDir.toString());
        props.put(FrameqConfig.COMMIT_INTERVAL_MS, "500");
        props.put("kafka.metadata.max.age.ms", "2000");
        return FrameqConfig.of(props);
    }

    /** Sends one JPEG frame per camera per second until closed. */
    private static final class Feeder implements AutoCloseable {
        private final KafkaProducer<String, byte[]> producer;
        private final String topic;
        private final int cameras;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Feeder(String bootstrap, String topic, int cameras) {
            this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                    new StringSerializer(), new ByteArraySerializer());
            this.topic = topic;
            this.cameras = cameras;
            this.thread = new Thread(this::run, "it-feeder");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void run() {
            byte[] jpeg = Fixtures.chelseaJpeg();
            long seq = 0;
            while (running.get()) {
                for (int c = 0; c < cameras; c++) {
                    producer.send(new ProducerRecord<>(topic, null, "cam-" + c, jpeg,
                            Fixtures.headers("image/jpeg", seq, System.currentTimeMillis())));
                }
                seq++;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.interrupt();
            thread.join(5000);
            producer.close(Duration.ofSeconds(2));
        }
    }

    // ------------------------------------------------------------------ readiness

    @Test
    void readyzTurns503WhenTheBrokerIsGoneWhileHealthzStays200() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        EmbeddedKafka kafka = EmbeddedKafka.start();
        boolean kafkaClosed = false;
        try {
            kafka.createTopics(1, "frameq.frames.site-a", "frameq.scores", "frameq.dlq", "frameq.alerts");
            try (FrameqRuntime runtime = FrameqRuntime.open(config(kafka, "frameq-readyz", tmp.resolve("r")))) {
                runtime.start();
                runtime.awaitRunning(120, TimeUnit.SECONDS);
                int port = runtime.metricsPort();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (status(http, port, "/readyz") != 200) {
                    assertThat(System.nanoTime()).as("/readyz 200 while the broker is up").isLessThan(deadline);
                    Thread.sleep(250);
                }
                assertThat(status(http, port, "/healthz")).isEqualTo(200);

                kafka.close();
                kafkaClosed = true;
                long stoppedAt = System.nanoTime();
                int ready;
                String body;
                while (true) {
                    assertThat(status(http, port, "/healthz")).as("/healthz stays 200 without brokers").isEqualTo(200);
                    HttpResponse<String> r = get(http, port, "/readyz");
                    ready = r.statusCode();
                    body = r.body();
                    if (ready == 503 || System.nanoTime() - stoppedAt > Duration.ofSeconds(15).toNanos()) {
                        break;
                    }
                    Thread.sleep(250);
                }
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
                System.out.println("/readyz after broker stop: " + ready + " in " + tookMs + " ms: " + body.strip());
                assertThat(ready).as("/readyz within 15 s of the broker stopping (body: %s)", body).isEqualTo(503);
                assertThat(body).startsWith("not ready: ");
                assertThat(status(http, port, "/healthz")).isEqualTo(200);
            }
        } finally {
            if (!kafkaClosed) {
                kafka.close();
            }
        }
    }

    private static int status(HttpClient http, int port, String path) throws Exception {
        return get(http, port, path).statusCode();
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
