package io.frameq.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Bridges selected Kafka client metrics ({@code KafkaStreams.metrics()}: the stream threads, their
 * consumers and producers) into a {@link PrometheusRegistry}, read on every scrape.
 *
 * <p>Naming: {@code kafka_streams_<group>_<name>} with the group's {@code -metrics} suffix dropped
 * and every other character outside {@code [a-zA-Z0-9_]} turned into {@code _}, e.g.
 * {@code records-lag-max} of {@code consumer-fetch-manager-metrics} becomes
 * {@code kafka_streams_consumer_fetch_manager_records_lag_max}. Kafka's cumulative
 * {@code *-total} metrics become counters (exposed with {@code _total}), everything else gauges.
 *
 * <p>Cardinality is bounded: only the metrics in {@link #DEFAULT_METRICS} (or the given allow-list)
 * are exported, and only with the tags {@code client-id}, {@code thread-id} and {@code task-id}
 * (as {@code client_id}, {@code thread_id}, {@code task_id}); per-partition and per-topic variants
 * (any other tag, e.g. {@code topic}, {@code partition}, {@code node-id}) are left out, and so are
 * samples that are not finite (Kafka reports NaN for "no sample in the window").
 */
public final class KafkaClientMetrics implements MultiCollector {

    /** Prefix of every exported name. */
    public static final String PREFIX = "kafka_streams_";

    /** {@code group/name} pairs exported by default. */
    public static final Set<String> DEFAULT_METRICS = Set.of(
            // consumer: lag and fetching (client-level aggregate over the assigned partitions)
            "consumer-fetch-manager-metrics/records-lag-max",
            "consumer-fetch-manager-metrics/records-lead-min",
            "consumer-fetch-manager-metrics/records-consumed-rate",
            "consumer-fetch-manager-metrics/fetch-rate",
            "consumer-fetch-manager-metrics/fetch-latency-avg",
            // consumer: poll loop health and rebalances
            "consumer-metrics/last-poll-seconds-ago",
            "consumer-metrics/poll-idle-ratio-avg",
            "consumer-metrics/time-between-poll-max",
            "consumer-coordinator-metrics/rebalance-total",
            "consumer-coordinator-metrics/failed-rebalance-total",
            "consumer-coordinator-metrics/last-rebalance-seconds-ago",
            "consumer-coordinator-metrics/assigned-partitions",
            // stream threads (INFO recording level)
            "stream-thread-metrics/process-rate",
            "stream-thread-metrics/process-total",
            "stream-thread-metrics/process-latency-avg",
            "stream-thread-metrics/process-latency-max",
            "stream-thread-metrics/poll-rate",
            "stream-thread-metrics/poll-latency-avg",
            "stream-thread-metrics/commit-rate",
            "stream-thread-metrics/commit-latency-avg",
            "stream-thread-metrics/commit-latency-max",
            "stream-thread-metrics/process-ratio",
            "stream-thread-metrics/poll-ratio",
            "stream-thread-metrics/commit-ratio",
            "stream-thread-metrics/task-created-total",
            "stream-thread-metrics/task-closed-total",
            // tasks (INFO level ones)
            "stream-task-metrics/dropped-records-total",
            // the Kafka Streams client
            "stream-metrics/alive-stream-threads",
            "stream-metrics/failed-stream-threads",
            // producers (score events, DLQ records, changelogs)
            "producer-metrics/record-send-rate",
            "producer-metrics/record-error-total",
            "producer-metrics/request-latency-avg");

    /** Kafka tag name to Prometheus label name; metrics with any other tag are not exported. */
    private static final Map<String, String> TAGS = Map.of(
            "client-id", "client_id",
            "thread-id", "thread_id",
            "task-id", "task_id");

    private final Supplier<? extends Map<MetricName, ? extends Metric>> source;
    private final Set<String> allowed;

    public KafkaClientMetrics(Supplier<? extends Map<MetricName, ? extends Metric>> source) {
        this(source, DEFAULT_METRICS);
    }

    public KafkaClientMetrics(Supplier<? extends Map<MetricName, ? extends Metric>> source, Set<String> allowed) {
        this.source = source;
        this.allowed = Set.copyOf(allowed);
    }

    /** Registers a collector reading {@code source} on every scrape. */
    public static KafkaClientMetrics register(PrometheusRegistry registry,
            Supplier<? extends Map<MetricName, ? extends Metric>> source) {
        KafkaClientMetrics collector = new KafkaClientMetrics(source);
        registry.register(collector);
        return collector;
    }

    /** The Prometheus name of a Kafka metric, without the {@code _total} of counters. */
    public static String prometheusName(String group, String name) {
        String g = group.endsWith("-metrics") ? group.substring(0, group.length() - "-metrics".length()) : group;
        String n = name.endsWith("-total") ? name.substring(0, name.length() - "-total".length()) : name;
        return sanitize(PREFIX + g + "_" + n);
    }

    static String sanitize(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
            b.append(ok ? c : '_');
        }
        return b.toString().replaceAll("_+", "_").toLowerCase(Locale.ROOT);
    }

    @Override
    public MetricSnapshots collect() {
        Map<MetricName, ? extends Metric> metrics;
        try {
            metrics = source.get();
        } catch (RuntimeException e) {
            return MetricSnapshots.of(); // client closed or not created: export nothing rather than fail the scrape
        }
        if (metrics == null) {
            return MetricSnapshots.of();
        }
        // name -> (labels -> value); TreeMap for a stable exposition order.
        Map<String, Family> families = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            MetricName mn = e.getKey();
            if (!allowed.contains(mn.group() + "/" + mn.name())) {
                continue;
            }
            Labels labels = labels(mn.tags());
            if (labels == null) {
                continue;
            }
            Object v;
            try {
                v = e.getValue().metricValue();
            } catch (RuntimeException ex) {
                continue;
            }
            if (!(v instanceof Number num) || !Double.isFinite(num.doubleValue())) {
                continue;
            }
            String name = prometheusName(mn.group(), mn.name());
            boolean counter = mn.name().endsWith("-total");
            Family f = families.computeIfAbsent(name, k -> new Family(counter, mn.description()));
            if (f.counter == counter) {
                f.points.putIfAbsent(labels, num.doubleValue());
            }
        }
        List<MetricSnapshot> out = new ArrayList<>(families.size());
        families.forEach((name, f) -> out.add(f.snapshot(name)));
        return new MetricSnapshots(out);
    }

    /** Prometheus labels for Kafka tags, or null when a tag would make the series unbounded. */
    private static Labels labels(Map<String, String> tags) {
        List<String> names = new ArrayList<>(tags.size());
        List<String> values = new ArrayList<>(tags.size());
        for (Map.Entry<String, String> t : new TreeMap<>(tags).entrySet()) {
            String label = TAGS.get(t.getKey());
            if (label == null) {
                return null;
            }
            names.add(label);
            values.add(t.getValue() == null ? "" : t.getValue());
        }
        return Labels.of(names, values);
    }

    private static final class Family {
        final boolean counter;
        final String help;
        final Map<Labels, Double> points = new LinkedHashMap<>();

        Family(boolean counter, String description) {
            this.counter = counter;
            String d = description == null || description.isBlank() ? "Kafka client metric" : description;
            this.help = d + " (Kafka client metric)";
        }

        MetricSnapshot snapshot(String name) {
            if (counter) {
                CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
                points.forEach((l, v) -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(l).value(Math.max(0, v)).build()));
                return b.build();
            }
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
            points.forEach((l, v) -> b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(l).value(v).build()));
            return b.build();
        }
    }
}
