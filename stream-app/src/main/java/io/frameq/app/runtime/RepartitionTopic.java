package io.frameq.app.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure the full-reference rendition repartition topic exists with the partition count of the
 * origin topics: renditions re-keyed by origin id must land in the partition (and so the task) that
 * holds their origin's frames. A missing topic is created (broker default replication); an existing
 * one with another partition count is an error naming both counts, because the join would silently
 * never pair.
 */
final class RepartitionTopic {

    private static final Logger LOG = LoggerFactory.getLogger(RepartitionTopic.class);

    private RepartitionTopic() {}

    static void ensure(Properties streamsProps, List<String> originTopics, String topic) {
        Properties p = AdminProperties.from(streamsProps);
        try (Admin admin = Admin.create(p)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<String> present = originTopics.stream().filter(existing::contains).toList();
            if (present.isEmpty()) {
                LOG.warn("fr: none of the origin topics {} exists yet; not creating {} (create it with their partition count)",
                        originTopics, topic);
                return;
            }
            List<String> names = new ArrayList<>(present);
            if (existing.contains(topic)) {
                names.add(topic);
            }
            Map<String, TopicDescription> d = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            int partitions = present.stream().mapToInt(t -> d.get(t).partitions().size()).max().orElseThrow();
            if (existing.contains(topic)) {
                int actual = d.get(topic).partitions().size();
                if (actual != partitions) {
                    throw new IllegalStateException("fr.rendition.repartition.topic '" + topic + "': expected " + partitions
                            + " partitions (as the origin topics " + present + "), actual " + actual);
                }
                return;
            }
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty()))).all()
                    .get(30, TimeUnit.SECONDS);
            LOG.info("fr: created rendition repartition topic {} with {} partitions", topic, partitions);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("fr.rendition.repartition.topic '" + topic + "': cannot check or create it: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking " + topic, e);
        }
    }
}
