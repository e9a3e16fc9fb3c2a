package io.frameq.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Rate;
import org.junit.jupiter.api.Test;

class KafkaClientMetricsTest {

    @Test
    void namesAreSanitizedAndCountersLoseTheirTotalSuffix() {
        assertThat(KafkaClientMetrics.prometheusName("consumer-fetch-manager-metrics", "records-lag-max"))
                .isEqualTo("kafka_streams_consumer_fetch_manager_records_lag_max");
        assertThat(KafkaClientMetrics.prometheusName("stream-thread-metrics", "process-total"))
                .isEqualTo("kafka_streams_stream_thread_process");
        assertThat(KafkaClientMetrics.prometheusName("stream-thread-metrics", "commit-latency-avg"))
                .isEqualTo("kafka_streams_stream_thread_commit_latency_avg");
    }

    @Test
    void exportsAllowedMetricsWithBoundedLabels() throws IOException {
        try (Metrics metrics = new Metrics()) {
            Sensor lag = metrics.sensor("lag");
            lag.add(metrics.metricName("records-lag-max", "consumer-fetch-manager-metrics", "", Map.of("client-id", "c-1")), new Max());
            // a per-partition variant: must not be exported (unbounded)
            lag.add(metrics.metricName("records-lag-max", "consumer-fetch-manager-metrics", "",
                    Map.of("client-id", "c-1", "topic", "t", "partition", "0")), new Max());
            lag.record(42);
            Sensor process = metrics.sensor("process");
            process.add(metrics.metricName("process-rate", "stream-thread-metrics", "records/s", Map.of("thread-id", "t-1")), new Rate());
            process.add(metrics.metricName("process-total", "stream-thread-metrics", "records", Map.of("thread-id", "t-1")),
                    new CumulativeSum());
            process.record(3);
            // not allowed: ignored
            Sensor other = metrics.sensor("other");
            other.add(metrics.metricName("bytes-consumed-rate", "consumer-fetch-manager-metrics", "", Map.of("client-id", "c-1")), new Rate());
            // a Max without samples is NaN: left out
            Sensor empty = metrics.sensor("empty");
            empty.add(metrics.metricName("commit-latency-avg", "stream-thread-metrics", "", Map.of("thread-id", "t-1")), new Max());

            PrometheusRegistry registry = new PrometheusRegistry();
            KafkaClientMetrics.register(registry, metrics::metrics);
            String text = scrape(registry);

            assertThat(text).contains("kafka_streams_consumer_fetch_manager_records_lag_max{client_id=\"c-1\"} 42.0");
            assertThat(text).containsPattern("kafka_streams_stream_thread_process_rate\\{thread_id=\"t-1\"\\} [0-9.E-]+");
            assertThat(text).contains("# TYPE kafka_streams_stream_thread_process counter")
                    .contains("kafka_streams_stream_thread_process_total{thread_id=\"t-1\"} 3.0");
            assertThat(text).doesNotContain("partition=").doesNotContain("bytes_consumed").doesNotContain("commit_latency_avg");
        }
    }

    @Test
    void aFailingSourceExportsNothing() throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        KafkaClientMetrics.register(registry, () -> {
            throw new IllegalStateException("closed");
        });
        assertThat(scrape(registry)).doesNotContain("kafka_streams_");
    }

    /** A minimal text rendering: "# TYPE name type" and "name{labels} value" lines (counters with _total). */
    private static String scrape(PrometheusRegistry registry) throws IOException {
        StringBuilder b = new StringBuilder();
        for (MetricSnapshot m : registry.scrape()) {
            String name = m.getMetadata().getPrometheusName();
            boolean counter = m instanceof CounterSnapshot;
            b.append("# TYPE ").append(name).append(counter ? " counter" : " gauge").append('\n');
            for (DataPointSnapshot p : m.getDataPoints()) {
                double v = p instanceof CounterSnapshot.CounterDataPointSnapshot c ? c.getValue()
                        : ((GaugeSnapshot.GaugeDataPointSnapshot) p).getValue();
                String labels = p.getLabels().stream().map(l -> l.getName() + "=\"" + l.getValue() + "\"")
                        .collect(Collectors.joining(","));
                b.append(name).append(counter ? "_total" : "").append('{').append(labels).append("} ").append(v).append('\n');
            }
        }
        return b.toString();
    }
}
