package io.frameq.app.analyze;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Properties;

import io.frameq.app.config.FrameqConfig;
import io.frameq.app.config.RouteRestoreConfig;
import io.frameq.app.runtime.FrameqRuntime;
import io.frameq.frame.FrameDecoders;
import io.frameq.metrics.FrameqMetrics;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.quality.NrScorer;


import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services one {@code frameq run} instance owns (model session, decoders, metrics), opened from
 * the same configuration, and a factory of in-process drivers of the same topology: each
 * {@link TopologyTestDriver} runs the operators of {@code run} on records piped to it, with its own
 * per-stream state, and no broker. The services are thread-safe and shared by all drivers, as
 * {@code run}'s stream threads share them.
 */
final class InProcessPipeline implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InProcessPipeline.class);

    /** The input topic of the in-process topology; it appears in the events' {@code event_id} and {@code source.topic}. */
    static final String INPUT_TOPIC = "frameq.analyze";

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final FrameqConfig config;
    private final FrameDecoders decoders;
    private final NrScorer scorer;
    private final FrameqMetrics metrics;

    /**
     * @param parallelStreams drivers that will run the model at once (they divide the cores between them)
     */
    InProcessPipeline(FrameqConfig config, int parallelStreams) {
        this.config = config;
        try {
            // Nobody scrapes an analysis: the topology's metrics go nowhere.
            metrics = FrameqMetrics.none();
            List<Path> repoDirs = config.getList(FrameqConfig.MODEL_REPOSITORY).stream().map(Path::of).toList();
            ModelRepository repository = ModelRepository.of(repoDirs, true);
            ExecutionConfig execution = ExecutionConfig.parse(config.getString(FrameqConfig.ONNX_PROVIDER));
            int cores = Runtime.getRuntime().availableProcessors();
            int intraOp = FrameqRuntime.intraOpThreads(config.getInt(FrameqConfig.ONNX_INTRA_OP_THREADS), execution.provider(),
                    parallelStreams, cores);
            OrtRuntime ort = push(OrtRuntime.create(execution.withThreads(intraOp, 1)
                    .withSpinWait(config.getBoolean(FrameqConfig.ONNX_SPIN_WAIT))
                    .withCpuInt8(config.getBoolean(FrameqConfig.ONNX_CPU_INT8))));
            scorer = push(NrScorer.open(FrameqRuntime.nrDescriptor(repository, config.getString(FrameqConfig.MODEL_NR),
                    config.getString(FrameqConfig.MODEL_NR_CROP)), ort));
            ModelDescriptor d = scorer.descriptor();
            if (!d.trained()) {
                LOG.warn("Model {} v{} is UNTRAINED: its scores are reported with trained=false and never used for verdicts",
                        d.name(), d.version());
            }
            decoders = push(new FrameDecoders(FrameqRuntime.decodeLimits(config)));
            if (config.getBoolean(FrameqConfig.FR_ENABLED) || config.getBoolean(RouteRestoreConfig.RESTORE_ENABLED)) {
                LOG.warn("analyze runs the no-reference chain only: fr.enabled and restore.enabled are ignored");
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T push(T resource) {
        resources.push(resource);
        return resource;
    }

    /** The topology of {@code run}'s no-reference chain, reading {@link #INPUT_TOPIC}. */
    Topology topology() {
        return FrameqRuntime.noReferenceTopology(config, decoders, scorer, metrics).inputTopics(List.of(INPUT_TOPIC)).build();
    }

    /**
     * A driver of a fresh topology; close it.
     *
     * @param stateDir where its state stores live (one folder per driver)
     * @param wallClockStartMs the wall-clock time the driver starts at (it moves only when advanced)
     */
    @SuppressWarnings("deprecation") // the processing-exception-handler opt-in, deprecated in 4.3 and set by run as well
    TopologyTestDriver openDriver(Path stateDir, long wallClockStartMs) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.getString(FrameqConfig.APPLICATION_ID) + "-analyze");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "in-process:0"); // never contacted
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true); // as run sets it (no global stores either way)
        return new TopologyTestDriver(topology(), p, Instant.ofEpochMilli(wallClockStartMs));
    }

    String scoresTopic() {
        return config.getString(FrameqConfig.SCORES_TOPIC);
    }

    String alertsTopic() {
        return config.getString(FrameqConfig.ALERTS_TOPIC);
    }

    String dlqTopic() {
        return config.getString(FrameqConfig.DLQ_TOPIC);
    }

    FrameDecoders decoders() {
        return decoders;
    }

    ModelDescriptor model() {
        return scorer.descriptor();
    }

    int maxPayloadBytes() {
        return config.getInt(FrameqConfig.DECODE_MAX_BYTES);
    }

    long alertWindowMs() {
        return config.alertPolicy().windowMs();
    }

    @Override
    public void close() {
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
