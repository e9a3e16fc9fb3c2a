package io.frameq.app.runtime;

import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Answers "can this instance reach its brokers?" for {@code /readyz}. Kafka Streams stays
 * RUNNING for a while when brokers vanish, so readiness asks the cluster itself, at most once per
 * {@link #CACHE_MILLIS} so that frequent probes cost nothing.
 */
final class BrokerProbe implements AutoCloseable {

    private static final long CACHE_MILLIS = 5_000;

    private final Admin admin;
    private long checkedAt;
    private String lastProblem = "not checked yet";

    BrokerProbe(Properties streamsProps) {
        Properties p = AdminProperties.from(streamsProps);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        admin = Admin.create(p);
    }

    /** Null when a broker answered recently, else what went wrong. */
    synchronized String problem() {
        long now = System.currentTimeMillis();
        if (now - checkedAt < CACHE_MILLIS) {
            return lastProblem;
        }
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(2500)).nodes().get(3, TimeUnit.SECONDS).size();
            lastProblem = nodes > 0 ? null : "cluster reports no brokers";
        } catch (Exception e) {
            lastProblem = "brokers unreachable (" + e.getClass().getSimpleName() + ")";
        }
        checkedAt = System.currentTimeMillis();
        return lastProblem;
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(2));
    }

}
