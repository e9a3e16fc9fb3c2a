package io.frameq.app;

import io.frameq.app.cli.ConfigCommand;
import io.frameq.app.cli.ModelsCommand;
import io.frameq.app.cli.RunCommand;
import io.frameq.app.cli.ScoreCommand;
import io.frameq.app.demo.DemoCommand;

import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code frameq} command line: {@code demo}, {@code run}, {@code score}, {@code analyze}, {@code models}, {@code config}. */
@Command(name = "frameq", mixinStandardHelpOptions = true, versionProvider = FrameqCli.Version.class,
        description = "Streaming image-quality monitor for Kafka media pipelines.",
        subcommands = {DemoCommand.class, RunCommand.class, ScoreCommand.class, ModelsCommand.class, ConfigCommand.class,
            io.frameq.app.bench.BenchCommand.class, io.frameq.app.cli.RestoreCommand.class,
            io.frameq.app.analyze.AnalyzeCommand.class, io.frameq.app.ingest.IngestCommand.class})
public final class FrameqCli implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new FrameqCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            // Configuration and argument mistakes are the user's to fix: one clear line, no stack trace.
            if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
                cmd.getErr().println("frameq " + cmd.getCommandName() + ": " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli.execute(args);
    }

    /** Version from the jar manifest when packaged. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FrameqCli.class.getPackage().getImplementationVersion();
            return new String[] {"frameq " + (v == null ? "dev" : v)};
        }
    }
}
