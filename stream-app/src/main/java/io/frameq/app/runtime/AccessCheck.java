package io.frameq.app.runtime;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On a cluster that enforces ACLs, names at start the permissions this instance's principal lacks on the
 * topics it reads and writes and on its consumer group, instead of letting a stream thread die of an
 * authorization error, be replaced and die again. It asks the brokers which operations the principal may
 * perform ({@code includeAuthorizedOperations}), which needs no permission beyond the ones checked.
 * A topic that does not exist is left to {@link TopicCheck}; anything else unexpected only logs a warning.
 */
final class AccessCheck {

    private static final Logger LOG = LoggerFactory.getLogger(AccessCheck.class);
    private static final long TIMEOUT_SECONDS = 15;

    private AccessCheck() {
    }

    /**
     * @throws IllegalStateException listing every missing permission (topic or group, name, operation)
     */
    static void check(Properties streamsProps, String group, Collection<String> outputs, Collection<String> inputs) {
        List<String> missing = new ArrayList<>();
        try (Admin admin = Admin.create(AdminProperties.from(streamsProps))) {
            Set<String> all = new TreeSet<>(outputs);
            all.addAll(inputs);
            all.removeIf(t -> t == null || t.isBlank());
            Map<String, KafkaFuture<TopicDescription>> topics = admin.describeTopics(all,
                    new DescribeTopicsOptions().includeAuthorizedOperations(true)).topicNameValues();
            for (String t : all) {
                Set<AclOperation> ops = topicOperations(topics.get(t), t, missing);
                if (ops == null) {
                    continue;
                }
                if (outputs.contains(t) && !allows(ops, AclOperation.WRITE)) {
                    missing.add("WRITE on topic '" + t + "'");
                }
                if (inputs.contains(t) && !allows(ops, AclOperation.READ)) {
                    missing.add("READ on topic '" + t + "'");
                }
            }
            Set<AclOperation> groupOps = groupOperations(admin, group, missing);
            if (groupOps != null && !allows(groupOps, AclOperation.READ)) {
                missing.add("READ on group '" + group + "'");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.warn("could not check this principal's permissions ({}: {}); going on", e.getClass().getSimpleName(), e.getMessage());
            return;
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("not authorized: this principal lacks " + String.join(", ", missing)
                    + ". Grant the ACLs listed in deploy/SECURITY.md to the application's principal.");
        }
    }

    /** The topic's authorized operations; null when unknown or the topic does not exist (DESCRIBE missing is recorded). */
    private static Set<AclOperation> topicOperations(KafkaFuture<TopicDescription> f, String topic, List<String> missing)
            throws InterruptedException {
        try {
            return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS).authorizedOperations();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicAuthorizationException) {
                missing.add("DESCRIBE on topic '" + topic + "'");
            }
            return null; // not there (TopicCheck says so) or not answerable now
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        }
    }

    private static Set<AclOperation> groupOperations(Admin admin, String group, List<String> missing) throws InterruptedException {
        try {
            return admin.describeConsumerGroups(List.of(group), new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
                    .describedGroups().get(group).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).authorizedOperations();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupAuthorizationException) {
                missing.add("READ on group '" + group + "'");
            }
            return null; // e.g. a group that does not exist yet, on brokers that say so
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        }
    }

    /** Null (the broker did not say) allows everything: only a definite answer stops the start. */
    private static boolean allows(Set<AclOperation> ops, AclOperation op) {
        return ops == null || ops.contains(op) || ops.contains(AclOperation.ALL);
    }
}
