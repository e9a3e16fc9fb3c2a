package io.frameq.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets by reference ({@code config.providers}), their masking, and the operations endpoint's security keys. */
class SecretsConfigTest {

    @TempDir
    Path dir;

    private static Map<String, String> base() {
        return new HashMap<>(Map.of(FrameqConfig.INPUT_TOPICS, "frames"));
    }

    @Test
    void fileEnvAndDirReferencesAreResolvedForKafkaAndFrameqKeys() throws Exception {
        Path secrets = Files.writeString(dir.resolve("kafka.properties"), "jaas=the-jaas-secret\nmetrics=the-metrics-secret\n");
        Path secretDir = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secretDir.resolve("truststore-password"), "the-truststore-secret");
        Map<String, String> p = base();
        p.put(FrameqConfig.CONFIG_PROVIDERS, "file,env,dir");
        p.put("kafka.sasl.jaas.config", "${file:" + secrets + ":jaas}");
        p.put("kafka.ssl.truststore.password", "${dir:" + secretDir + ":truststore-password}");
        p.put("kafka.client.id", "${env:PATH}");
        p.put(FrameqConfig.METRICS_AUTH_USER, "prometheus");
        p.put(FrameqConfig.METRICS_AUTH_PASSWORD, "${file:" + secrets + ":metrics}");

        FrameqConfig c = FrameqConfig.of(p);

        assertThat(c.kafkaOverrides()).containsEntry("sasl.jaas.config", "the-jaas-secret")
                .containsEntry("ssl.truststore.password", "the-truststore-secret")
                .containsEntry("client.id", System.getenv("PATH"));
        assertThat(c.getPassword(FrameqConfig.METRICS_AUTH_PASSWORD).value()).isEqualTo("the-metrics-secret");
        assertThat(String.valueOf(c.values().get(FrameqConfig.METRICS_AUTH_PASSWORD))).isEqualTo("[hidden]");
    }

    @Test
    void aReferenceToAProviderThatIsNotConfiguredIsAnErrorThatNamesKeyAndProviderButNotTheValue() {
        Map<String, String> p = base();
        p.put("kafka.sasl.jaas.config", "${file:/run/secrets/kafka.properties:jaas} with-literal-secret");
        assertThatThrownBy(() -> FrameqConfig.of(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.sasl.jaas.config refers to provider 'file'")
                .hasMessageContaining("config.providers=file,env")
                .hasMessageNotContaining("with-literal-secret");
        p.put(FrameqConfig.CONFIG_PROVIDERS, "vault");
        assertThatThrownBy(() -> FrameqConfig.of(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("provider 'vault' needs 'config.providers.vault.class'");
    }

    @Test
    void secretKafkaKeysAreRecognisedWithAndWithoutClientPrefixes() {
        for (String k : List.of("sasl.jaas.config", "ssl.truststore.password", "producer.ssl.key.password", "ssl.keystore.key",
                "sasl.oauthbearer.client.credentials.client.secret")) {
            assertThat(FrameqConfig.isSecretKafkaKey(k)).as(k).isTrue();
        }
        for (String k : List.of("sasl.mechanism", "security.protocol", "ssl.truststore.location", "bootstrap.servers")) {
            assertThat(FrameqConfig.isSecretKafkaKey(k)).as(k).isFalse();
        }
    }

    @Test
    void theOperationsEndpointSettingsAreValidatedTogether() throws Exception {
        Map<String, String> p = base();
        p.put(FrameqConfig.METRICS_AUTH_USER, "prometheus");
        p.put(FrameqConfig.METRICS_TLS_KEYSTORE, dir.resolve("missing.p12").toString());
        assertThatThrownBy(() -> FrameqConfig.of(p)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("metrics.tls.keystore: expected a readable PKCS12 file")
                .hasMessageContaining("metrics.tls.keystore.password: required when metrics.tls.keystore is set")
                .hasMessageContaining("expected both or neither, actual only metrics.auth.user");

        Map<String, String> ok = base();
        ok.put(FrameqConfig.METRICS_BIND_ADDRESS, "127.0.0.1");
        ok.put(FrameqConfig.METRICS_AUTH_USER, "prometheus");
        ok.put(FrameqConfig.METRICS_AUTH_PASSWORD, "s3cret");
        ok.put(FrameqConfig.METRICS_TLS_KEYSTORE, Files.writeString(dir.resolve("ops.p12"), "x").toString());
        ok.put(FrameqConfig.METRICS_TLS_KEYSTORE_PASSWORD, "s3cret");
        assertThat(FrameqConfig.of(ok).getString(FrameqConfig.METRICS_BIND_ADDRESS)).isEqualTo("127.0.0.1");

        Map<String, String> colon = base();
        colon.put(FrameqConfig.METRICS_AUTH_USER, "a:b");
        colon.put(FrameqConfig.METRICS_AUTH_PASSWORD, "s3cret");
        assertThatThrownBy(() -> FrameqConfig.of(colon)).hasMessageContaining("without ':'");
    }
}
