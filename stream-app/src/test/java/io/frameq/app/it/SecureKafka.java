package io.frameq.app.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.frameq.testing.Await;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft broker in this JVM, secured as production clusters are: the client listener
 * ({@code EXTERNAL}) speaks SASL_SSL with SCRAM-SHA-512 or PLAIN, or SSL with client certificates required;
 * ACLs are enforced by {@code StandardAuthorizer} with no fallback to "allow" and only the broker and admin
 * principals as super users. Broker-internal traffic (inter-broker, controller) runs on SASL_PLAINTEXT/PLAIN
 * listeners as {@code User:broker}; tests administer the cluster as {@code User:admin} there.
 * A sibling of {@link io.frameq.app.broker.EmbeddedKafka}, which stays plaintext for the demo.
 */
final class SecureKafka implements AutoCloseable {

    enum Mode {
        SCRAM_SHA_512, PLAIN, MTLS
    }

    private final Mode mode;
    private final Path dataDir;
    private final int externalPort;
    private final int internalPort;
    private final String adminPassword;
    private final TlsMaterial tls;
    private final KafkaRaftServer server;

    private SecureKafka(Mode mode, Path dataDir, int externalPort, int internalPort, String adminPassword, TlsMaterial tls,
            KafkaRaftServer server) {
        this.mode = mode;
        this.dataDir = dataDir;
        this.externalPort = externalPort;
        this.internalPort = internalPort;
        this.adminPassword = adminPassword;
        this.tls = tls;
        this.server = server;
    }

