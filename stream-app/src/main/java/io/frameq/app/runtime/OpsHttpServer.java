package io.frameq.app.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The operations endpoint: {@code /metrics} (Prometheus text format), {@code /healthz} (the
 * process is alive) and {@code /readyz} (streams running, model loaded, broker reachable; 503
 * with the reason otherwise, so Kubernetes stops routing and alerting sees why).
 */
final class OpsHttpServer implements AutoCloseable {

    /** Why the instance is not ready, or null when it is. */
    interface Readiness extends Supplier<String> {}

    private final HttpServer server;
    private final ExecutorService executor;

    OpsHttpServer(int port, PrometheusRegistry registry, Readiness readiness) throws IOException {
        server = HttpServer.create(new InetSocketAddress(port), 16);
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "frameq-ops-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", new MetricsHandler(registry));
        server.createContext("/healthz", ex -> reply(ex, 200, "ok\n"));
        server.createContext("/readyz", ex -> {
            String notReady = readiness.get();
            reply(ex, notReady == null ? 200 : 503, notReady == null ? "ready\n" : "not ready: " + notReady + "\n");
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
