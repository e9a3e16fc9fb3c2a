package io.frameq.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import io.frameq.app.config.FrameqConfig;
import io.frameq.app.runtime.FrameqRuntime;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code frameq run --config FILE}: production mode against an external Kafka cluster. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the FrameQ topology against an external Kafka cluster until stopped (SIGTERM/Ctrl-C).")
public final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file (see `frameq config`). FRAMEQ_* variables override it.")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        FrameqConfig cfg = FrameqConfig.load(config, System.getenv());
        if (cfg.getList(FrameqConfig.BOOTSTRAP_SERVERS).isEmpty()) {
            throw new ConfigException("'" + FrameqConfig.BOOTSTRAP_SERVERS + "' is required for `run` (file or FRAMEQ_BOOTSTRAP_SERVERS)");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (FrameqRuntime runtime = FrameqRuntime.open(cfg)) {
            runtime.streams().setStateListener((now, before) -> {
                LOG.info("Kafka Streams {} -> {}", before, now);
                if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                    stopped.countDown();
                }
            });
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                LOG.info("Shutting down");
                runtime.close();
                stopped.countDown();
            }, "frameq-shutdown"));
            runtime.start();
            stopped.await();
            return runtime.streams().state() == KafkaStreams.State.ERROR ? 1 : 0;
        }
    }
}
