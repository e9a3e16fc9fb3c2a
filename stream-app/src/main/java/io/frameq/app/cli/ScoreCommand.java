package io.frameq.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.frameq.detect.DetectorReport;
import io.frameq.detect.DetectorSuite;
import io.frameq.detect.DetectorThresholds;
import io.frameq.event.EventJson;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecodeException;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameMetadata;
import io.frameq.frame.RgbImage;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.processor.VerdictPolicy;
import io.frameq.quality.NrScore;
import io.frameq.quality.NrScorer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code frameq score IMAGE...}: one JSON line per image with {@code file}, {@code model},
 * {@code score} (the model's own scale) and {@code quality} (0..1, higher is better) — the same
 * fields as the scores topic — plus detector readings. A file that cannot be scored gets a line
 * with {@code error}; the exit code is then 1.
 */
@Command(name = "score", mixinStandardHelpOptions = true, description = "Score image files; prints one JSON object per line.")
public final class ScoreCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "JPEG or PNG files.")
    List<Path> images;

    @Option(names = "--model", defaultValue = "maniqa-lite", description = "Model name (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--ref", paramLabel = "REF", description = "Reference image for full-reference scoring (needs an fr-iqa model).")
    Path ref;

    @Option(names = "--repository", paramLabel = "DIR", description = "Extra model repository directory (repeatable).")
    List<Path> repositories = new ArrayList<>();

    @Option(names = "--provider", defaultValue = "cpu", description = "cpu, cuda[:N] or tensorrt (default ${DEFAULT-VALUE}).")
    String provider;

    @Option(names = "--quality-threshold", defaultValue = "0.5", description = "Verdict threshold on quality (default ${DEFAULT-VALUE}).")
    double qualityThreshold;

    @Override
    public Integer call() throws Exception {
        ModelRepository repo = ModelRepository.of(repositories, true);
        if (ref != null) {
            List<String> fr = repo.list().stream().filter(d -> "fr-iqa".equals(d.family().wire())).map(ModelDescriptor::name).toList();
            throw new IllegalArgumentException("--ref: full-reference scoring needs an fr-iqa model; "
                    + (fr.isEmpty() ? "this repository has none yet (VTAMIQ is not shipped in this release)"
                            : "the FR path is not available in this build (models present: " + fr + ")"));
        }
        VerdictPolicy verdicts = new VerdictPolicy(qualityThreshold);
        DetectorSuite detectors = new DetectorSuite(DetectorThresholds.DEFAULTS);
        int failures = 0;
        try (OrtRuntime ort = OrtRuntime.create(ExecutionConfig.parse(provider));
             NrScorer scorer = NrScorer.open(repo, model, ort);
             FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            ModelDescriptor d = scorer.descriptor();
            for (Path image : images) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("file", image.toString());
                line.put("model", d.name());
                try {
                    RgbImage img = decoders.decode(Files.readAllBytes(image),
                            new FrameMetadata(Optional.empty(), -1, -1, -1, -1, -1)).get(0).image();
                    DetectorReport report = detectors.analyze(img, null);
                    NrScore s = scorer.score(img);
                    List<String> reasons = verdicts.reasons(report, s.quality(), d.trained());
                    line.put("version", d.version());
                    line.put("trained", d.trained());
                    line.put("score", s.score());
                    line.put("quality", s.quality());
                    line.put("verdict", reasons.isEmpty() ? "ok" : "degraded");
                    line.put("degradations", reasons);
                    line.put("width", img.width());
                    line.put("height", img.height());
                    line.put("detectors", io.frameq.event.ScoreEvent.jsonSafe(report.readings().asMap()));
                } catch (IOException | FrameDecodeException | RuntimeException e) {
                    failures++;
                    line.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                System.out.println(EventJson.toJson(line));
            }
        }
        return failures == 0 ? 0 : 1;
    }
}
