package io.frameq.app.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Prometheus server (Debian's {@code prometheus} package, {@code /usr/bin/prometheus}) as a
 * child process, scraping the given targets every 2 s as job {@code frameq} and loading FrameQ's
 * rules from {@code deploy/prometheus/rules/frameq-alerts.yml}. Storage and config live in a
 * temporary directory.
 */
final class PrometheusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The prometheus binary: $PROMETHEUS_BIN, /usr/bin/prometheus, or prometheus on the PATH. */
    static Optional<Path> binary() {
        String env = System.getenv("PROMETHEUS_BIN");
        Stream<Path> candidates = Stream.concat(
                Stream.of(env == null ? null : Path.of(env), Path.of("/usr/bin/prometheus")),
                Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                        .filter(s -> !s.isBlank()).map(s -> Path.of(s, "prometheus")));
        return candidates.filter(p -> p != null && Files.isExecutable(p)).findFirst();
    }

    /** The repository's deploy/ directory (tests run in stream-app/ or the repository root). */
    static Path deployDir() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/prometheus/rules"))) {
                return p.resolve("deploy");
            }
        }
        throw new IllegalStateException("deploy/ not found above " + Path.of("").toAbsolutePath());
    }

    PrometheusServer(Path binary, List<String> targets) throws IOException, InterruptedException {
        dir = Files.createTempDirectory("frameq-prometheus-");
        // not one of the targets' ports: a target chosen free a moment ago may not have bound its port yet
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        targets.forEach(t -> taken.add(Integer.parseInt(t.substring(t.lastIndexOf(':') + 1))));
        int chosen = freePort();
        while (taken.contains(chosen)) {
            chosen = freePort();
        }
        port = chosen;
        Path rules = deployDir().resolve("prometheus/rules/frameq-alerts.yml").toAbsolutePath();
        String config = """
                global:
                  scrape_interval: 2s
                  scrape_timeout: 2s
                  evaluation_interval: 2s
                rule_files:
                  - "%s"
                scrape_configs:
                  - job_name: frameq
                    metrics_path: /metrics
                    static_configs:
                      - targets: [%s]
                """.formatted(rules, targets.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(", ")));
        Path configFile = dir.resolve("prometheus.yml");
        Files.writeString(configFile, config);
        Path log = dir.resolve("prometheus.log");
        process = new ProcessBuilder(binary.toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited (" + process.exitValue() + "): " + Files.readString(log));
            }
            try {
                if (get("/-/ready").statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("prometheus not ready after 30 s: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** GET /api/v1/query at {@code time} (epoch seconds, or null for now); returns {@code data} or throws on an API error. */
    JsonNode query(String promql, Double time) throws IOException, InterruptedException {
        String q = "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + (time == null ? "" : "&time=" + time);
        HttpResponse<String> r = get(q);
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("query failed (" + r.statusCode() + "): " + promql + " -> " + r.body());
        }
        return body.get("data");
    }

    /** The result vector of an instant query (empty array when there is no data). */
    JsonNode vector(String promql, Double time) throws IOException, InterruptedException {
        JsonNode data = query(promql, time);
        JsonNode result = data.get("result");
        if ("scalar".equals(data.path("resultType").asText()) || "string".equals(data.path("resultType").asText())) {
            return JSON.createArrayNode().add(result);
        }
        return result;
    }

    /** Polls until {@code promql} returns at least one series, or fails after the timeout. */
    JsonNode awaitData(String promql, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode v = vector(promql, null);
            if (!v.isEmpty()) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no data for " + promql + " after " + timeout.toSeconds() + " s; targets: "
                        + get("/api/v1/targets").body());
            }
            Thread.sleep(1000);
        }
    }

    String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
