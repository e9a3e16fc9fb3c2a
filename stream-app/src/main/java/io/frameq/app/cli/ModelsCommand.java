package io.frameq.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

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
                System.out.println(descriptorJson(d));
                continue;
            }
            System.out.printf("%s v%d  [%s, %s/%s]  %s%n", d.name(), d.version(), d.family().wire(), d.architecture().orElse("-"),
                    d.config().orElse("-"), d.trained() ? "trained" : "UNTRAINED");
            System.out.printf("  sha256   %s%n", d.sha256());
            for (TensorSpec t : d.inputs()) {
                System.out.printf("  input    %-12s %s %s%n", t.name(), t.dtype(), Arrays.toString(t.shape()));
            }
            for (TensorSpec t : d.outputs()) {
                System.out.printf("  output   %-12s %s %s%n", t.name(), t.dtype(), Arrays.toString(t.shape()));
            }
            ModelDescriptor.Crop crop = d.preprocess().crop();
            System.out.printf("  crop     %s %dx%d%s, layout %s%n", crop.policy().wire(), crop.height(), crop.width(),
                    crop.patches().map(p -> ", " + p.count() + " patches over up to " + p.scales() + " scales, "
                            + p.sampling().wire() + " sampling").orElse(""), d.preprocess().layout().wire());
            d.score().ifPresent(s -> System.out.printf("  score    %s, quality = clamp((score - %s) / (%s - %s))%n",
                    s.direction().wire(), s.quality().low(), s.quality().high(), s.quality().low()));
            System.out.printf("  size     %s parameters, %s GFLOP per %s%n",
                    d.parameters().isPresent() ? String.format("%,d", d.parameters().getAsLong()) : "?",
                    d.gflopsPerUnit().isPresent() ? String.format("%.2f", d.gflopsPerUnit().getAsDouble()) : "?",
                    d.workUnit().orElse("work unit"));
        }
        return 0;
    }

    /** The model.json the descriptor was parsed from (already validated), on one line, plus its {@code source}. */
    private static String descriptorJson(ModelDescriptor d) {
        try (InputStream in = d.source().toURL().openStream()) {
            ObjectNode node = (ObjectNode) EventJson.mapper().readTree(in);
            node.put("source", d.source().toString());
            return EventJson.mapper().writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + d.source(), e);
        }
    }
}
