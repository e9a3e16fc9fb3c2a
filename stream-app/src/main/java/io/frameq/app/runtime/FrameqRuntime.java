package io.frameq.app.runtime;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.frameq.deadline.FrameDeadlines;
import io.frameq.api.DeadLetterOnProcessingError;
import io.frameq.app.config.FrameqConfig;
import io.frameq.app.config.ModelSamplingConfig;
import io.frameq.app.config.RouteRestoreConfig;
import io.frameq.baseline.BaselineJudge;
import io.frameq.detect.DetectorSuite;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.VideoFrameSkip;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.metrics.KafkaClientMetrics;
import io.frameq.metrics.PrometheusMetrics;
import io.frameq.metrics.PrometheusRestoreMetrics;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.processor.RestoreSettings;
import io.frameq.processor.VerdictPolicy;
import io.frameq.join.OriginResolver;
import io.frameq.quality.BatchingNrScorer;
import io.frameq.quality.FrScorer;
import io.frameq.quality.FrameScorer;
import io.frameq.quality.NrScorer;
import io.frameq.restore.Restorer;
import io.frameq.restore.TiledRestorer;
import io.frameq.scoring.FrameJudge;
import io.frameq.scoring.ScoreEventFactory;
import io.frameq.topology.FrameqTopology;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a running FrameQ instance owns, opened in dependency order from a validated
 * {@link FrameqConfig} and closed in reverse: model runtime and session, decoders, metrics
 * endpoint, Kafka Streams. A failure while opening closes what was already open.
 */
