package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.frameq.app.config.FrameqConfig;
import io.frameq.app.runtime.FrameqRuntime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FrameQ on an SSL listener that requires client certificates ({@code ssl.client.auth=required}) with ACLs
 * enforced: the app's certificate makes it {@code User:CN=frameq-app,OU=it,O=FrameQ}, which holds only the
 * documented ACLs. Its operations endpoint runs with TLS and basic authentication meanwhile, on 127.0.0.1.
 * Full-reference scoring is on, so its rows of the ACL table (and the repartition topic FrameQ creates) are
 * exercised as well. A certificate from the same CA without ACLs is refused at start with the permissions it lacks.
 */
class MutualTlsIT {

    @TempDir
    Path dir;

    @Test
    void theAppAuthenticatesWithItsCertificateScoresFramesAndServesSecuredMetrics() throws Exception {
        try (SecureKafka kafka = SecureKafka.start(SecureKafka.Mode.MTLS, Map.of())) {
            SecuredPipeline.createTopics(kafka);
            TlsMaterial tls = kafka.tls();
            Map<String, String> config = SecuredPipeline.baseConfig(kafka, "frameq-mtls-it", dir.resolve("state"));
            // Full reference on, so its ACL rows are proven too; the repartition topic is left for FrameQ to create.
            kafka.createTopics(2, "frameq.fr.origins", "frameq.fr.renditions");
            config.put(FrameqConfig.FR_ENABLED, "true");
            config.put(FrameqConfig.FR_ORIGIN_TOPICS, "frameq.fr.origins");
            config.put(FrameqConfig.FR_RENDITION_TOPICS, "frameq.fr.renditions");
            kafka.addAcls(DocumentedAcls.forConfig("User:" + TlsMaterial.APP_DN, config));

            Map<String, String> intruder = SecuredPipeline.baseConfig(kafka, "frameq-mtls-intruder", dir.resolve("state-2"));
            intruder.put(FrameqConfig.METRICS_PORT, "-1");
            intruder.putAll(SecuredPipeline.asKafkaKeys(kafka.tlsClient(tls.clientOther())));
            assertThatThrownBy(() -> FrameqRuntime.open(FrameqConfig.of(intruder)).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not authorized")
                    .hasMessageContaining("DESCRIBE on topic '" + SecuredPipeline.FRAMES + "'")
                    .hasMessageContaining("READ on group 'frameq-mtls-intruder'");

            config.putAll(SecuredPipeline.asKafkaKeys(kafka.tlsClient(tls.clientApp())));
            String metricsPassword = TlsMaterial.password();
            config.put(FrameqConfig.METRICS_TLS_KEYSTORE, tls.broker().path().toString()); // its certificate names 127.0.0.1
            config.put(FrameqConfig.METRICS_TLS_KEYSTORE_PASSWORD, tls.broker().password());
            config.put(FrameqConfig.METRICS_AUTH_USER, "prometheus");
            config.put(FrameqConfig.METRICS_AUTH_PASSWORD, metricsPassword);
            try (FrameqRuntime runtime = FrameqRuntime.open(FrameqConfig.of(config))) {
                runtime.start();
                runtime.awaitRunning(60, TimeUnit.SECONDS);
                SecuredPipeline.awaitScored(kafka, SecuredPipeline.feed(kafka), () -> "streams state " + runtime.streams().state());
                SecuredPipeline.awaitFullReferencePair(kafka, "frameq.fr.origins", "frameq.fr.renditions");

                HttpClient https = HttpClient.newBuilder().sslContext(trusting(tls.truststore())).build();
                URI metrics = URI.create("https://127.0.0.1:" + runtime.metricsPort() + "/metrics");
                assertThat(get(https, metrics, null).statusCode()).as("no credentials").isEqualTo(401);
                assertThat(get(https, metrics, "prometheus:wrong").statusCode()).as("wrong password").isEqualTo(401);
                HttpResponse<String> ok = get(https, metrics, "prometheus:" + metricsPassword);
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(ok.body()).containsPattern("frameq_frames_total\\{[^}]*stream=\"cam-a\"");
                assertThat(get(https, URI.create("https://127.0.0.1:" + runtime.metricsPort() + "/readyz"), "prometheus:" + metricsPassword)
                        .statusCode()).isEqualTo(200);
            }
        }
    }

    private static HttpResponse<String> get(HttpClient client, URI uri, String credentials) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (credentials != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static SSLContext trusting(TlsMaterial.Store truststore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(truststore.path())) {
            ks.load(in, truststore.password().toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
