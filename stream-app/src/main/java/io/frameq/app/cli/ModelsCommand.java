package io.frameq.app.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import io.frameq.event.EventJson;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelRepository;
import io.frameq.model.TensorSpec;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code frameq models}: the model repository with contracts and checksums. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List the model repository: contracts, checksums, provenance.")
public final class ModelsCommand implements Callable<Integer> {

    @Option(names = "--repository", paramLabel = "DIR", description = "Extra model repository directory (repeatable).")
    List<Path> repositories = new ArrayList<>();

    @Option(names = "--json", description = "Print each descriptor as one JSON line.")
    boolean json;

    @Override
    public Integer call() {
        ModelRepository repo = ModelRepository.of(repositories, true);
        for (ModelDescriptor d : repo.list()) {
            if (json) {
                System.out.println(EventJson.toJson(d));
                continue;
            }
            System.out.printf("%s v%d  [%s, %s/%s]  %s%n", d.name(), d.version(), d.family(), d.architecture(), d.config(),
                    d.trained() ? "trained" : "UNTRAINED");
            System.out.printf("  sha256   %s%n", d.sha256());
            for (TensorSpec t : d.inputs()) {
                System.out.printf("  input    %-12s %s %s%n", t.name(), t.dtype(), Arrays.toString(t.shape()));
            }
            for (TensorSpec t : d.outputs()) {
                System.out.printf("  output   %-12s %s %s%n", t.name(), t.dtype(), Arrays.toString(t.shape()));
            }
            System.out.printf("  size     %,d parameters, %.2f GFLOP per %s%n", d.parameters(), d.gflopsPerUnit(), d.workUnit());
        }
        return 0;
    }
}
