package io.frameq.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;

import org.junit.jupiter.api.Test;

/**
 * The Prometheus binding of the metrics port keeps the exported families and labels that dashboards
 * and alert rules use: a rename here is a breaking change for every deployment. (Label names are
 * listed as the registry reports them, sorted.)
 */
class PrometheusMetricsTest {

    @Test
    void registersEveryFamilyWithItsLabels() {
        PrometheusRegistry registry = new PrometheusRegistry();
        PrometheusMetrics metrics = new PrometheusMetrics(registry, 10);
        RestoreMetrics restore = new PrometheusRestoreMetrics(registry, metrics);
        metrics.frameScored("cam-1", "e-1", "maniqa-lite", 0.7, false, 0.02);
        metrics.frameShed("cam-1");
        metrics.modelSkipped("cam-1", "sampled_out");
        metrics.lastFrame("cam-1", 1_700_000_000_000L);
        metrics.degradation("cam-1", "blur");
        metrics.detectorReadings("cam-1", Map.of("sharpness", 0.4));
        metrics.deadLetter(null, "corrupt", "decode");
        metrics.alert("quality", "open");
        metrics.stage("decode", "-", 1_000_000);
        metrics.batch("maniqa-lite", 5);
        metrics.modelLoaded("maniqa-lite", 4, "nr", true, "cpu", "fp32");
        metrics.fr().pairScored("movie@720p", "vtamiq-lite", 0.8, 38, 0.95, 0.97, 0.1);
        metrics.fr().unmatched("origin", "expired");
        restore.restored("mirnet-v2-lite", 1_000_000, 0.05);
        restore.overBudget("cam-1", "mirnet-v2-lite", "frames");

        Set<String> families = new TreeSet<>();
        for (MetricSnapshot m : registry.scrape()) {
            families.add(m.getMetadata().getName() + labelNames(m));
        }
        assertThat(families).containsExactlyInAnyOrder(
                "frameq_frames[outcome, stream]",
                "frameq_degradations[stream, type]",
                "frameq_dlq[reason, stage]",
                "frameq_frames_shed[stream]",
                "frameq_model_skipped[reason, stream]",
                "frameq_alerts[kind, state]",
                "frameq_quality_score[model, stream]",
                "frameq_stage_duration_seconds[model, stage]",
                "frameq_end_to_end_latency_seconds[]",
                "frameq_batch_size[model]",
                "frameq_last_frame_timestamp_seconds[stream]",
                "frameq_detector_value[detector, stream]",
                "frameq_model[family, model, precision, provider, trained, version]",
                "frameq_fr_quality_score[model, stream]",
                "frameq_fr_similarity[metric, stream]",
                "frameq_fr_psnr_decibels[stream]",
                "frameq_fr_pairs[stream]",
                "frameq_fr_unmatched[reason, side]",
                "frameq_fr_join_wait_seconds[]",
                "frameq_restorations[model, result]",
                "frameq_restore_over_budget[budget, stream]",
                "frameq_restoration_gain[model]");
    }

    @Test
    void unkeyedDeadLettersCountUnderTheirOwnStreamLabel() {
        PrometheusRegistry registry = new PrometheusRegistry();
        new PrometheusMetrics(registry, 10).deadLetter(null, "corrupt", "decode");
        CounterSnapshot frames = (CounterSnapshot) registry.scrape().stream()
                .filter(m -> m.getMetadata().getName().equals("frameq_frames")).findFirst().orElseThrow();
        assertThat(frames.getDataPoints()).singleElement().satisfies(p -> {
            assertThat(p.getLabels().get("stream")).isEqualTo("_unkeyed");
            assertThat(p.getLabels().get("outcome")).isEqualTo("dlq");
        });
    }

    @Test
    void aRetiredStreamLosesEverySeriesAndFreesItsLabelSlot() {
        PrometheusRegistry registry = new PrometheusRegistry();
        PrometheusMetrics metrics = new PrometheusMetrics(registry, 2);
        RestoreMetrics restore = new PrometheusRestoreMetrics(registry, metrics);
        for (String cam : java.util.List.of("cam-gone", "cam-live")) {
            metrics.frameScored(cam, "e-" + cam, "maniqa-lite", 0.7, false, 0.02);
            metrics.frameShed(cam);
            metrics.lastFrame(cam, 1_700_000_000_000L);
            metrics.degradation(cam, "blur");
            metrics.detectorReadings(cam, Map.of("sharpness", 0.4));
            metrics.deadLetter(cam, "corrupt", "decode");
            restore.overBudget(cam, "mirnet-v2-lite", "frames");
        }
        assertThat(streamsIn(registry)).containsExactlyInAnyOrder("cam-gone", "cam-live");

        metrics.streamRetired("cam-gone");

        assertThat(streamsIn(registry)).as("stream label values left after cam-gone retired").containsExactly("cam-live");
        assertThat(metrics.streamLabel("cam-new")).as("the freed slot (cap 2) goes to the next new stream").isEqualTo("cam-new");
        assertThat(metrics.streamLabel("cam-later")).as("cap reached again").isEqualTo(StreamLabels.OVERFLOW);
        metrics.streamRetired("cam-later");
        assertThat(metrics.streamLabel("cam-later2")).as("retiring an overflow stream frees no named slot")
                .isEqualTo(StreamLabels.OVERFLOW);
        metrics.frameScored("cam-gone", null, "maniqa-lite", 0.5, false, -1);
        assertThat(metrics.streamLabel("cam-gone")).as("a returning stream is a new stream").isEqualTo(StreamLabels.OVERFLOW);
    }

    /** Every value of a {@code stream} label in the registry's series. */
    private static Set<String> streamsIn(PrometheusRegistry registry) {
        Set<String> streams = new TreeSet<>();
        for (MetricSnapshot m : registry.scrape()) {
            for (var p : m.getDataPoints()) {
                String s = p.getLabels().get("stream");
                if (s != null) {
                    streams.add(s);
                }
            }
        }
        return streams;
    }

    private static String labelNames(MetricSnapshot m) {
        if (m.getDataPoints().isEmpty()) {
            return "[?]";
        }
        var labels = m.getDataPoints().get(0).getLabels();
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            names.add(labels.getName(i));
        }
        return names.toString();
    }
}
