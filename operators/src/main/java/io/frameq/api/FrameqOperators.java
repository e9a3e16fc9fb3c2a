package io.frameq.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import io.frameq.alert.AlertEvent;
import io.frameq.alert.AlertPolicy;
import io.frameq.alert.AlertsProcessor;
import io.frameq.alert.StreamRetirement;
import io.frameq.baseline.BaselineJudge;
import io.frameq.baseline.BaselineSettings;
import io.frameq.detect.DetectorSuite;
import io.frameq.event.EventJson;
import io.frameq.event.FrScoreEvent;
import io.frameq.join.FramePair;
import io.frameq.processor.FrJoinInput;
import io.frameq.processor.FrJoinProcessor;
import io.frameq.processor.FrScoreProcessor;
import io.frameq.processor.RenditionRouter;
import io.frameq.scoring.FrPairScorer;
import io.frameq.event.ScoreEvent;
import io.frameq.frame.FrameDecoders;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.metrics.RestoreMetrics;
import io.frameq.processor.AnalyzedFrame;
import io.frameq.processor.DeadLettered;
import io.frameq.processor.DecodeProcessor;
import io.frameq.processor.DecodeProcessor.DecodedInput;
import io.frameq.processor.DetectProcessor;
import io.frameq.processor.FrameOutcome;
import io.frameq.processor.Outlet;
import io.frameq.processor.RestoreProcessor;
import io.frameq.processor.RestoreSettings;
import io.frameq.deadline.FrameDeadlines;
import io.frameq.processor.RestoredFrame;
import io.frameq.processor.ScoreProcessor;
import io.frameq.processor.ScoredFrame;
import io.frameq.processor.VerdictPolicy;
import io.frameq.quality.FrameScorer;
import io.frameq.route.RestoreBudget;
import io.frameq.route.RoutePolicy;
import io.frameq.scoring.FrameJudge;
import io.frameq.scoring.ModelBudget;
import io.frameq.scoring.ModelSamplingPolicy;
import io.frameq.verdict.HysteresisPolicy;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * FrameQ's no-reference chain, decode → detect → score (→ alerts, → restore), ready to embed in a
 * Kafka Streams application, from the DSL ({@link #score}) or the Processor API ({@link #addTo}).
 *
 * <pre>{@code
 * FrameqOperators frameq = FrameqOperators.builder()
 *         .setDecoders(decoders).setDetectors(detectors).setScorer(scorer)   // required
 *         .optNamePrefix("cams-")                                               // optional
 *         .build();
 * FrameqStreams out = frameq.score(builder.stream("frames", Consumed.with(Serdes.String(), Serdes.ByteArray())));
 * out.scores().to("scores", Produced.with(Serdes.String(), FrameqSerdes.scoreEvent()));
 * }</pre>
 *
 * The services (decoders, detectors, scorer, restorers, metrics) are shared by all stream threads
 * and stay the caller's to close. Immutable; one instance may be added to one topology (its node
 * and store names must be unique there: use a different prefix for a second chain).
 */
public final class FrameqOperators {

    private final FrameDecoders decoders;
    private final DetectorSuite detectors;
    private final FrameScorer scorer;
    private final BaselineJudge baseline;
    private final FrameqMetrics metrics;
    private final FrameJudge judge;
    private final long shedMaxLagMs;
    private final ModelSamplingPolicy sampling;
    /** One budget of model runs for all tasks of this chain (all stream threads of the instance). */
    private final ModelBudget modelBudget;
    private final int reducedDecodeMinWidth;
    private final FrameDeadlines deadlines;
    private final AlertPolicy alerts;
    private final long retireAfterMs;
    private final RestoreSettings restore;
    private final RestoreMetrics restoreMetrics;
    private final String prefix;
    private final FullReferenceModel fullReference;
    /** One budget for all tasks of this chain: a stream lives in one task at a time, the budget is per stream. */
    private final RestoreBudget restoreBudget;

    private FrameqOperators(Builder b) {
        this.decoders = b.decoders;
        this.detectors = b.detectors;
        this.scorer = b.scorer;
        this.baseline = new BaselineJudge(b.baseline);
        this.metrics = b.metrics;
        this.judge = new FrameJudge(b.verdicts, b.hysteresis, b.routes);
        this.shedMaxLagMs = b.shedMaxLagMs;
        this.sampling = b.sampling;
        this.modelBudget = b.modelBudget;
        this.reducedDecodeMinWidth = b.reducedDecodeMinWidth;
        this.deadlines = b.deadlines;
        this.alerts = b.alerts;
        this.retireAfterMs = b.retireAfterMs;
        this.restore = b.restore;
        this.restoreMetrics = b.restoreMetrics;
        this.prefix = b.prefix;
        this.fullReference = b.fullReference;
        this.restoreBudget = b.restore == null ? null : new RestoreBudget(b.restore.budget());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A node or store name with this chain's prefix, e.g. {@code name(FrameqNames.SCORE)}. */
    public String name(String frameqName) {
        return prefix + frameqName;
    }

    public boolean restores() {
        return restore != null;
    }

    // ---------------------------------------------------------------- DSL

    /**
     * Adds the chain after {@code frames} (key: stream id; value: an encoded image, raw frame or video
     * segment, described by the {@code frameq-*} / {@code content-type} headers) and returns its typed
     * outputs. Nothing is written to a topic: that is the caller's choice.
     */
    public FrameqStreams score(KStream<String, byte[]> frames) {
        Objects.requireNonNull(frames, "frames");
        List<KStream<String, DeadLettered>> dead = new ArrayList<>();
        KStream<String, FrameOutcome> decodeOut = frames.process(
                supplier(() -> decodeProcessor(Outlet.downstream(), Outlet.downstream())), Named.as(name(FrameqNames.DECODE)));
        KStream<String, DecodedInput> decoded = passed(decodeOut, DecodedInput.class, FrameqNames.DECODE, dead);

        KStream<String, FrameOutcome> detectOut = decoded.process(
                supplier(() -> detectProcessor(Outlet.downstream(), Outlet.downstream()), detectStores()),
                Named.as(name(FrameqNames.DETECT)));
        KStream<String, AnalyzedFrame> analyzed = passed(detectOut, AnalyzedFrame.class, FrameqNames.DETECT, dead);

        KStream<String, FrameOutcome> scoreOut = analyzed.process(
                supplier(() -> scoreProcessor(Outlet.downstream(), Outlet.downstream()), scoreStores()),
                Named.as(name(FrameqNames.SCORE)));
        KStream<String, ScoredFrame> scored = passed(scoreOut, ScoredFrame.class, FrameqNames.SCORE, dead);
        KStream<String, ScoreEvent> scores = scored.mapValues(ScoredFrame::event, Named.as(name("scores")));

        KStream<String, AlertEvent> alertEvents = scores.process(
                supplier(() -> alertsProcessor(Outlet.downstream()), alertStores()), Named.as(name(FrameqNames.ALERTS)),
                retirement().stateStores().toArray(String[]::new));

        KStream<String, RestoredFrame> restored;
        if (restore != null) {
            KStream<String, FrameOutcome> restoreOut = scored.process(
                    supplier(() -> restoreProcessor(Outlet.downstream(), Outlet.downstream())), Named.as(name(FrameqNames.RESTORE)));
            restored = passed(restoreOut, RestoredFrame.class, FrameqNames.RESTORE, dead);
        } else {
            // no restorer: an empty stream keeps the result's shape the same for every configuration
            restored = scored.filter((k, v) -> false, Named.as(name("restore-off")))
                    .mapValues(v -> (RestoredFrame) null, Named.as(name("restore-off-values")));
        }
        return new FrameqStreams(scores, scored, alertEvents, restored, merged(dead, "dead-letters-"));
    }

    private <T> KStream<String, T> merged(List<KStream<String, T>> streams, String namePrefix) {
        KStream<String, T> all = streams.get(0);
        for (int i = 1; i < streams.size(); i++) {
            all = all.merge(streams.get(i), Named.as(name(namePrefix + i)));
        }
        return all;
    }

    /**
     * Full-reference scoring (needs {@link Builder#optFullReference}): renditions are re-keyed by the
     * origin they name and repartitioned, both sides decoded and joined within the window, each pair
     * scored with the FR model plus PSNR/SSIM/MS-SSIM.
     *
     * @param origins origin (reference) frames keyed by origin stream id
     * @param renditions rendition frames keyed by rendition id, naming their origin
     * @param partitions partitions of the renditions' repartition topic: the origins' partition count
     *     (the join needs both sides of one origin in one task); 0 lets Kafka Streams choose
     */
    public FrameqFrStreams scoreFullReference(KStream<String, byte[]> origins, KStream<String, byte[]> renditions, int partitions) {
        FullReferenceModel fr = requireFullReference("scoreFullReference");
        Objects.requireNonNull(origins, "origins");
        Objects.requireNonNull(renditions, "renditions");
        if (partitions < 0) {
            throw new IllegalArgumentException("scoreFullReference: partitions: expected 0 (Kafka Streams chooses) or more, actual "
                    + partitions);
        }
        List<KStream<String, DeadLettered>> dead = new ArrayList<>();
        KStream<String, Object> routeOut = renditions.process(supplier(() -> new RenditionRouter(fr.resolver(), metrics,
                Outlet.<byte[]>downstream(), Outlet.<DeadLettered>downstream())), Named.as(name(FrameqNames.FR_ROUTE)));
        KStream<String, byte[]> routed = passed(routeOut, byte[].class, FrameqNames.FR_ROUTE, dead);
        Repartitioned<String, byte[]> byOrigin = Repartitioned.<String, byte[]>as(name(FrameqNames.FR_REPARTITION))
                .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray());
        KStream<String, byte[]> renditionsByOrigin = routed.repartition(partitions > 0 ? byOrigin.withNumberOfPartitions(partitions)
                : byOrigin);

        KStream<String, DecodedInput> renditionFrames = passed(renditionsByOrigin.process(
                supplier(() -> decodeProcessor(Outlet.downstream(), Outlet.downstream())), Named.as(name(FrameqNames.FR_DECODE_RENDITION))),
                DecodedInput.class, FrameqNames.FR_DECODE_RENDITION, dead);
        KStream<String, DecodedInput> originFrames = passed(origins.process(
                supplier(() -> decodeProcessor(Outlet.downstream(), Outlet.downstream())), Named.as(name(FrameqNames.FR_DECODE_ORIGIN))),
                DecodedInput.class, FrameqNames.FR_DECODE_ORIGIN, dead);
        KStream<String, FrJoinInput> joinInput = originFrames.mapValues(FrJoinInput::origin, Named.as(name("fr-origin-side")))
                .merge(renditionFrames.mapValues(FrJoinInput::rendition, Named.as(name("fr-rendition-side"))),
                        Named.as(name("fr-join-input")));

        KStream<String, Object> joinOut = joinInput.process(supplier(() -> frJoinProcessor(fr, Outlet.downstream(),
                Outlet.downstream(), Outlet.downstream()), frStores()), Named.as(name(FrameqNames.FR_JOIN)));
        KStream<String, FramePair> pairs = passed(joinOut, FramePair.class, FrameqNames.FR_JOIN, dead);
        KStream<String, FrScoreEvent> unmatched = joinOut.filter((k, v) -> v instanceof FrScoreEvent,
                Named.as(name("fr-unmatched"))).mapValues(v -> (FrScoreEvent) v, Named.as(name("fr-unmatched-events")));

        KStream<String, Object> scoreOut = pairs.process(supplier(() -> new FrScoreProcessor(FrPairScorer.of(fr.scorer()), metrics,
                Outlet.<FrScoreEvent>downstream(), Outlet.<DeadLettered>downstream())), Named.as(name(FrameqNames.FR_SCORE)));
        KStream<String, FrScoreEvent> scored = passed(scoreOut, FrScoreEvent.class, FrameqNames.FR_SCORE, dead);
        return new FrameqFrStreams(scored.merge(unmatched, Named.as(name("fr-scores"))), merged(dead, "fr-dead-letters-"));
    }

    /**
     * The Processor API form of {@link #scoreFullReference}: sources on the origin and rendition topics,
     * the renditions re-keyed through {@code repartitionTopic} (which must exist with the origin
     * topics' partition count), FR events to {@code scoresTopic} and dead letters to {@code dlqTopic}.
     */
    public void addFullReferenceTo(Topology t, List<String> originTopics, List<String> renditionTopics, String repartitionTopic,
                                   String scoresTopic, String dlqTopic) {
        FullReferenceModel fr = requireFullReference("addFullReferenceTo");
        String originSource = name(FrameqNames.FR_ORIGIN_SOURCE);
        String decodeOrigin = name(FrameqNames.FR_DECODE_ORIGIN);
        String renditionSource = name(FrameqNames.FR_RENDITION_SOURCE);
        String route = name(FrameqNames.FR_ROUTE);
        String repartitionSink = name(FrameqNames.FR_REPARTITION_SINK);
        String repartitionSource = name(FrameqNames.FR_REPARTITION_SOURCE);
        String decodeRendition = name(FrameqNames.FR_DECODE_RENDITION);
        String join = name(FrameqNames.FR_JOIN);
        String score = name(FrameqNames.FR_SCORE);
        String scoresSink = name(FrameqNames.FR_SCORES_SINK);
        String dlqSink = name(FrameqNames.FR_DLQ_SINK);
        Outlet<DeadLettered> toDlq = Outlet.toChild(dlqSink, DeadLettered::payload);

        t.addSource(originSource, new StringDeserializer(), new ByteArrayDeserializer(), originTopics.toArray(String[]::new));
        t.addProcessor(decodeOrigin, supplier(() -> decodeProcessor(Outlet.toChild(join, FrJoinInput::origin), toDlq)), originSource);
        t.addSource(renditionSource, new StringDeserializer(), new ByteArrayDeserializer(), renditionTopics.toArray(String[]::new));
        t.addProcessor(route, supplier(() -> new RenditionRouter(fr.resolver(), metrics, Outlet.toChild(repartitionSink, v -> v), toDlq)),
                renditionSource);
        t.addSink(repartitionSink, repartitionTopic, new StringSerializer(), new ByteArraySerializer(), route);
        t.addSource(repartitionSource, new StringDeserializer(), new ByteArrayDeserializer(), repartitionTopic);
        t.addProcessor(decodeRendition, supplier(() -> decodeProcessor(Outlet.toChild(join, FrJoinInput::rendition), toDlq)),
                repartitionSource);
        t.addProcessor(join, supplier(() -> frJoinProcessor(fr, Outlet.toChild(score, p -> p),
                Outlet.toChild(scoresSink, EventJson::toBytes), toDlq), frStores()), decodeOrigin, decodeRendition);
        t.addProcessor(score, supplier(() -> new FrScoreProcessor(FrPairScorer.of(fr.scorer()), metrics,
                Outlet.toChild(scoresSink, EventJson::toBytes), toDlq)), join);
        t.addSink(scoresSink, scoresTopic, new StringSerializer(), new ByteArraySerializer(), join, score);
        t.addSink(dlqSink, dlqTopic, new StringSerializer(), new ByteArraySerializer(), route, decodeOrigin, decodeRendition, join, score);
    }

    private FullReferenceModel requireFullReference(String method) {
        if (fullReference == null) {
            throw new IllegalStateException(method + ": expected full-reference scoring set with optFullReference(..), actual none");
        }
        return fullReference;
    }

    private Processor<String, FrJoinInput, String, Object> frJoinProcessor(FullReferenceModel fr, Outlet<FramePair> pairs,
                                                                             Outlet<FrScoreEvent> unmatched, Outlet<DeadLettered> dlq) {
        return new FrJoinProcessor(fr.policy(), decoders, metrics, name(FrameqNames.FR_ORIGIN_STORE), name(FrameqNames.FR_RENDITION_STORE),
                pairs, unmatched, dlq);
    }

    /** Buffered frames are as large as input records: the changelog must accept what the inputs may hold. */
    private Set<StoreBuilder<?>> frStores() {
        Map<String, String> changelog = Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                String.valueOf(decoders.limits().maxPayloadBytes() + 64 * 1024));
        return Set.of(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name(FrameqNames.FR_ORIGIN_STORE)), Serdes.String(),
                        Serdes.ByteArray()).withLoggingEnabled(changelog),
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name(FrameqNames.FR_RENDITION_STORE)), Serdes.String(),
                        Serdes.ByteArray()).withLoggingEnabled(changelog));
    }

    /** Splits a stage's outcomes: its dead letters join {@code dead}, the rest (of {@code type}) is returned. */
    private <V, T> KStream<String, T> passed(KStream<String, V> out, Class<T> type, String stage,
                                             List<KStream<String, DeadLettered>> dead) {
        dead.add(out.filter((k, v) -> v instanceof DeadLettered, Named.as(name(stage + "-failed")))
                .mapValues(v -> (DeadLettered) v, Named.as(name(stage + "-dead-letters"))));
        return out.filter((k, v) -> type.isInstance(v), Named.as(name(stage + "-passed")))
                .mapValues(type::cast, Named.as(name(stage + "-out")));
    }

    // ---------------------------------------------------------------- Processor API

    /**
     * Adds the chain to {@code topology} after the node {@code parent} (which must forward
     * {@code String} keys and {@code byte[]} frames), with its stores and sinks writing JSON events and
     * dead letters to {@code topics}. Node names are {@link FrameqNames} with this chain's prefix.
     *
     * @return the names of the processors that feed the dead-letter sink (for wiring more parents)
     */
    public List<String> addTo(Topology topology, String parent, FrameqTopics topics) {
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(parent, "parent");
        List<String> problems = topics == null ? List.of("topics: expected the output topics, actual null")
                : topics.problems(restore != null);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("FrameqOperators.addTo: " + String.join("; ", problems));
        }
        String decode = name(FrameqNames.DECODE);
        String detect = name(FrameqNames.DETECT);
        String score = name(FrameqNames.SCORE);
        String alertsNode = name(FrameqNames.ALERTS);
        String restoreNode = name(FrameqNames.RESTORE);
        String dlq = name(FrameqNames.DLQ_SINK);
        String scoresSink = name(FrameqNames.SCORES_SINK);
        String alertsSink = name(FrameqNames.ALERTS_SINK);
        String restoredSink = name(FrameqNames.RESTORED_SINK);
        Outlet<DeadLettered> toDlq = Outlet.toChild(dlq, DeadLettered::payload);

        topology.addProcessor(decode, supplier(() -> decodeProcessor(Outlet.toChild(detect, d -> d), toDlq)), parent);
        topology.addProcessor(detect, supplier(() -> detectProcessor(Outlet.toChild(score, a -> a), toDlq), detectStores()), decode);
        Outlet<ScoredFrame> scored = Outlet.<ScoredFrame>toChild(scoresSink, s -> EventJson.toBytes(s.event()))
                // alerts and restore build their own headers
                .and(Outlet.<ScoredFrame>toChild(alertsNode, ScoredFrame::event).withoutHeaders());
        if (restore != null) {
            scored = scored.and(Outlet.<ScoredFrame>toChild(restoreNode, s -> s).withoutHeaders());
        }
        Outlet<ScoredFrame> scoredOutlet = scored;
        topology.addProcessor(score, supplier(() -> scoreProcessor(scoredOutlet, toDlq), scoreStores()), detect);
        topology.addSink(scoresSink, topics.scores(), new StringSerializer(), new ByteArraySerializer(), score);
        topology.addProcessor(alertsNode, supplier(() -> alertsProcessor(Outlet.toChild(alertsSink, EventJson::toBytes)),
                alertStores()), score);
        if (!retirement().stateStores().isEmpty()) {
            topology.connectProcessorAndStateStores(alertsNode, retirement().stateStores().toArray(String[]::new));
        }
        topology.addSink(alertsSink, topics.alerts(), new StringSerializer(), new ByteArraySerializer(), alertsNode);
        List<String> dlqParents = new ArrayList<>(List.of(decode, detect, score));
        if (restore != null) {
            topology.addProcessor(restoreNode, supplier(() -> restoreProcessor(Outlet.toChild(restoredSink, RestoredFrame::jpeg),
                    toDlq)), score);
            topology.addSink(restoredSink, topics.restored(), new StringSerializer(), new ByteArraySerializer(), restoreNode);
            dlqParents.add(restoreNode);
        }
        topology.addSink(dlq, topics.deadLetters(), new StringSerializer(), new ByteArraySerializer(),
                dlqParents.toArray(String[]::new));
        return List.copyOf(dlqParents);
    }

    // ---------------------------------------------------------------- processors and their stores

    private Processor<String, byte[], String, Object> decodeProcessor(Outlet<DecodedInput> next, Outlet<DeadLettered> dlq) {
        return new DecodeProcessor(decoders, metrics, next, dlq, deadlines.decodeMs(), reducedDecodeMinWidth);
    }

    private Processor<String, DecodedInput, String, Object> detectProcessor(Outlet<AnalyzedFrame> next, Outlet<DeadLettered> dlq) {
        return new DetectProcessor(detectors, baseline, metrics, name(FrameqNames.THUMBNAIL_STORE), name(FrameqNames.BASELINE_STORE),
                next, dlq, retireAfterMs);
    }

    private Processor<String, AnalyzedFrame, String, Object> scoreProcessor(Outlet<ScoredFrame> next, Outlet<DeadLettered> dlq) {
        return new ScoreProcessor(new ScoreProcessor.Settings(scorer, judge, shedMaxLagMs, name(FrameqNames.VERDICT_STORE),
                deadlines.modelMs(), sampling, reducedDecodeMinWidth > 0 ? decoders : null, retireAfterMs, modelBudget), metrics,
                next, dlq);
    }

    private Processor<String, ScoreEvent, String, Object> alertsProcessor(Outlet<AlertEvent> next) {
        return new AlertsProcessor(alerts, metrics, name(FrameqNames.ALERTS_STORE), next, retirement());
    }

    /** Alerts retires silent streams (it knows when each was last seen) from its own store and these. */
    private StreamRetirement retirement() {
        if (retireAfterMs == 0) {
            return StreamRetirement.NEVER;
        }
        List<String> stores = new ArrayList<>(List.of(name(FrameqNames.THUMBNAIL_STORE), name(FrameqNames.BASELINE_STORE)));
        if (judge.keepsStreamState()) {
            stores.add(name(FrameqNames.VERDICT_STORE));
        }
        return new StreamRetirement(retireAfterMs, stores);
    }

    private Processor<String, ScoredFrame, String, Object> restoreProcessor(Outlet<RestoredFrame> next, Outlet<DeadLettered> dlq) {
        return new RestoreProcessor(restore, restoreBudget, scorer, metrics, restoreMetrics, next, dlq, deadlines.restoreMs());
    }

    private Set<StoreBuilder<?>> detectStores() {
        return Set.of(bytesStore(FrameqNames.THUMBNAIL_STORE), bytesStore(FrameqNames.BASELINE_STORE));
    }

    private Set<StoreBuilder<?>> scoreStores() {
        return judge.keepsStreamState() ? Set.of(bytesStore(FrameqNames.VERDICT_STORE)) : Set.of();
    }

    private Set<StoreBuilder<?>> alertStores() {
        return Set.of(bytesStore(FrameqNames.ALERTS_STORE));
    }

    /** A persistent, changelogged store of stream id to bytes (the format each processor documents). */
    private StoreBuilder<?> bytesStore(String frameqName) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name(frameqName)), Serdes.String(), Serdes.ByteArray());
    }

    /**
     * A supplier that declares its stores (so the DSL and {@code Topology#addProcessor} connect them)
     * and presents the processor with the output type its caller expects: the processors forward
     * typed values through their outlets, and the DSL stream's value type is the outlet's value type.
     */
    private static <VIn, VOut> ProcessorSupplier<String, VIn, String, VOut> supplier(
            Supplier<? extends Processor<String, VIn, String, Object>> factory, Set<StoreBuilder<?>> stores) {
        return new ProcessorSupplier<>() {
            @Override
            @SuppressWarnings("unchecked")
            public Processor<String, VIn, String, VOut> get() {
                return (Processor<String, VIn, String, VOut>) (Processor<?, ?, ?, ?>) factory.get();
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return stores;
            }
        };
    }

    private static <VIn, VOut> ProcessorSupplier<String, VIn, String, VOut> supplier(
            Supplier<? extends Processor<String, VIn, String, Object>> factory) {
        return supplier(factory, Set.of());
    }

    // ---------------------------------------------------------------- builder

    /**
     * Required: {@link #setDecoders}, {@link #setDetectors}, {@link #setScorer}. Everything else has a
     * default ({@code opt*}). {@link #validate()} names every problem at once; {@link #build()} calls it.
     */
    public static final class Builder {
        private FrameDecoders decoders;
        private DetectorSuite detectors;
        private FrameScorer scorer;
        private BaselineSettings baseline = BaselineSettings.DEFAULTS;
        private FrameqMetrics metrics = FrameqMetrics.none();
        private VerdictPolicy verdicts = new VerdictPolicy(0.45);
        private HysteresisPolicy hysteresis = HysteresisPolicy.DEFAULTS;
        private RoutePolicy routes = RoutePolicy.DEFAULTS;
        private long shedMaxLagMs;
        private ModelSamplingPolicy sampling = ModelSamplingPolicy.EVERY_FRAME;
        private ModelBudget modelBudget = ModelBudget.unlimited();
        private int reducedDecodeMinWidth;
        private FrameDeadlines deadlines = FrameDeadlines.NONE;
        private AlertPolicy alerts = AlertPolicy.DEFAULTS;
        private long retireAfterMs = StreamRetirement.DEFAULT_AFTER_MS;
        private RestoreSettings restore;
        private RestoreMetrics restoreMetrics = RestoreMetrics.none();
        private String prefix = "";
        private FullReferenceModel fullReference;

        private Builder() {}

        /** Makes full-reference scoring available ({@link FrameqOperators#scoreFullReference}); off by default. */
        public Builder optFullReference(FullReferenceModel fullReference) {
            this.fullReference = fullReference;
            return this;
        }

        /** How payloads become frames (shared, thread-safe; the caller closes it). */
        public Builder setDecoders(FrameDecoders decoders) {
            this.decoders = decoders;
            return this;
        }

        /** The per-frame detectors (blur, noise, exposure, black, frozen, blocky). */
        public Builder setDetectors(DetectorSuite detectors) {
            this.detectors = detectors;
            return this;
        }

        /** The no-reference model (shared, thread-safe; the caller closes it). */
        public Builder setScorer(FrameScorer scorer) {
            this.scorer = scorer;
            return this;
        }

        /** How each stream learns its normal (default {@link BaselineSettings#DEFAULTS}). */
        public Builder optBaseline(BaselineSettings baseline) {
            this.baseline = baseline;
            return this;
        }

        /** Where the operators report (default {@link FrameqMetrics#none()}: nowhere, no Prometheus needed). */
        public Builder optMetrics(FrameqMetrics metrics) {
            this.metrics = metrics;
            return this;
        }

        /** When a frame is degraded (default: quality below 0.45, or any detector flag). */
        public Builder optVerdicts(VerdictPolicy verdicts) {
            this.verdicts = verdicts;
            return this;
        }

        /** Per-stream verdicts with hysteresis (default {@link HysteresisPolicy#DEFAULTS}); null: each frame's own verdict. */
        public Builder optHysteresis(HysteresisPolicy hysteresis) {
            this.hysteresis = hysteresis;
            return this;
        }

        /** Which restorer a degradation goes to (default {@link RoutePolicy#DEFAULTS}). */
        public Builder optRoutes(RoutePolicy routes) {
            this.routes = routes;
            return this;
        }

        /**
         * Load shedding: frames older than this many ms at the score stage skip the model unless a
         * detector flagged them ({@code shed: true}); 0 (default) never sheds.
         */
        public Builder optShedMaxLagMs(long shedMaxLagMs) {
            this.shedMaxLagMs = shedMaxLagMs;
            return this;
        }

        /**
         * Which frames the no-reference model sees, per stream (default: every frame): suspects at once,
         * the others on a sample; frames without a model run are published with {@code model_skipped}.
         */
        public Builder optModelSampling(ModelSamplingPolicy sampling) {
            this.sampling = sampling;
            return this;
        }

        /**
         * The instance's model runs per second, shared by all stream threads (default: none): a frame the sampling
         * picks over budget is published with {@code model_skipped: budget} and its stream is owed a run on a later
         * frame, suspects first, then first frames and gaps, then samples, oldest first.
         */
        public Builder optModelBudget(ModelBudget modelBudget) {
            this.modelBudget = modelBudget;
            return this;
        }

        /**
         * Decode only what is needed: above 0, a JPEG is decoded shrunk in the DCT domain (by 2 or 4, to no less than
         * this width) for the detectors, and again at full size only when the model takes it; 0 (default) decodes
         * every frame at full size. Not with restoration (a restorer needs every frame's full picture).
         */
        public Builder optReducedDecode(int minWidth) {
            this.reducedDecodeMinWidth = minWidth;
            return this;
        }

        /**
         * Per-frame deadlines of decode, model and restoration (default {@link FrameDeadlines#NONE}): a
         * frame that overruns one is abandoned to the DLQ with reason {@code timeout}; a model timeout
         * still publishes the frame's event from the detectors.
         */
        public Builder optDeadlines(FrameDeadlines deadlines) {
            this.deadlines = deadlines;
            return this;
        }

        /** Per-stream alerting windows and incidents (default {@link AlertPolicy#DEFAULTS}). */
        public Builder optAlerts(AlertPolicy alerts) {
            this.alerts = alerts;
            return this;
        }

        /**
         * A stream silent this long (wall clock) is retired: its open incidents resolve with reason
         * {@code retired}, its per-stream state and metric series are dropped (default a day,
         * {@link StreamRetirement#DEFAULT_AFTER_MS}); 0 keeps every stream for good.
         */
        public Builder optRetireAfterMs(long retireAfterMs) {
            this.retireAfterMs = retireAfterMs;
            return this;
        }

        /** Turns restoration of routed frames on (off by default); it reports to {@code restoreMetrics}. */
        public Builder optRestore(RestoreSettings restore, RestoreMetrics restoreMetrics) {
            this.restore = restore;
            this.restoreMetrics = restoreMetrics;
            return this;
        }

        /**
         * Put before every node and store name (default: none), so two chains, or a chain and your own
         * nodes, never clash. Letters, digits, '.', '_' and '-' only: store names become topic names.
         */
        public Builder optNamePrefix(String prefix) {
            this.prefix = prefix;
            return this;
        }

        /** Throws {@link IllegalArgumentException} naming every missing or invalid part; returns quietly otherwise. */
        public void validate() {
            List<String> problems = new ArrayList<>();
            required(problems, "setDecoders", decoders, "the frame decoders (FrameDecoders)");
            required(problems, "setDetectors", detectors, "the detectors (DetectorSuite)");
            required(problems, "setScorer", scorer, "the no-reference scorer (FrameScorer)");
            required(problems, "optBaseline", baseline, "baseline settings (leave it out for the defaults)");
            required(problems, "optMetrics", metrics, "a metrics port (leave it out for FrameqMetrics.none())");
            required(problems, "optVerdicts", verdicts, "a verdict policy (leave it out for the defaults)");
            required(problems, "optRoutes", routes, "a route policy (leave it out for the defaults)");
            required(problems, "optAlerts", alerts, "an alert policy (leave it out for the defaults)");
            required(problems, "optModelSampling", sampling, "a model sampling policy (leave it out for every frame)");
            required(problems, "optModelBudget", modelBudget, "a model budget (leave it out for none)");
            if (deadlines == null) {
                problems.add("optDeadlines: expected deadlines (FrameDeadlines.NONE for none), actual null");
            }
            if (shedMaxLagMs < 0) {
                problems.add("optShedMaxLagMs: expected 0 (never shed) or more ms, actual " + shedMaxLagMs);
            }
            if (reducedDecodeMinWidth < 0) {
                problems.add("optReducedDecode: expected 0 (full size) or a width in pixels, actual " + reducedDecodeMinWidth);
            }
            if (reducedDecodeMinWidth > 0 && restore != null) {
                problems.add("optReducedDecode: expected 0 with optRestore (a restorer needs the full picture of every frame "
                        + "it takes), actual " + reducedDecodeMinWidth);
            }
            if (retireAfterMs < 0) {
                problems.add("optRetireAfterMs: expected 0 (never retire) or more ms, actual " + retireAfterMs);
            } else if (retireAfterMs > 0 && alerts != null && retireAfterMs <= alerts.silentAfterMs()) {
                problems.add("optRetireAfterMs: expected more than the alerts' silentAfterMs (" + alerts.silentAfterMs()
                        + " ms: a stream is reported silent before it is retired), actual " + retireAfterMs);
            }
            if (restore != null && restoreMetrics == null) {
                problems.add("optRestore: expected restore metrics with the restore settings (RestoreMetrics.none() for none), actual null");
            }
            if (prefix == null || !prefix.matches("[A-Za-z0-9._-]*")) {
                problems.add("optNamePrefix: expected letters, digits, '.', '_' or '-' (store names become topic names), actual "
                        + (prefix == null ? "null" : "'" + prefix + "'"));
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("FrameqOperators: " + String.join("; ", problems));
            }
        }

        private static void required(List<String> problems, String setter, Object value, String what) {
            if (value == null) {
                problems.add(setter + ": expected " + what + ", actual null");
            }
        }

        public FrameqOperators build() {
            validate();
            return new FrameqOperators(this);
        }
    }
}
