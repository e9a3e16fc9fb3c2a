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
import io.frameq.detect.LearnedFaults;
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
import io.frameq.quality.ClassicFr;
import io.frameq.quality.FaultClassifier;
import io.frameq.quality.FrScore;
import io.frameq.quality.FrScorer;
import io.frameq.quality.NrScore;
import io.frameq.quality.NrScorer;
import io.frameq.translate.FrTranslator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code frameq score IMAGE|DIR... [--files-from LIST]}: one JSON line per image, in a stable order
 * (see {@link InputFiles}), with {@code file}, {@code model},
 * {@code score} (the model's own scale) and {@code quality} (0..1, higher is better: the model's quality
 * calibrated with the detectors, {@code VerdictPolicy.judge}) — the same fields as the scores topic — plus
 * {@code model_quality} (the model's own 0..1 quality), detector readings and {@code faults}, the spatial
 * diagnosis: {@code [{"type", "confidence", "cells"}]}, and {@code model_map}, the model's per-patch score and weight on
 * the same grid (as in the scores topic's events), with the learned fault classifier's faults fused in when
 * {@code --fault-head} names one ({@code io.frameq.detect.LearnedFaults}; its per-class output is printed as
 * {@code fault_probabilities}). A file that cannot be scored gets a line
 * with {@code error}; the exit code is then 1.
 *
 * <p>With {@code --ref REF} every image is scored against the reference by a full-reference model
 * ({@code FrScorer}): {@code file}, {@code ref}, {@code model}, {@code version}, {@code trained},
 * {@code score}, {@code quality}, {@code resized} (a rendition of another size was resized to the
 * reference grid), {@code psnr} (dB; null for identical pixels) and {@code ssim} on the reference grid.
 */
@Command(name = "score", mixinStandardHelpOptions = true, description = "Score image files; prints one JSON object per line.")
public final class ScoreCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "IMAGE",
            description = "Image files, or directories (every image under them, recursively, sorted by path).")
    List<Path> arguments = new ArrayList<>();

    @Option(names = "--files-from", paramLabel = "LIST",
            description = "Also score the files listed in LIST, one path per line ('-' reads standard input; repeatable). "
                    + "Thousands of files never depend on the command line's length this way.")
    List<String> listFiles = new ArrayList<>();

    /** The files to score, in output order; set by {@link #call()}. */
    private List<Path> images;

    static final String DEFAULT_MODEL = "maniqa-lite";

    @Option(names = "--model", defaultValue = DEFAULT_MODEL,
            description = "Model name (default ${DEFAULT-VALUE}; with --ref, the first fr-iqa model unless an fr-iqa model is named).")
    String model;

    @Option(names = "--ref", paramLabel = "REF",
            description = "Reference image: score each IMAGE against it with an fr-iqa model (plus PSNR and SSIM); "
                    + "images of another size with the same aspect ratio are resized to the reference first.")
    Path ref;

    @Option(names = "--side-by-side", paramLabel = "FILE",
            description = "With --ref: also write a reference | rendition picture with the scores (several images: FILE-1, FILE-2, ...).")
    Path sideBySide;

    @Option(names = "--repository", paramLabel = "DIR", description = "Extra model repository directory (repeatable).")
    List<Path> repositories = new ArrayList<>();

    @Option(names = "--provider", defaultValue = "cpu", description = "cpu, cuda[:N] or tensorrt (default ${DEFAULT-VALUE}).")
    String provider;

    @Option(names = "--quality-threshold", defaultValue = "0.45", description = "Verdict threshold on quality (default ${DEFAULT-VALUE}).")
    double qualityThreshold;

    /**
     * Off by default: on the check half of the real development set the bundled fault-head raised more false flags on
     * clean photos and clip frames than it gained in recall (models/EVAL.md, "Fault diagnosis on real footage").
     */
    @Option(names = "--fault-head", paramLabel = "MODEL", defaultValue = "none",
            description = "Learned fault classifier (e.g. " + FaultClassifier.DEFAULT_MODEL + ") whose per-class "
                    + "probabilities are fused into the rule diagnosis (default ${DEFAULT-VALUE}: the rules alone).")
    String faultHead;

    @Option(names = "--cells", hidden = true,
            description = "Also print the spatial grid readings of every cell (for tuning the fault rules).")
    boolean cells;

    @Override
    public Integer call() throws Exception {
        images = InputFiles.expand(arguments, listFiles, System.in);
        ModelRepository repo = ModelRepository.of(repositories, true);
        if (sideBySide != null && ref == null) {
            throw new IllegalArgumentException("--side-by-side needs --ref (it shows the reference next to the image)");
        }
        if (ref != null) {
            return scoreAgainstReference(repo);
        }
        VerdictPolicy verdicts = new VerdictPolicy(qualityThreshold);
        DetectorSuite detectors = new DetectorSuite(DetectorThresholds.DEFAULTS);
        int failures = 0;
        try (OrtRuntime ort = OrtRuntime.create(ExecutionConfig.parse(provider));
             NrScorer scorer = NrScorer.open(repo, model, ort);
             FaultClassifier classifier = "none".equals(faultHead) ? null : FaultClassifier.open(repo, faultHead, ort);
             FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            ModelDescriptor d = scorer.descriptor();
            LearnedFaults learned = classifier == null ? null : new LearnedFaults(classifier.classes());
            for (Path image : images) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("file", image.toString());
                line.put("model", d.name());
                try {
                    RgbImage img = decoders.decode(Files.readAllBytes(image),
                            new FrameMetadata(Optional.empty(), -1, -1, -1, -1, -1)).get(0).image();
                    DetectorReport report = detectors.analyze(img, null);
                    Map<String, Double> probabilities = classifier == null ? null : classifier.classify(img);
                    if (learned != null) {
                        report = learned.fuse(report, probabilities);
                    }
                    NrScore s = scorer.score(img);
                    VerdictPolicy.Judgement judgement = verdicts.judge(report, s.quality(), d.trained());
                    List<String> reasons = judgement.reasons();
                    line.put("version", d.version());
                    line.put("trained", d.trained());
                    line.put("score", s.score());
                    line.put("quality", judgement.quality());
                    line.put("model_quality", s.quality());
                    line.put("verdict", reasons.isEmpty() ? "ok" : "degraded");
                    line.put("degradations", reasons);
                    line.put("width", img.width());
                    line.put("height", img.height());
                    line.put("detectors", io.frameq.event.ScoreEvent.jsonSafe(report.readings().asMap()));
                    line.put("faults", report.faults().stream().map(io.frameq.event.ScoreEvent.FaultInfo::of).toList());
                    if (s.map() != null) { // where the model's score comes from, as in the scores topic's events
                        line.put("model_map", io.frameq.event.ScoreEvent.ModelMap.of(s.map(), s.score()));
                    }
                    if (probabilities != null) {
                        line.put("fault_probabilities", probabilities);
                    }
                    if (cells && report.cells() != null) {
                        line.put("cells", cellsJson(report.cells()));
                    }
                } catch (IOException | RuntimeException e) { // FrameDecodeException included
                    failures++;
                    line.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                System.out.println(EventJson.toJson(line));
            }
        }
        return failures == 0 ? 0 : 1;
    }

    /**
     * {@code --ref}: each image against the reference with an fr-iqa model ({@code --model} when it
     * names one, else the first fr-iqa model of the repository), plus PSNR and SSIM on the
     * reference grid.
     */
    private int scoreAgainstReference(ModelRepository repo) throws IOException {
        String name = frModel(repo);
        int failures = 0;
        try (OrtRuntime ort = OrtRuntime.create(ExecutionConfig.parse(provider));
             FrScorer scorer = FrScorer.open(repo, name, ort);
             FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            ModelDescriptor d = scorer.descriptor();
            RgbImage reference;
            try {
                reference = decode(decoders, ref);
            } catch (FrameDecodeException e) {
                throw new IllegalArgumentException("--ref " + ref + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < images.size(); i++) {
                Path image = images.get(i);
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("file", image.toString());
                line.put("ref", ref.toString());
                line.put("model", d.name());
                try {
                    RgbImage img = decode(decoders, image);
                    FrScore s = scorer.score(reference, img);
                    RgbImage onGrid = FrTranslator.toReferenceGrid(reference, img);
                    line.put("version", d.version());
                    line.put("trained", d.trained());
                    line.put("score", s.score());
                    line.put("quality", s.quality());
                    line.put("resized", s.resized());
                    double psnr = ClassicFr.psnr(reference, onGrid);
                    line.put("psnr", Double.isInfinite(psnr) ? null : psnr); // null: identical pixels
                    line.put("ssim", ClassicFr.ssim(reference, onGrid));
                    line.put("width", img.width());
                    line.put("height", img.height());
                    if (sideBySide != null) {
                        Path file = SideBySide.forImage(sideBySide, i + 1, images.size());
                        SideBySide.write(SideBySide.compose(reference, "reference", onGrid, String.format(java.util.Locale.ROOT,
                                "%s q=%.3f  PSNR %.2f dB  SSIM %.4f", d.name(), s.quality(), psnr, (Double) line.get("ssim"))),
                                file);
                        line.put("side_by_side", file.toString());
                    }
                } catch (IOException | RuntimeException e) { // FrameDecodeException included
                    failures++;
                    line.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                System.out.println(EventJson.toJson(line));
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private String frModel(ModelRepository repo) {
        List<String> fr = repo.list().stream().filter(d -> d.family() == ModelDescriptor.Family.FR_IQA)
                .map(ModelDescriptor::name).toList();
        if (repo.list().stream().anyMatch(d -> d.name().equals(model) && d.family() == ModelDescriptor.Family.FR_IQA)) {
            return model;
        }
        if (!model.equals(DEFAULT_MODEL)) {
            throw new IllegalArgumentException("--ref: model '" + model + "' is not a full-reference (fr-iqa) model; fr-iqa models: " + fr);
        }
        if (fr.isEmpty()) {
            throw new IllegalArgumentException("--ref: full-reference scoring needs an fr-iqa model; this repository has none");
        }
        return fr.get(0);
    }

    private static Map<String, Object> cellsJson(io.frameq.detect.CellReadings c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cols", c.cols());
        m.put("rows", c.rows());
        for (var rc : io.frameq.detect.CellReading.class.getRecordComponents()) {
            List<Double> v = new ArrayList<>();
            for (var cell : c.cells()) {
                try {
                    v.add((Double) rc.getAccessor().invoke(cell));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
            m.put(rc.getName(), v);
        }
        return m;
    }

    private static RgbImage decode(FrameDecoders decoders, Path file) throws IOException, FrameDecodeException {
        return decoders.decode(Files.readAllBytes(file), new FrameMetadata(Optional.empty(), -1, -1, -1, -1, -1)).get(0).image();
    }
}
