package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.frameq.app.config.FrameqConfig;
import io.frameq.app.runtime.FrameqRuntime;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FrameQ on a SASL_SSL + SCRAM-SHA-512 listener with ACLs enforced, as the principal {@code User:frameq}
 * that holds exactly the ACLs of {@code deploy/SECURITY.md} for its configuration (exactly-once included, so
 * the transactional-id row is exercised too) and nothing else. Its SCRAM password and trust-store password
 * reach it only through {@code ${file:...}} references, and no captured log line contains either.
 */
class SaslScramIT {

    private static SecureKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = SecureKafka.start(SecureKafka.Mode.SCRAM_SHA_512, Map.of());
        SecuredPipeline.createTopics(kafka);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aPrincipalWithOnlyTheDocumentedAclsScoresFramesAndNoSecretIsLogged() throws Exception {
        String password = TlsMaterial.password();
        kafka.addScramUser("frameq", password);

        Map<String, String> config = SecuredPipeline.baseConfig(kafka, "frameq-scram-it", dir.resolve("state"));
        config.put(FrameqConfig.PROCESSING_GUARANTEE, "exactly_once_v2");
        kafka.addAcls(DocumentedAcls.forConfig("User:frameq", config));

        // The secrets live in a file only the app reads, the configuration holds references to it.
        Map<String, Object> client = kafka.saslClient("frameq", password);
        Path secrets = dir.resolve("kafka-secrets.properties");
        Files.writeString(secrets, "sasl.jaas.config=" + client.get("sasl.jaas.config") + "\n"
                + "ssl.truststore.password=" + client.get("ssl.truststore.password") + "\n");
        Map<String, Object> referenced = new HashMap<>(client);
        referenced.put("sasl.jaas.config", "${file:" + secrets + ":sasl.jaas.config}");
        referenced.put("ssl.truststore.password", "${file:" + secrets + ":ssl.truststore.password}");
        config.putAll(SecuredPipeline.asKafkaKeys(referenced));
        config.put(FrameqConfig.CONFIG_PROVIDERS, "file");

        String truststorePassword = kafka.tls().truststore().password();
        try (LogCapture logs = new LogCapture()) {
            SecuredPipeline.scoresEndToEnd(kafka, config);

            assertThat(logs.lines()).as("log lines captured during the run").hasSizeGreaterThan(50);
            assertThat(logs.containing(password)).as("log lines with the SCRAM password").isEmpty();
            assertThat(logs.containing(truststorePassword)).as("log lines with the trust-store password").isEmpty();
            // Kafka Streams' and its clients' config dumps were among the lines checked; the clients list the secrets' keys, masked.
            assertThat(logs.containing("StreamsConfig values:")).isNotEmpty();
            assertThat(logs.containing("sasl.jaas.config = [hidden]")).as("masked JAAS config in the client config dumps").isNotEmpty();
            assertThat(logs.containing("ssl.truststore.password = [hidden]")).isNotEmpty();
            assertThat(logs.containing("security.protocol = SASL_SSL")).isNotEmpty();
        }
    }

    @Test
    void aMissingAclStopsTheStartWithAMessageNamingIt() throws Exception {
        String password = TlsMaterial.password();
        kafka.addScramUser("frameq-partial", password);
        Map<String, String> config = SecuredPipeline.baseConfig(kafka, "frameq-scram-partial", dir.resolve("state"));
        // The documented ACLs less two: WRITE on the scores topic (DESCRIBE stays) and READ on the group.
        List<AclBinding> acls = new ArrayList<>(DocumentedAcls.forConfig("User:frameq-partial", config));
        boolean removed = acls.removeIf(a -> (a.pattern().name().equals("frameq.scores") && a.entry().operation() == AclOperation.WRITE)
                || a.pattern().resourceType() == ResourceType.GROUP);
        assertThat(removed).isTrue();
        kafka.addAcls(acls);
        config.putAll(SecuredPipeline.asKafkaKeys(kafka.saslClient("frameq-partial", password)));

        assertThatThrownBy(() -> FrameqRuntime.open(FrameqConfig.of(config)).close())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not authorized")
                .hasMessageContaining("WRITE on topic 'frameq.scores'")
                .hasMessageContaining("READ on group 'frameq-scram-partial'")
                .hasMessageContaining("deploy/SECURITY.md")
                .hasMessageNotContaining(password);
    }
}
