package io.frameq.app.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, combined broker + controller) inside this JVM, for the demo
 * and the integration tests. It is the same broker code a cluster runs; only the process is
 * shared. Storage lives in a temporary directory deleted on {@link #close()}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path dataDir;
    private final int brokerPort;
    private final Properties config;
    private KafkaRaftServer server; // null while stopped

    private EmbeddedKafka(Path dataDir, int brokerPort, Properties config, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.config = config;
        this.server = server;
    }

    /** Formats fresh storage and starts the node; returns once it accepts admin requests. */
    public static EmbeddedKafka start() {
        return start(Map.of());
    }

    public static EmbeddedKafka start(Map<String, String> overrides) {
        long t0 = System.nanoTime();
        try {
            Path dir = Files.createTempDirectory("frameq-kraft-");
            Path logs = Files.createDirectories(dir.resolve("logs"));
            int[] ports = freePorts(2);
            int brokerPort = ports[0];
            int controllerPort = ports[1];
            Properties p = new Properties();
            p.put("process.roles", "broker,controller");
            p.put("node.id", "1");
            p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
            p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
            p.put("controller.listener.names", "CONTROLLER");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("log.dirs", logs.toString());
            p.put("num.partitions", "1");
            p.put("offsets.topic.replication.factor", "1");
            p.put("offsets.topic.num.partitions", "4");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("transaction.state.log.num.partitions", "4");
            p.put("share.coordinator.state.topic.replication.factor", "1");
            p.put("share.coordinator.state.topic.min.isr", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
            p.put("auto.create.topics.enable", "false");
            p.put("message.max.bytes", String.valueOf(16 * 1024 * 1024));
            p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
            overrides.forEach(p::put);
            Path configFile = dir.resolve("server.properties");
            try (var out = Files.newOutputStream(configFile)) {
                p.store(out, "FrameQ embedded KRaft node");
            }
            format(configFile);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
            server.startup();
            EmbeddedKafka kafka = new EmbeddedKafka(dir, brokerPort, p, server);
            kafka.awaitReady(Duration.ofSeconds(60));
            LOG.info("Embedded Kafka (KRaft) ready at {} in {} ms", kafka.bootstrapServers(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            return kafka;
        } catch (IOException e) {
            throw new UncheckedIOException("embedded Kafka: could not prepare storage", e);
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
            throw new IllegalStateException("embedded Kafka: storage format failed (exit " + rc + "): " + buf.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = new IllegalStateException(e);
                sleep(100);
            }
        }
        throw new IllegalStateException("embedded Kafka: not ready after " + timeout.toSeconds() + " s", last);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
    }

    /** Creates topics (replication factor 1) and waits until they exist. */
    public void createTopics(int partitions, String... names) {
        try (Admin admin = admin()) {
            List<NewTopic> topics = Stream.of(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList();
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("embedded Kafka: could not create topics " + List.of(names), e);
        }
    }

    /**
     * Stops the node as a crashed or restarting broker would, keeping its logs and metadata;
     * {@link #restart()} brings the same node back on the same port (failure tests).
     */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
            LOG.info("Embedded Kafka at {} stopped (data kept)", bootstrapServers());
        }
    }

    /** Starts the node stopped by {@link #stop()} again, from its kept data; returns once it accepts admin requests. */
    public synchronized void restart() {
        if (server != null) {
            throw new IllegalStateException("embedded Kafka at " + bootstrapServers() + ": restart expected a stopped node, actual running");
        }
        long t0 = System.nanoTime();
        server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        server.startup();
        awaitReady(Duration.ofSeconds(60));
        LOG.info("Embedded Kafka at {} restarted in {} ms", bootstrapServers(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    @Override
    public synchronized void close() {
        try {
            stop();
        } finally {
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            LOG.warn("embedded Kafka: could not delete {}: {}", dir, e.toString());
        }
    }

    /**
     * {@code n} distinct free ports. All sockets stay open until every port is chosen: ports asked for one at a
     * time can come back equal, since the first is free again once its probe socket closes.
     */
    public static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0);
                sockets[i].setReuseAddress(true);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }
}
