package io.frameq.app.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names the topics FrameQ needs that do not exist, at start, before a missing output topic turns into
 * producer time-outs deep in a stream thread or a missing input topic into Kafka Streams' error state.
 *
 * <p>Missing topics stop the start when the broker will not create them (its {@code auto.create.topics.enable}
 * is false, as in the Compose stack and most production clusters): the message lists them all. When the broker
 * creates topics, or its setting cannot be read (a principal without DescribeConfigs on the cluster), they are
 * named in a warning. A broker that cannot be reached is left to Kafka Streams' own retries.
 */
final class TopicCheck {

    private static final Logger LOG = LoggerFactory.getLogger(TopicCheck.class);
    private static final long TIMEOUT_SECONDS = 15;

    private TopicCheck() {
    }

    /**
     * @param streamsProps the app's Kafka properties (security settings included)
     * @param outputs      topics the app writes
     * @param inputs       topics the app reads by name (a pattern subscription is not checked)
     * @throws IllegalStateException naming the missing topics when the broker will not create them
     */
    static void check(Properties streamsProps, Collection<String> outputs, Collection<String> inputs) {
        Properties p = AdminProperties.from(streamsProps);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            List<String> missing = new ArrayList<>();
            missingOf(outputs, existing, "written", missing);
            missingOf(inputs, existing, "read", missing);
            if (missing.isEmpty()) {
                return;
            }
            Boolean autoCreate = autoCreate(admin);
            String list = String.join(", ", missing);
            if (Boolean.FALSE.equals(autoCreate)) {
                throw new IllegalStateException("topics missing, and the broker does not create topics "
                        + "(auto.create.topics.enable=false): " + list + ". Create them first (see deploy/README.md).");
            }
            LOG.warn("topics missing: {}; {}", list, autoCreate == null
                    ? "the broker's auto.create.topics.enable could not be read: create them if it is off"
                    : "the broker will create them with its default partitions and replication");
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            LOG.warn("could not check that the topics exist ({}: {}); going on", e.getClass().getSimpleName(), e.getMessage());
        }
    }

    private static void missingOf(Collection<String> topics, Set<String> existing, String use, List<String> missing) {
        for (String t : new TreeSet<>(topics)) {
            if (t != null && !t.isBlank() && !existing.contains(t)) {
                missing.add(t + " (" + use + ")");
            }
        }
    }

    /** The broker's auto.create.topics.enable, or null when it cannot be read. */
    private static Boolean autoCreate(Admin admin) {
        try {
            Collection<Node> nodes = admin.describeCluster().nodes().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (nodes.isEmpty()) {
                return null;
            }
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, nodes.iterator().next().idString());
            Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(broker)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            ConfigEntry e = configs.get(broker).get("auto.create.topics.enable");
            return e == null || e.value() == null ? null : Boolean.parseBoolean(e.value());
        } catch (Exception e) {
            return null;
        }
    }
}
