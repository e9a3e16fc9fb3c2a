package io.frameq.app.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The operations endpoint: {@code /metrics} (Prometheus text format), {@code /healthz} (the
 * process is alive) and {@code /readyz} (streams running, model loaded, broker reachable; 503
 * with the reason otherwise, so Kubernetes stops routing and alerting sees why). It listens on one
 * address, serves HTTPS instead of HTTP when given a key store, and with a user and password asks
 * every request for HTTP basic authentication (all three paths: metrics and readiness say enough
 * about a deployment to be worth guarding).
 */
final class OpsHttpServer implements AutoCloseable {

    /** Why the instance is not ready, or null when it is. */
    interface Readiness extends Supplier<String> {}

    /**
     * Where and how to listen. {@code keystore} null = plain HTTP; {@code user} null = no authentication.
     * Its {@link #toString()} leaves the secrets out.
     */
    record Settings(String bindAddress, int port, Path keystore, String keystorePassword, String user, String password) {

        static Settings plain(String bindAddress, int port) {
            return new Settings(bindAddress, port, null, null, null, null);
        }

        @Override
        public String toString() {
            return "Settings[" + bindAddress + ":" + port + ", tls=" + (keystore != null) + ", basic auth=" + (user != null) + "]";
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final boolean tls;

    OpsHttpServer(Settings settings, PrometheusRegistry registry, Readiness readiness) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(settings.bindAddress()), settings.port());
        tls = settings.keystore() != null;
        if (tls) {
            HttpsServer https = HttpsServer.create(address, 16);
            https.setHttpsConfigurator(new HttpsConfigurator(sslContext(settings.keystore(), settings.keystorePassword())));
            server = https;
        } else {
            server = HttpServer.create(address, 16);
        }
        executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "frameq-ops-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        List<HttpContext> contexts = List.of(
                server.createContext("/metrics", new MetricsHandler(registry)),
                server.createContext("/healthz", ex -> reply(ex, 200, "ok\n")),
                server.createContext("/readyz", ex -> {
                    String notReady = readiness.get();
                    reply(ex, notReady == null ? 200 : 503, notReady == null ? "ready\n" : "not ready: " + notReady + "\n");
                }));
        if (settings.user() != null) {
            BasicAuthenticator auth = authenticator(settings.user(), settings.password());
            contexts.forEach(c -> c.setAuthenticator(auth));
        }
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The address actually bound (the wildcard address when listening on every interface). */
    InetAddress address() {
        return server.getAddress().getAddress();
    }

    /** "http" or "https". */
    String scheme() {
        return tls ? "https" : "http";
    }

    private static SSLContext sslContext(Path keystore, String password) throws IOException {
        char[] pw = password.toCharArray();
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, pw);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            // The message names the file, never the password.
            throw new IOException("metrics.tls.keystore '" + keystore + "': cannot load it as PKCS12 with the given password ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** Compares digests, so the time a wrong guess takes says nothing about how much of it was right. */
    private static BasicAuthenticator authenticator(String user, String password) {
        byte[] wantUser = digest(user);
        byte[] wantPassword = digest(password);
        return new BasicAuthenticator("frameq") {
            @Override
            public boolean checkCredentials(String u, String p) {
                boolean userOk = MessageDigest.isEqual(wantUser, digest(u));
                boolean passwordOk = MessageDigest.isEqual(wantPassword, digest(p));
                return userOk & passwordOk;
            }
        };
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
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