    /**
     * Starts the broker. {@code plainUsers} are the user/password pairs of the PLAIN mechanism (the broker's
     * JAAS file is where PLAIN keeps them); SCRAM users are added with {@link #addScramUser} once it runs.
     */
    static SecureKafka start(Mode mode, Map<String, String> plainUsers) {
        TlsMaterial tls = TlsMaterial.shared();
        try {
            Path dir = Files.createTempDirectory("frameq-kraft-secure-");
            int[] ports = io.frameq.app.broker.EmbeddedKafka.freePorts(3);
            int external = ports[0];
            int internal = ports[1];
            int controller = ports[2];
            String brokerPassword = TlsMaterial.password();
            String adminPassword = TlsMaterial.password();
            String internalJaas = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"broker\" password=\""
                    + brokerPassword + "\" user_broker=\"" + brokerPassword + "\" user_admin=\"" + adminPassword + "\";";
            Properties p = new Properties();
            p.put("process.roles", "broker,controller");
            p.put("node.id", "1");
            p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controller);
            p.put("listeners", "EXTERNAL://127.0.0.1:" + external + ",INTERNAL://127.0.0.1:" + internal + ",CONTROLLER://127.0.0.1:" + controller);
            p.put("advertised.listeners", "EXTERNAL://127.0.0.1:" + external + ",INTERNAL://127.0.0.1:" + internal);
            p.put("listener.security.protocol.map", "EXTERNAL:" + (mode == Mode.MTLS ? "SSL" : "SASL_SSL")
                    + ",INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
            p.put("inter.broker.listener.name", "INTERNAL");
            p.put("controller.listener.names", "CONTROLLER");
            p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
            p.put("sasl.mechanism.controller.protocol", "PLAIN");
            for (String l : List.of("internal", "controller")) {
                p.put("listener.name." + l + ".sasl.enabled.mechanisms", "PLAIN");
                p.put("listener.name." + l + ".plain.sasl.jaas.config", internalJaas);
            }
            p.put("listener.name.external.ssl.keystore.location", tls.broker().path().toString());
            p.put("listener.name.external.ssl.keystore.password", tls.broker().password());
            p.put("listener.name.external.ssl.keystore.type", "PKCS12");
            p.put("listener.name.external.ssl.truststore.location", tls.truststore().path().toString());
            p.put("listener.name.external.ssl.truststore.password", tls.truststore().password());
            p.put("listener.name.external.ssl.truststore.type", "PKCS12");
            switch (mode) {
                case SCRAM_SHA_512 -> {
                    p.put("listener.name.external.sasl.enabled.mechanisms", "SCRAM-SHA-512");
                    p.put("listener.name.external.scram-sha-512.sasl.jaas.config",
                            "org.apache.kafka.common.security.scram.ScramLoginModule required;");
                }
                case PLAIN -> {
                    StringBuilder jaas = new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
                    plainUsers.forEach((u, pw) -> jaas.append(" user_").append(u).append("=\"").append(pw).append('"'));
                    p.put("listener.name.external.sasl.enabled.mechanisms", "PLAIN");
                    p.put("listener.name.external.plain.sasl.jaas.config", jaas.append(';').toString());
                }
                case MTLS -> p.put("listener.name.external.ssl.client.auth", "required");
            }
            p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            p.put("super.users", "User:broker;User:admin");
            p.put("allow.everyone.if.no.acl.found", "false");
            p.put("log.dirs", Files.createDirectories(dir.resolve("logs")).toString());
            p.put("num.partitions", "1");
            p.put("offsets.topic.replication.factor", "1");
            p.put("offsets.topic.num.partitions", "2");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("transaction.state.log.num.partitions", "2");
            p.put("share.coordinator.state.topic.replication.factor", "1");
            p.put("share.coordinator.state.topic.min.isr", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("auto.create.topics.enable", "false");
            p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
            Path configFile = dir.resolve("server.properties");
            try (var out = Files.newOutputStream(configFile)) {
                p.store(out, "FrameQ secured test broker");
            }
            format(configFile);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
            server.startup();
            SecureKafka kafka = new SecureKafka(mode, dir, external, internal, adminPassword, tls, server);
            Await.until("the secured broker to answer its admin", Duration.ofSeconds(60), Duration.ofMillis(200),
                    kafka::answers, () -> "");
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("secured Kafka: could not prepare storage", e);
        }
    }

    private static void format(Path configFile) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(new String[] {
                "format", "-t", Uuid.randomUuid().toString(), "-c", configFile.toString(), "--standalone"}, out);
        }
        if (rc != 0) {
            throw new IllegalStateException("secured Kafka: storage format failed (exit " + rc + "): " + buf.toString(StandardCharsets.UTF_8));
        }
    }

    private boolean answers() {
        try (Admin admin = admin()) {
            admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    Mode mode() {
        return mode;
    }

    TlsMaterial tls() {
        return tls;
    }

    /** The client listener: what FrameQ's {@code bootstrap.servers} names. */
    String bootstrapServers() {
        return "127.0.0.1:" + externalPort;
    }

    /** A super-user admin client on the internal listener. */
    Admin admin() {
        return Admin.create(superUserClient());
    }

    /** Client settings (bootstrap servers included) of the super user {@code admin} on the internal listener. */
    Map<String, Object> superUserClient() {
        Map<String, Object> p = new HashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + internalPort);
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "PLAIN");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"admin\" password=\""
                + adminPassword + "\";");
        return p;
    }

    /** The client settings (without bootstrap servers) of a SASL user on the client listener, as plain values. */
    Map<String, Object> saslClient(String user, String password) {
        String module = mode == Mode.PLAIN ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        Map<String, Object> p = new HashMap<>();
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", mode == Mode.PLAIN ? "PLAIN" : "SCRAM-SHA-512");
        p.put("sasl.jaas.config", module + " required username=\"" + user + "\" password=\"" + password + "\";");
        p.put("ssl.truststore.location", tls.truststore().path().toString());
        p.put("ssl.truststore.password", tls.truststore().password());
        p.put("ssl.truststore.type", "PKCS12");
        return p;
    }

    /** The client settings (without bootstrap servers) of a certificate holder on the mutual-TLS listener. */
    Map<String, Object> tlsClient(TlsMaterial.Store keystore) {
        Map<String, Object> p = new HashMap<>();
        p.put("security.protocol", "SSL");
        p.put("ssl.keystore.location", keystore.path().toString());
        p.put("ssl.keystore.password", keystore.password());
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.truststore.location", tls.truststore().path().toString());
        p.put("ssl.truststore.password", tls.truststore().password());
        p.put("ssl.truststore.type", "PKCS12");
        return p;
    }

    /** Creates a SCRAM-SHA-512 user and waits until the client listener accepts it. */
    void addScramUser(String user, String password) {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("secured Kafka: could not add SCRAM user " + user, e);
        }
        Map<String, Object> client = new HashMap<>(saslClient(user, password));
        client.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        Await.until("SCRAM user " + user + " to authenticate", Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
            try (Admin a = Admin.create(client)) {
                a.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return true;
            } catch (Exception e) {
                return false;
            }
        }, () -> "");
    }

    /** Creates ACLs and waits until the broker's authorizer lists them all. */
    void addAcls(Collection<AclBinding> acls) {
        try (Admin admin = admin()) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            Await.until(acls.size() + " ACLs to reach the authorizer", Duration.ofSeconds(30), Duration.ofMillis(100), () -> {
                try {
                    return admin.describeAcls(AclBindingFilter.ANY).values().get(5, TimeUnit.SECONDS).containsAll(acls);
                } catch (Exception e) {
                    return false;
                }
            }, () -> "");
        } catch (Exception e) {
            throw new IllegalStateException("secured Kafka: could not create ACLs " + acls, e);
        }
    }

    void createTopics(int partitions, String... names) {
        try (Admin admin = admin()) {
            admin.createTopics(Stream.of(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList()).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("secured Kafka: could not create topics " + List.of(names), e);
        }
    }

    @Override
    public void close() {
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a leftover temp directory is harmless
            }
        }
    }
}
