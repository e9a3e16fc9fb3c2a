package io.frameq.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operations endpoint's bind address, basic authentication and key-store errors, on real sockets. */
class OpsHttpServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void itListensOnlyOnTheConfiguredAddress() throws Exception {
        // 127.0.0.2 is loopback too on Linux, but a different address: a server bound to it is not on 127.0.0.1.
        try (OpsHttpServer server = new OpsHttpServer(OpsHttpServer.Settings.plain("127.0.0.2", 0), new PrometheusRegistry(), () -> null)) {
            assertThat(server.address()).isEqualTo(InetAddress.getByName("127.0.0.2"));
            assertThat(get("http://127.0.0.2:" + server.port() + "/healthz", null).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
                }
            }).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void withBasicAuthenticationEveryPathAnswers401UnlessTheCredentialsAreRight() throws Exception {
        OpsHttpServer.Settings settings = new OpsHttpServer.Settings("127.0.0.1", 0, null, null, "prometheus", "s3cret-pw");
        assertThat(settings.toString()).doesNotContain("s3cret-pw");
        try (OpsHttpServer server = new OpsHttpServer(settings, new PrometheusRegistry(), () -> null)) {
            for (String path : List.of("/metrics", "/healthz", "/readyz")) {
                String url = "http://127.0.0.1:" + server.port() + path;
                HttpResponse<String> none = get(url, null);
                assertThat(none.statusCode()).as(path + " without credentials").isEqualTo(401);
                assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
                assertThat(get(url, "prometheus:wrong").statusCode()).as(path + " wrong password").isEqualTo(401);
                assertThat(get(url, "grafana:s3cret-pw").statusCode()).as(path + " wrong user").isEqualTo(401);
                assertThat(get(url, "prometheus:s3cret-pw").statusCode()).as(path + " right credentials").isEqualTo(200);
            }
        }
    }

    @Test
    void withoutAuthenticationItAnswersAsBefore() throws Exception {
        try (OpsHttpServer server = new OpsHttpServer(OpsHttpServer.Settings.plain("127.0.0.1", 0), new PrometheusRegistry(),
                () -> "kafka streams REBALANCING")) {
            assertThat(server.scheme()).isEqualTo("http");
            assertThat(get("http://127.0.0.1:" + server.port() + "/metrics", null).statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get("http://127.0.0.1:" + server.port() + "/readyz", null);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("kafka streams REBALANCING");
        }
    }

    @Test
    void aKeyStoreThatCannotBeLoadedIsNamedWithoutItsPassword() throws Exception {
        Path keystore = Files.writeString(dir.resolve("ops.p12"), "not a key store");
        OpsHttpServer.Settings settings = new OpsHttpServer.Settings("127.0.0.1", 0, keystore, "the-keystore-pw", null, null);
        assertThatThrownBy(() -> new OpsHttpServer(settings, new PrometheusRegistry(), () -> null).close())
                .isInstanceOf(IOException.class)
                .hasMessageContaining("metrics.tls.keystore '" + keystore + "'")
                .hasMessageNotContaining("the-keystore-pw");
    }

    private static HttpResponse<String> get(String url, String credentials) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (credentials != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
