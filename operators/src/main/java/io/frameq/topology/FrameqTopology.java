package io.frameq.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import io.frameq.alert.AlertPolicy;
import io.frameq.api.FrameqNames;
import io.frameq.api.FrameqOperators;
import io.frameq.api.FrameqTopics;
import io.frameq.api.FullReferenceModel;
import io.frameq.baseline.BaselineSettings;
import io.frameq.detect.DetectorSuite;
import io.frameq.frame.FrameDecoders;
import io.frameq.join.JoinPolicy;
import io.frameq.join.OriginResolver;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.processor.FrJoinProcessor;
import io.frameq.processor.RestoreSettings;
import io.frameq.deadline.FrameDeadlines;
import io.frameq.processor.VerdictPolicy;
import io.frameq.quality.FrScorer;
import io.frameq.quality.FrameScorer;
import io.frameq.metrics.RestoreMetrics;
import io.frameq.route.RoutePolicy;
import io.frameq.verdict.HysteresisPolicy;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;

/**
 * Assembles FrameQ's no-reference monitoring topology from services the caller owns (decoders,
 * detectors, scorer, metrics are shared by all stream threads and closed by the caller):
 *
 * <pre>
 * frames-source → decode → detect → score-nr → scores-sink
 *                   │        │         └────→ alerts → alerts-sink
 *                   └────────┴─────────┴────→ dlq-sink
 * </pre>
 *
 * {@code alerts} keeps per-stream windows and incident state in the changelogged store
 * {@value #ALERTS_STORE} and publishes one event per incident transition (see {@link AlertPolicy}).
 *
 * <p>With {@link Builder#fullReference(FullReference)} (off by default) a full-reference
 * sub-topology is added beside it:
 *
 * <pre>
 * fr-rendition-source → fr-route → fr-rendition-repartition-sink ⇢ (repartition topic, keyed by origin id)
 * fr-rendition-by-origin-source → fr-decode-rendition ─┐
 * fr-origin-source → fr-decode-origin ─────────────────┴→ fr-join → fr-score → fr-scores-sink
 *                                                           └────────────────→ fr-scores-sink (unmatched)
 *           fr-route, fr-decode-*, fr-join, fr-score ──────────────────────→ fr-dlq-sink
 * </pre>
 *
 * {@code fr-join} buffers each side as encoded bytes in the changelogged stores
 * {@value #FR_ORIGIN_STORE} and {@value #FR_RENDITION_STORE} (see {@link FrJoinProcessor}).
 *
 * <p>{@code score-nr} keeps each stream's verdict with hysteresis in the changelogged store
 * {@value #VERDICT_STORE} ({@link HysteresisPolicy}) and routes degraded frames ({@link RoutePolicy}).
 * With {@link Builder#restore} set, a branch {@code score-nr → restore → restored-sink} restores
 * the frames routed to a restorer, within each stream's budget (failures go to {@code dlq-sink}).
 *
 * Every node is named, so the topology description and metrics are stable across releases.
 *
 * <p>The no-reference chain and the full-reference sub-topology are the embedding API's
 * ({@link FrameqOperators#addTo}, {@link FrameqOperators#addFullReferenceTo}): this class adds the
 * source, the app's topic names and validation, so the app runs the same code an embedding does.
 */
public final class FrameqTopology {

    public static final String SOURCE = "frames-source";
    public static final String DECODE = FrameqNames.DECODE;
    public static final String DETECT = FrameqNames.DETECT;
    public static final String SCORE = FrameqNames.SCORE;
    public static final String SCORES_SINK = FrameqNames.SCORES_SINK;
    public static final String DLQ_SINK = FrameqNames.DLQ_SINK;
    public static final String THUMBNAIL_STORE = FrameqNames.THUMBNAIL_STORE;
    /** Each stream's learnt normal ({@link io.frameq.baseline.StreamBaseline}), changelogged. */
    public static final String BASELINE_STORE = FrameqNames.BASELINE_STORE;
    public static final String ALERTS = FrameqNames.ALERTS;
    public static final String ALERTS_SINK = FrameqNames.ALERTS_SINK;
    public static final String ALERTS_STORE = FrameqNames.ALERTS_STORE;
    public static final String FR_ORIGIN_SOURCE = FrameqNames.FR_ORIGIN_SOURCE;
    public static final String FR_DECODE_ORIGIN = FrameqNames.FR_DECODE_ORIGIN;
    public static final String FR_RENDITION_SOURCE = FrameqNames.FR_RENDITION_SOURCE;
    public static final String FR_ROUTE = FrameqNames.FR_ROUTE;
    public static final String FR_REPARTITION_SINK = FrameqNames.FR_REPARTITION_SINK;
    public static final String FR_REPARTITION_SOURCE = FrameqNames.FR_REPARTITION_SOURCE;
    public static final String FR_DECODE_RENDITION = FrameqNames.FR_DECODE_RENDITION;
    public static final String FR_JOIN = FrameqNames.FR_JOIN;
    public static final String FR_SCORE = FrameqNames.FR_SCORE;
    public static final String FR_SCORES_SINK = FrameqNames.FR_SCORES_SINK;
    public static final String FR_DLQ_SINK = FrameqNames.FR_DLQ_SINK;
    public static final String FR_ORIGIN_STORE = FrameqNames.FR_ORIGIN_STORE;
    public static final String FR_RENDITION_STORE = FrameqNames.FR_RENDITION_STORE;

