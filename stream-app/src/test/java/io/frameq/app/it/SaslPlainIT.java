package io.frameq.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.frameq.app.config.FrameqConfig;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code frameq.jar run}, as users start it, on a SASL_SSL + PLAIN listener with ACLs enforced,
 * as {@code User:frameq} holding only the documented ACLs (for its pattern subscription, a PREFIXED READ). Its secrets come from the environment only: the JAAS
 * config through FrameQ's own {@code FRAMEQ_KAFKA_SASL_JAAS_CONFIG}, the trust-store password through Kafka's
 * {@code ${env:...}} provider. Neither appears in the process's output, nor in {@code frameq config --check}.
 */
class SaslPlainIT {

    @TempDir
    Path dir;

    @Test
    void thePackagedAppScoresFramesWithSecretsFromTheEnvironmentAndPrintsNone() throws Exception {
        String password = TlsMaterial.password();
        try (SecureKafka kafka = SecureKafka.start(SecureKafka.Mode.PLAIN, Map.of("frameq", password))) {
            SecuredPipeline.createTopics(kafka);
            Map<String, String> config = SecuredPipeline.baseConfig(kafka, "frameq-plain-it", dir.resolve("state"));
            config.put(FrameqConfig.METRICS_PORT, "-1");
            // A pattern subscription, as the Compose stack runs it: its ACL row is a PREFIXED one.
            config.remove(FrameqConfig.INPUT_TOPICS);
            config.put(FrameqConfig.INPUT_PATTERN, "frameq\\.frames\\..+");
            List<AclBinding> acls = DocumentedAcls.forConfig("User:frameq", config);
            assertThat(acls).extracting(AclBinding::pattern)
                    .contains(new ResourcePattern(ResourceType.TOPIC, "frameq.frames.", PatternType.PREFIXED))
                    .noneMatch(p -> p.name().equals(SecuredPipeline.FRAMES));
            kafka.addAcls(acls);

            Map<String, Object> client = kafka.saslClient("frameq", password);
            String jaas = (String) client.remove("sasl.jaas.config");
            String truststorePassword = (String) client.remove("ssl.truststore.password");
            config.putAll(SecuredPipeline.asKafkaKeys(client));
            config.put("kafka.ssl.truststore.password", "${env:KAFKA_TRUSTSTORE_PASSWORD}");
            config.put(FrameqConfig.CONFIG_PROVIDERS, "env");
            Path file = dir.resolve("frameq.properties");
            StringBuilder props = new StringBuilder();
            // Values as they are, escaped for the properties format (the state path and regexes carry no secrets).
            config.forEach((k, v) -> props.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
            Files.writeString(file, props);
            Map<String, String> env = Map.of("FRAMEQ_KAFKA_SASL_JAAS_CONFIG", jaas, "KAFKA_TRUSTSTORE_PASSWORD", truststorePassword);

            Path log = dir.resolve("run.log");
            Process app = start(List.of("run", "--config", file.toString()), env, log);
            try {
                SecuredPipeline.awaitScored(kafka, SecuredPipeline.feed(kafka),
                        () -> "app alive: " + app.isAlive() + ", log: " + tail(log));
            } finally {
                app.destroy(); // SIGTERM: the shutdown hook closes the app, its closing lines are read too
                if (!app.waitFor(60, TimeUnit.SECONDS)) {
                    app.destroyForcibly();
                }
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(output).as("the app's log").contains("Shutting down");
            assertThat(output).as("the app's log").doesNotContain(password).doesNotContain(truststorePassword);

            Path checkLog = dir.resolve("check.log");
            Process check = start(List.of("config", "--check", file.toString()), env, checkLog);
            assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String printed = Files.readString(checkLog, StandardCharsets.UTF_8);
            assertThat(check.exitValue()).as(printed).isZero();
            assertThat(printed).contains("kafka.sasl.jaas.config=[hidden]", "kafka.ssl.truststore.password=[hidden]",
                    "kafka.security.protocol=SASL_SSL");
            assertThat(printed).doesNotContain(password).doesNotContain(truststorePassword);
        }
    }

    private static Process start(List<String> args, Map<String, String> env, Path log) throws Exception {
        Path jar = Path.of("target", "frameq.jar");
        assertThat(jar).as("run `mvn verify` (the IT needs the packaged frameq.jar)").exists();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith(FrameqConfig.ENV_PREFIX)); // only this test's FRAMEQ_* settings
        pb.environment().putAll(env);
        return pb.start();
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log, StandardCharsets.UTF_8);
            return s.substring(Math.max(0, s.length() - 2000));
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