public final class FrameqRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FrameqRuntime.class);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final PrometheusRegistry registry;
    private final NrScorer scorer;
    private final FrScorer frScorer;
    private final KafkaStreams streams;
    private final OpsHttpServer http;
    /** The start-up warm-up's settings but its frame; null with {@code startup.warmup.ms=0}. */
    private final StartupWarmUp.Builder warmUp;
    private volatile StartupWarmUp.Report warmUpReport = StartupWarmUp.Report.SKIPPED;
    /** Held by {@link #start()} while it warms up, so {@link #close()} never frees the decoders or models under it. */
    private final Object startLock = new Object();
    private volatile boolean closing;

    /**
     * Whether frames of concurrent stream threads go through the shared batcher: one stream thread
     * never has two frames waiting at once, and a limit of one frame's units leaves nothing to join,
     * so batching would only add its delay. Without it every stream thread calls the model itself.
     */
    public static boolean batches(int batchMaxUnits, int streamThreads) {
        return batchMaxUnits > 5 && streamThreads > 1;
    }

    /** {@code batch.max.units} as configured, or for 0 (automatic) 20 on a GPU provider and 1 (no batching) on the CPU. */
    public static int batchMaxUnits(int configured, ExecutionConfig.Provider provider) {
        if (configured > 0) {
            return configured;
        }
        return provider == ExecutionConfig.Provider.CPU ? 1 : 20;
    }

    /** Threads that run a model at once: the batcher's one dispatcher, else every stream thread with its own frame. */
    public static int modelCallers(int batchMaxUnits, int streamThreads) {
        return batches(batchMaxUnits, streamThreads) ? 1 : streamThreads;
    }

    /**
     * ONNX Runtime's intra-op threads per model run: the configured number; for 0 on the CPU with several
     * concurrent callers, the cores divided among them (at least one each), because ONNX Runtime's own default
     * gives every caller a thread per core and the callers' threads then fight over the cores (on 2 cores, two
     * stream threads with one intra-op thread each scored about 35 % more frames per second than one batcher
     * with two; BENCHMARKS.md). Otherwise 0, ONNX Runtime's default.
     */
    public static int intraOpThreads(int configured, ExecutionConfig.Provider provider, int modelCallers, int cores) {
        if (configured > 0 || provider != ExecutionConfig.Provider.CPU || modelCallers <= 1) {
            return configured;
        }
        return Math.max(1, cores / modelCallers);
    }

    /** The NR model as configured: {@code crop} is {@code model} (its model.json) or a crop policy's wire name. */
    public static ModelDescriptor nrDescriptor(ModelRepository repository, String name, String crop) {
        ModelDescriptor d = repository.resolve(name);
        if (crop.equals("model")) {
            return d;
        }
        for (ModelDescriptor.CropPolicy p : ModelDescriptor.CropPolicy.values()) {
            if (p.wire().equals(crop)) {
                return d.withCropPolicy(p);
            }
        }
        throw new IllegalArgumentException(FrameqConfig.MODEL_NR_CROP + ": expected model or a crop policy, actual '" + crop + "'");
    }

    /** The decode limits as configured ({@code decode.*}). */
    public static DecodeLimits decodeLimits(FrameqConfig config) {
        return new DecodeLimits(config.getInt(FrameqConfig.DECODE_MAX_BYTES), config.getInt(FrameqConfig.DECODE_MAX_WIDTH),
                config.getInt(FrameqConfig.DECODE_MAX_HEIGHT), config.getInt(FrameqConfig.DECODE_MAX_FRAMES_PER_SEGMENT),
                config.getInt(FrameqConfig.DECODE_VIDEO_SAMPLE_EVERY),
                VideoFrameSkip.fromConfigName(config.getString(FrameqConfig.DECODE_VIDEO_SKIP_FRAMES)));
    }

    /**
     * The no-reference chain (decode, detect, score with verdict hysteresis and routing, alerts) with
     * every setting from {@code config}; inputs, full reference and restoration are the caller's to add.
     * {@code run} and {@code analyze} both build their topology here, so they cannot drift apart.
     */
    public static FrameqTopology.Builder noReferenceTopology(FrameqConfig config, FrameDecoders decoders, FrameScorer scorer,
            FrameqMetrics metrics) {
        return FrameqTopology.builder()
                .scoresTopic(config.getString(FrameqConfig.SCORES_TOPIC))
                .dlqTopic(config.getString(FrameqConfig.DLQ_TOPIC))
                .alertsTopic(config.getString(FrameqConfig.ALERTS_TOPIC))
                .alerts(config.alertPolicy())
                .retireAfterMs(config.getLong(FrameqConfig.STREAMS_RETIRE_AFTER_MS))
                .decoders(decoders)
                .detectors(new DetectorSuite(config.detectorThresholds()))
                .baseline(config.baselineSettings())
                .scorer(scorer)
                .shedMaxLagMs(config.getLong(FrameqConfig.SHED_MAX_LAG_MS))
                .modelSampling(ModelSamplingConfig.policy(config))
                .modelBudget(ModelSamplingConfig.budget(config))
                .reducedDecodeMinWidth(config.getInt(FrameqConfig.DECODE_JPEG_REDUCED_MIN_WIDTH))
                .deadlines(new FrameDeadlines(config.getLong(FrameqConfig.DEADLINE_DECODE_MS),
                        config.getLong(FrameqConfig.DEADLINE_MODEL_MS), config.getLong(FrameqConfig.DEADLINE_RESTORE_MS)))
                .metrics(metrics)
                .verdicts(new VerdictPolicy(config.getDouble(FrameqConfig.QUALITY_THRESHOLD)))
                .hysteresis(RouteRestoreConfig.hysteresis(config))
                .routes(RouteRestoreConfig.routes(config));
    }

    private FrameqRuntime(FrameqConfig config, Map<String, Object> extraStreamsProps) {
        try {
            StateDirectoryCheck.requireWritable(java.nio.file.Path.of(config.getString(FrameqConfig.STATE_DIR)));
            registry = new PrometheusRegistry();
            JvmMetrics.builder().register(registry);
            PrometheusMetrics metrics = new PrometheusMetrics(registry, config.getInt(FrameqConfig.METRICS_MAX_STREAMS));

            List<Path> repoDirs = config.getList(FrameqConfig.MODEL_REPOSITORY).stream().map(Path::of).toList();
            ModelRepository repository = ModelRepository.of(repoDirs, true);
            ExecutionConfig execution = ExecutionConfig.parse(config.getString(FrameqConfig.ONNX_PROVIDER));
            int configuredThreads = config.getInt(FrameqConfig.ONNX_INTRA_OP_THREADS);
            int streamThreads = config.getInt(FrameqConfig.STREAM_THREADS);
            int batchUnits = batchMaxUnits(config.getInt(FrameqConfig.BATCH_MAX_UNITS), execution.provider());
            int callers = modelCallers(batchUnits, streamThreads);
            int cores = Runtime.getRuntime().availableProcessors();
            int intraOp = intraOpThreads(configuredThreads, execution.provider(), callers, cores);
            if (intraOp != configuredThreads) {
                LOG.info("ONNX Runtime intra-op threads: {} ({} = 0: {} cores shared by {} stream threads that each run the model)",
                        intraOp, FrameqConfig.ONNX_INTRA_OP_THREADS, cores, callers);
            }
            OrtRuntime ort = push(OrtRuntime.create(execution
                    .withThreads(intraOp, 1)
                    .withSpinWait(config.getBoolean(FrameqConfig.ONNX_SPIN_WAIT))
                    .withCpuInt8(config.getBoolean(FrameqConfig.ONNX_CPU_INT8))));
            scorer = push(NrScorer.open(nrDescriptor(repository, config.getString(FrameqConfig.MODEL_NR),
                    config.getString(FrameqConfig.MODEL_NR_CROP)), ort));
            ModelDescriptor model = scorer.descriptor();
            metrics.modelLoaded(model.name(), model.version(), model.family().wire(), model.trained(), scorer.activeProvider(),
                    scorer.precision());
            if (!model.trained()) {
                LOG.warn("Model {} v{} is UNTRAINED: its scores are reported with trained=false and never used for verdicts",
                        model.name(), model.version());
            }

            FrameScorer frameScorer = scorer;
            if (batches(batchUnits, streamThreads)) {
                BatchingNrScorer batcher = push(new BatchingNrScorer(scorer, metrics, batchUnits,
                        config.getLong(FrameqConfig.BATCH_MAX_DELAY_MS), config.getInt(FrameqConfig.BATCH_QUEUE_CAPACITY)));
                LOG.info("Batching frames of concurrent stream threads: {}", batcher);
                frameScorer = batcher;
            }

            FrameDecoders decoders = push(new FrameDecoders(decodeLimits(config)));

            FrameqTopology.Builder tb = noReferenceTopology(config, decoders, frameScorer, metrics);
            long warmUpMs = config.getLong(FrameqConfig.STARTUP_WARMUP_MS);
            // The plain scorer, not the batcher: the same session, without the batcher's metrics.
            warmUp = warmUpMs == 0 ? null : StartupWarmUp.builder().setDecoders(decoders)
                    .setDetectors(new DetectorSuite(config.detectorThresholds()))
                    .setJudge(new BaselineJudge(config.baselineSettings()))
                    .optScorer(scorer, StartupWarmUp.DEFAULT_MODEL_RUNS)
                    .optEvents(new FrameJudge(new VerdictPolicy(config.getDouble(FrameqConfig.QUALITY_THRESHOLD)),
                            RouteRestoreConfig.hysteresis(config), RouteRestoreConfig.routes(config)),
                            new ScoreEventFactory(model))
                    .optReducedMinWidth(config.getInt(FrameqConfig.DECODE_JPEG_REDUCED_MIN_WIDTH))
                    .setBudgetMs(warmUpMs).optStop(() -> closing);
            if (config.getBoolean(FrameqConfig.FR_ENABLED)) {
                frScorer = push(FrScorer.open(repository, config.getString(FrameqConfig.FR_MODEL), ort));
                ModelDescriptor frModel = frScorer.descriptor();
                metrics.modelLoaded(frModel.name(), frModel.version(), frModel.family().wire(), frModel.trained(),
                        frScorer.activeProvider(), frScorer.precision());
                if (!frModel.trained()) {
                    LOG.warn("Full-reference model {} v{} is UNTRAINED: its scores are published with trained=false; rely on PSNR/SSIM/MS-SSIM",
                            frModel.name(), frModel.version());
                }
                tb.fullReference(new FrameqTopology.FullReference(config.getList(FrameqConfig.FR_ORIGIN_TOPICS),
                        config.getList(FrameqConfig.FR_RENDITION_TOPICS), config.getString(FrameqConfig.FR_RENDITION_REPARTITION_TOPIC),
                        config.joinPolicy(), new OriginResolver(config.getString(FrameqConfig.FR_ORIGIN_SEPARATOR)), frScorer));
            } else {
                frScorer = null;
            }
            if (config.getBoolean(RouteRestoreConfig.RESTORE_ENABLED)) {
                tb.restore(restoreSettings(config, repository, ort, metrics))
                        .restoreMetrics(new PrometheusRestoreMetrics(registry, metrics))
                        .restoredTopic(config.getString(RouteRestoreConfig.RESTORE_TOPIC));
            }
            if (config.inputPattern() != null) {
                tb.inputPattern(config.inputPattern());
            } else {
                tb.inputTopics(config.inputTopics());
            }
            Topology topology = tb.build();
            LOG.info("Topology:\n{}", topology.describe());

            Properties streamsProps = streamsProperties(config, extraStreamsProps);
            BrokerProbe brokers = push(new BrokerProbe(streamsProps));
            if (frScorer != null) {
                RepartitionTopic.ensure(streamsProps, config.getList(FrameqConfig.FR_ORIGIN_TOPICS),
                        config.getString(FrameqConfig.FR_RENDITION_REPARTITION_TOPIC));
            }
            AccessCheck.check(streamsProps, config.getString(FrameqConfig.APPLICATION_ID), outputTopics(config), namedInputTopics(config));
            TopicCheck.check(streamsProps, outputTopics(config), namedInputTopics(config));
            streams = new KafkaStreams(topology, streamsProps);
            // Kafka Streams' own client metrics (consumer lag, process/poll/commit rates), read on every scrape.
            KafkaClientMetrics.register(registry, streams::metrics);
            int port = config.getInt(FrameqConfig.METRICS_PORT);
            http = port < 0 ? null : push(new OpsHttpServer(opsSettings(config), registry, () -> {
                KafkaStreams.State state = streams.state();
                if (state != KafkaStreams.State.RUNNING) {
                    return "kafka streams " + state;
                }
                return brokers.problem();
            }));
            if (http != null) {
                LOG.info("Prometheus metrics at {}://{}:{}/metrics (also /healthz, /readyz{})", http.scheme(),
                        config.getString(FrameqConfig.METRICS_BIND_ADDRESS), http.port(),
                        config.getString(FrameqConfig.METRICS_AUTH_USER).isBlank() ? "" : "; basic authentication");
            }
            streams.setUncaughtExceptionHandler(e -> {
                LOG.error("Stream thread failed; replacing it", e);
                return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            resources.push(() -> streams.close(java.time.Duration.ofSeconds(30)));
        } catch (java.io.IOException e) {
            closeQuietly();
            throw new java.io.UncheckedIOException("metrics endpoint: cannot listen on "
                    + config.getString(FrameqConfig.METRICS_BIND_ADDRESS) + " port " + config.getInt(FrameqConfig.METRICS_PORT)
                    + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** The operations endpoint's address, TLS and authentication from {@code metrics.*} (validated by FrameqConfig). */
    static OpsHttpServer.Settings opsSettings(FrameqConfig config) {
        String keystore = config.getString(FrameqConfig.METRICS_TLS_KEYSTORE);
        String user = config.getString(FrameqConfig.METRICS_AUTH_USER);
        org.apache.kafka.common.config.types.Password keystorePassword = config.getPassword(FrameqConfig.METRICS_TLS_KEYSTORE_PASSWORD);
        org.apache.kafka.common.config.types.Password password = config.getPassword(FrameqConfig.METRICS_AUTH_PASSWORD);
        return new OpsHttpServer.Settings(config.getString(FrameqConfig.METRICS_BIND_ADDRESS), config.getInt(FrameqConfig.METRICS_PORT),
                keystore.isBlank() ? null : Path.of(keystore), keystorePassword == null ? null : keystorePassword.value(),
                user.isBlank() ? null : user, password == null ? null : password.value());
    }

    /** Opens the two restorers (closed with the runtime) and the restore stage's settings. */
    private RestoreSettings restoreSettings(FrameqConfig config, ModelRepository repository, OrtRuntime ort, FrameqMetrics metrics) {
        int tile = config.getInt(RouteRestoreConfig.RESTORE_TILE_SIZE);
        int overlap = config.getInt(RouteRestoreConfig.RESTORE_TILE_OVERLAP);
        Restorer quality = push(Restorer.open(repository, config.getString(RouteRestoreConfig.RESTORE_QUALITY_MODEL), ort));
        Restorer latency = push(Restorer.open(repository, config.getString(RouteRestoreConfig.RESTORE_LATENCY_MODEL), ort));
        for (Restorer r : List.of(quality, latency)) {
            ModelDescriptor d = r.descriptor();
            metrics.modelLoaded(d.name(), d.version(), d.family().wire(), d.trained(), r.activeProvider(), r.precision());
            if (!d.trained()) {
                LOG.warn("Restorer {} v{} is UNTRAINED: restored frames are published with their measured gain, which may be negative",
                        d.name(), d.version());
            }
        }
        LOG.info("Restoration on: quality route -> {}, latency route -> {}, tiles {} px (overlap {}), budget {}",
                quality.descriptor().name(), latency.descriptor().name(), tile, overlap, RouteRestoreConfig.budget(config));
        return new RestoreSettings(new TiledRestorer(quality, tile, overlap), new TiledRestorer(latency, tile, overlap),
                config.getInt(RouteRestoreConfig.RESTORE_JPEG_QUALITY), RouteRestoreConfig.budget(config));
    }

    public static FrameqRuntime open(FrameqConfig config) {
        return new FrameqRuntime(config, Map.of());
    }

    public static FrameqRuntime open(FrameqConfig config, Map<String, Object> extraStreamsProps) {
        return new FrameqRuntime(config, extraStreamsProps);
    }

    static Properties streamsProperties(FrameqConfig config, Map<String, Object> extra) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getString(FrameqConfig.APPLICATION_ID));
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", config.getList(FrameqConfig.BOOTSTRAP_SERVERS)));
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.getString(FrameqConfig.PROCESSING_GUARANTEE));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.getLong(FrameqConfig.COMMIT_INTERVAL_MS));
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.getInt(FrameqConfig.STREAM_THREADS));
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(FrameqConfig.STATE_DIR));
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // A DLQ record carries the original payload, so the producer must accept the largest valid input.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                config.getInt(FrameqConfig.DECODE_MAX_BYTES) + 64 * 1024);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 50);
        // Kafka Streams' own producer default is linger.ms=100: every score event would wait up to 100 ms
        // for company. Frames arrive at tens per second, so the batching it buys is small and the latency is
        // not (BENCHMARKS.md, "Pipeline latency"); kafka.producer.linger.ms overrides this.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        // FrameQ has no global stores, so opting in to 5.0's behaviour (the processing exception handler also on global
        // threads) changes nothing. It does not silence every copy of Kafka Streams 4.3's warning about it: a start
        // still logs it twice, from StreamsConfig instances not built from these properties.
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        if (config.getString(FrameqConfig.PROCESSING_ERROR_POLICY).equals("dead_letter")) {
            p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterOnProcessingError.class.getName());
            p.put(DeadLetterOnProcessingError.DLQ_TOPIC_CONFIG, config.getString(FrameqConfig.DLQ_TOPIC));
        }
        p.putAll(config.kafkaOverrides());
        p.putAll(extra);
        return p;
    }

    /** Every topic the configured topology writes (the FR repartition topic is created by {@link RepartitionTopic}). */
    private static List<String> outputTopics(FrameqConfig config) {
        List<String> out = new ArrayList<>(List.of(config.getString(FrameqConfig.SCORES_TOPIC),
                config.getString(FrameqConfig.DLQ_TOPIC), config.getString(FrameqConfig.ALERTS_TOPIC)));
        if (config.getBoolean(RouteRestoreConfig.RESTORE_ENABLED)) {
            out.add(config.getString(RouteRestoreConfig.RESTORE_TOPIC));
        }
        return out;
    }

    /** The topics the configured topology reads by name (a pattern subscription is not checked). */
    private static List<String> namedInputTopics(FrameqConfig config) {
        List<String> in = new ArrayList<>(config.inputPattern() == null ? config.inputTopics() : List.of());
        if (config.getBoolean(FrameqConfig.FR_ENABLED)) {
            in.addAll(config.getList(FrameqConfig.FR_ORIGIN_TOPICS));
            in.addAll(config.getList(FrameqConfig.FR_RENDITION_TOPICS));
        }
        return in;
    }

    private <T extends AutoCloseable> T push(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Warms the frame path up ({@code startup.warmup.ms}, {@link StartupWarmUp}), then starts Kafka Streams. */
    public void start() {
        synchronized (startLock) {
            if (closing) {
                return;
            }
            if (warmUp != null) {
                warmUpReport = warmUp();
            }
            if (!closing) {
                streams.start();
            }
        }
    }

    private StartupWarmUp.Report warmUp() {
        byte[] frame;
        try {
            frame = StartupWarmUp.bundledFrame();
        } catch (RuntimeException e) {
            LOG.warn("Start-up warm-up skipped, starting cold: no warm-up frame ({})", e.toString());
            return new StartupWarmUp.Report(0, 0, 0, 0, 0, 0, 0, 0, e.toString());
        }
        return warmUp.setFrame(frame).build().run();
    }

    /** What {@link #start()}'s warm-up did; {@link StartupWarmUp.Report#SKIPPED} before it or when it is off. */
    public StartupWarmUp.Report warmUpReport() {
        return warmUpReport;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public NrScorer scorer() {
        return scorer;
    }

    /** The full-reference scorer, or null when fr.enabled is false. */
    public FrScorer frScorer() {
        return frScorer;
    }

    public int metricsPort() {
        return http == null ? 0 : http.port();
    }

    /** Waits until Kafka Streams is RUNNING or fails after the timeout. */
    public void awaitRunning(long timeout, TimeUnit unit) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka Streams not RUNNING after " + unit.toSeconds(timeout) + " s (state "
                        + streams.state() + ")");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        closing = true; // ends a warm-up after its round
        synchronized (startLock) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("close failed for {}: {}", r, e.toString());
            }
        }
    }
}