    /**
     * The full-reference sub-topology's settings.
     *
     * @param originTopics topics of origin (reference) frames, keyed by origin stream id
     * @param renditionTopics topics of rendition frames, keyed by rendition id; each names its origin
     *     (see {@link OriginResolver})
     * @param repartitionTopic topic the renditions are re-keyed through by origin id; it must exist
     *     with the partition count of the origin topics (co-partitioning)
     * @param policy join window, grace, match key and buffer bound
     * @param resolver how a rendition names its origin
     * @param scorer the full-reference model, owned by the caller
     */
    public record FullReference(List<String> originTopics, List<String> renditionTopics, String repartitionTopic,
                                JoinPolicy policy, OriginResolver resolver, FrScorer scorer) {
        public FullReference {
            originTopics = List.copyOf(originTopics);
            renditionTopics = List.copyOf(renditionTopics);
        }
    }
    public static final String VERDICT_STORE = FrameqNames.VERDICT_STORE;
    public static final String RESTORE = FrameqNames.RESTORE;
    public static final String RESTORED_SINK = FrameqNames.RESTORED_SINK;

    private FrameqTopology() {}

    public static Builder builder() {
        return new Builder();
    }

    /** Builder; {@link #build()} validates and names every missing or conflicting setting at once. */
    public static final class Builder {
        private List<String> inputTopics = List.of();
        private Pattern inputPattern;
        private String scoresTopic = "frameq.scores";
        private String dlqTopic = "frameq.dlq";
        private String alertsTopic = "frameq.alerts";
        private AlertPolicy alertPolicy = AlertPolicy.DEFAULTS;
        private long retireAfterMs = io.frameq.alert.StreamRetirement.DEFAULT_AFTER_MS;
        private FrameDecoders decoders;
        private DetectorSuite detectors;
        private BaselineSettings baseline = BaselineSettings.DEFAULTS;
        private FrameScorer scorer;
        private FrameqMetrics metrics = FrameqMetrics.none();
        private VerdictPolicy verdicts = new VerdictPolicy(0.45);
        private long shedMaxLagMs;
        private io.frameq.scoring.ModelSamplingPolicy sampling = io.frameq.scoring.ModelSamplingPolicy.EVERY_FRAME;
        private io.frameq.scoring.ModelBudget modelBudget = io.frameq.scoring.ModelBudget.unlimited();
        private int reducedDecodeMinWidth;
        private FrameDeadlines deadlines = FrameDeadlines.NONE;
        private FullReference fullReference;
        private HysteresisPolicy hysteresis = HysteresisPolicy.DEFAULTS;
        private RoutePolicy routes = RoutePolicy.DEFAULTS;
        private RestoreSettings restore;
        private RestoreMetrics restoreMetrics = RestoreMetrics.none();
        private String restoredTopic = "frameq.restored";

        public Builder inputTopics(List<String> topics) {
            this.inputTopics = List.copyOf(topics);
            return this;
        }

        public Builder inputPattern(Pattern pattern) {
            this.inputPattern = pattern;
            return this;
        }

        public Builder scoresTopic(String topic) {
            this.scoresTopic = topic;
            return this;
        }

        public Builder dlqTopic(String topic) {
            this.dlqTopic = topic;
            return this;
        }

        public Builder alertsTopic(String topic) {
            this.alertsTopic = topic;
            return this;
        }

        public Builder alerts(AlertPolicy policy) {
            this.alertPolicy = policy;
            return this;
        }

        /** Wall-clock silence after which a stream's state and metric series are dropped; 0 never (default a day). */
        public Builder retireAfterMs(long retireAfterMs) {
            this.retireAfterMs = retireAfterMs;
            return this;
        }

        public Builder decoders(FrameDecoders decoders) {
            this.decoders = decoders;
            return this;
        }

        /** How each stream learns its normal (optional; {@link BaselineSettings#DEFAULTS}). */
        public Builder baseline(BaselineSettings baseline) {
            this.baseline = java.util.Objects.requireNonNull(baseline, "baseline");
            return this;
        }

        public Builder detectors(DetectorSuite detectors) {
            this.detectors = detectors;
            return this;
        }

