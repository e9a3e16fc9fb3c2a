package io.frameq.app.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.frameq.app.config.FrameqConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code frameq config}: prints every configuration key, or validates a file. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the configuration reference (markdown), or validate a config file with --check.")
public final class ConfigCommand implements Callable<Integer> {

    @Option(names = "--check", paramLabel = "FILE", description = "Validate FILE (plus FRAMEQ_* variables) and print the effective values.")
    Path check;

    @Override
    public Integer call() {
        if (check == null) {
            System.out.print(FrameqConfig.markdownTable());
            return 0;
        }
        FrameqConfig config = FrameqConfig.load(check, System.getenv());
        config.values().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> System.out.println(e.getKey() + "=" + e.getValue()));
        // Secrets (passwords, JAAS configs) print as [hidden], as Kafka's own config dumps do.
        config.kafkaOverrides().forEach((k, v) -> System.out.println(FrameqConfig.KAFKA_PREFIX + k + "="
                + (FrameqConfig.isSecretKafkaKey(k) ? "[hidden]" : v)));
        return 0;
    }
}