        public Builder scorer(FrameScorer scorer) {
            this.scorer = scorer;
            return this;
        }

        /** Where the operators report (default {@link FrameqMetrics#none()}: nowhere). */
        public Builder metrics(FrameqMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        /**
         * Load shedding: frames whose capture time is more than this many ms old when they reach the
         * score stage skip the model (unless a detector flagged them) and are published with
         * {@code shed: true}; 0 (default) never sheds.
         */
        public Builder shedMaxLagMs(long shedMaxLagMs) {
            if (shedMaxLagMs < 0) {
                throw new IllegalArgumentException("shedMaxLagMs must be >= 0, got " + shedMaxLagMs);
            }
            this.shedMaxLagMs = shedMaxLagMs;
            return this;
        }

        /** Which frames the NR model sees, per stream (default every frame); see {@code io.frameq.scoring.ModelSampler}. */
        public Builder modelSampling(io.frameq.scoring.ModelSamplingPolicy sampling) {
            this.sampling = java.util.Objects.requireNonNull(sampling, "sampling");
            return this;
        }

        /** The instance's model runs per second over all streams (default none); see {@code io.frameq.scoring.ModelBudget}. */
        public Builder modelBudget(io.frameq.scoring.ModelBudget modelBudget) {
            this.modelBudget = java.util.Objects.requireNonNull(modelBudget, "modelBudget");
            return this;
        }

        /** JPEGs shrunk for the detectors to no less than this width, full size only for the model; 0 (default) = off. */
        public Builder reducedDecodeMinWidth(int minWidth) {
            this.reducedDecodeMinWidth = minWidth;
            return this;
        }

        /** Per-frame deadlines of decode, model and restoration (default none); see {@link FrameqOperators.Builder#optDeadlines}. */
        public Builder deadlines(FrameDeadlines deadlines) {
            this.deadlines = java.util.Objects.requireNonNull(deadlines, "deadlines");
            return this;
        }

        /** Adds the full-reference sub-topology (rendition ⨝ origin, scored with an FR model); null leaves it out. */
        public Builder fullReference(FullReference fullReference) {
            this.fullReference = fullReference;
            return this;
        }

        public Builder verdicts(VerdictPolicy verdicts) {
            this.verdicts = verdicts;
            return this;
        }

        /** Per-stream verdicts with hysteresis (default {@link HysteresisPolicy#DEFAULTS}). */
        public Builder hysteresis(HysteresisPolicy hysteresis) {
            this.hysteresis = hysteresis;
            return this;
        }

        /** Routing of degraded frames (default {@link RoutePolicy#DEFAULTS}). */
        public Builder routes(RoutePolicy routes) {
            this.routes = routes;
            return this;
        }

        /** Turns the restoration branch on (null, the default, leaves it off); it reports to {@link #restoreMetrics}. */
        public Builder restore(RestoreSettings restore) {
            this.restore = restore;
            return this;
        }

        /** Where the restoration branch reports (default {@link RestoreMetrics#none()}: nowhere). */
        public Builder restoreMetrics(RestoreMetrics restoreMetrics) {
            this.restoreMetrics = restoreMetrics;
            return this;
        }

        public Builder restoredTopic(String topic) {
            this.restoredTopic = topic;
            return this;
        }

        void validate() {
            List<String> problems = new ArrayList<>();
            if (inputTopics.isEmpty() == (inputPattern == null)) {
                problems.add("exactly one of inputTopics or inputPattern is required (got "
                        + (inputPattern == null ? "neither" : "both") + ")");
            }
            if (scoresTopic == null || scoresTopic.isBlank()) {
                problems.add("scoresTopic is required");
            }
            if (dlqTopic == null || dlqTopic.isBlank()) {
                problems.add("dlqTopic is required");
            }
            if (alertsTopic == null || alertsTopic.isBlank()) {
                problems.add("alertsTopic is required");
            }
            if (Objects.equals(scoresTopic, dlqTopic)) {
                problems.add("scoresTopic and dlqTopic must differ (both '" + scoresTopic + "')");
            }
            if (Objects.equals(alertsTopic, scoresTopic) || Objects.equals(alertsTopic, dlqTopic)) {
                problems.add("alertsTopic must differ from scoresTopic and dlqTopic (got '" + alertsTopic + "')");
            }
            if (inputTopics.contains(scoresTopic) || inputTopics.contains(dlqTopic) || inputTopics.contains(alertsTopic)
                    || (inputPattern != null && (matches(inputPattern, scoresTopic) || matches(inputPattern, dlqTopic)
                        || matches(inputPattern, alertsTopic)))) {
                problems.add("the input topics must not include the scores, DLQ or alerts topic (that would loop)");
            }
            if (alertPolicy == null) {
                problems.add("alerts policy is required");
            }
            if (decoders == null) {
                problems.add("decoders is required");
            }
            if (detectors == null) {
                problems.add("detectors is required");
            }
            if (scorer == null) {
                problems.add("scorer is required");
            }
            if (metrics == null) {
                problems.add("metrics is required");
            }
            if (verdicts == null) {
                problems.add("verdicts is required");
            }
            if (fullReference != null) {
                validateFullReference(problems);
            }
            if (hysteresis == null) {
                problems.add("hysteresis is required");
            }
            if (routes == null) {
                problems.add("routes is required");
            }
            if (restore != null) {
                if (restoreMetrics == null) {
                    problems.add("restoreMetrics is required when restore is set");
                }
                if (restoredTopic == null || restoredTopic.isBlank()) {
                    problems.add("restoredTopic is required when restore is set");
                } else if (List.of(String.valueOf(scoresTopic), String.valueOf(dlqTopic), String.valueOf(alertsTopic))
                        .contains(restoredTopic)) {
                    problems.add("restoredTopic must differ from the scores, DLQ and alerts topics (got '" + restoredTopic + "')");
                } else if (inputTopics.contains(restoredTopic) || (inputPattern != null && matches(inputPattern, restoredTopic))) {
                    problems.add("the input topics must not include the restored topic (that would loop)");
                }
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("FrameqTopology: " + String.join("; ", problems));
            }
        }

        private void validateFullReference(List<String> problems) {
            FullReference fr = fullReference;
            if (fr.originTopics().isEmpty()) {
                problems.add("fullReference.originTopics: expected at least one topic, actual none");
            }
            if (fr.renditionTopics().isEmpty()) {
                problems.add("fullReference.renditionTopics: expected at least one topic, actual none");
            }
            if (fr.repartitionTopic() == null || fr.repartitionTopic().isBlank()) {
                problems.add("fullReference.repartitionTopic is required");
            }
            if (fr.policy() == null || fr.resolver() == null || fr.scorer() == null) {
                problems.add("fullReference: policy, resolver and scorer are required");
            }
            List<String> all = new ArrayList<>(fr.originTopics());
            all.addAll(fr.renditionTopics());
            all.add(fr.repartitionTopic());
            if (all.stream().distinct().count() != all.size()) {
                problems.add("fullReference: origin, rendition and repartition topics must all differ, got " + all);
            }
            for (String t : all) {
                if (inputTopics.contains(t) || matches(inputPattern, t)) {
                    problems.add("fullReference topic '" + t + "' is also a no-reference input topic (a topic has one reader)");
                }
                if (Objects.equals(t, scoresTopic) || Objects.equals(t, dlqTopic) || Objects.equals(t, alertsTopic)) {
                    problems.add("fullReference topic '" + t + "' must differ from the scores, DLQ and alerts topics (that would loop)");
                }
            }
        }

        private static boolean matches(Pattern p, String topic) {
            return p != null && topic != null && p.matcher(topic).matches();
        }

        /** The no-reference chain as the embedding API has it; this topology is that chain plus a source (and FR). */
        private FrameqOperators operators() {
            return FrameqOperators.builder()
                    .setDecoders(decoders).setDetectors(detectors).setScorer(scorer)
                    .optBaseline(baseline).optMetrics(metrics).optVerdicts(verdicts).optHysteresis(hysteresis).optRoutes(routes)
                    .optShedMaxLagMs(shedMaxLagMs).optModelSampling(sampling).optModelBudget(modelBudget).optReducedDecode(reducedDecodeMinWidth)
                    .optDeadlines(deadlines).optAlerts(alertPolicy).optRetireAfterMs(retireAfterMs).optRestore(restore, restoreMetrics)
                    .build();
        }

        public Topology build() {
            validate();
            Topology t = new Topology();
            if (inputPattern != null) {
                t.addSource(SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), inputPattern);
            } else {
                t.addSource(SOURCE, new StringDeserializer(), new ByteArrayDeserializer(), inputTopics.toArray(String[]::new));
            }
            operators().addTo(t, SOURCE, new FrameqTopics(scoresTopic, alertsTopic, dlqTopic, restoredTopic));
            if (fullReference != null) {
                addFullReference(t);
            }
            return t;
        }

        private void addFullReference(Topology t) {
            FullReference fr = fullReference;
            FrameqOperators.builder()
                    .setDecoders(decoders).setDetectors(detectors).setScorer(scorer).optMetrics(metrics)
                    .optFullReference(new FullReferenceModel(fr.scorer(), fr.policy(), fr.resolver()))
                    .build()
                    .addFullReferenceTo(t, fr.originTopics(), fr.renditionTopics(), fr.repartitionTopic(), scoresTopic, dlqTopic);
        }
    }
}
