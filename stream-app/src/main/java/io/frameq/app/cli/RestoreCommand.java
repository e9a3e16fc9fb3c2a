package io.frameq.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.frameq.event.EventJson;
import io.frameq.frame.DecodeLimits;
import io.frameq.frame.FrameDecodeException;
import io.frameq.frame.FrameDecoders;
import io.frameq.frame.FrameMetadata;
import io.frameq.frame.ImageEncoder;
import io.frameq.frame.RgbImage;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelRepository;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OrtRuntime;
import io.frameq.quality.NrScore;
import io.frameq.quality.NrScorer;
import io.frameq.restore.Restorer;
import io.frameq.restore.TiledRestorer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code frameq restore --model NAME IN OUT}: restores one image file, tile by tile
 * ({@link TiledRestorer}), writes OUT at the size of IN (PNG when OUT ends in {@code .png}, else
 * JPEG), and prints one JSON line: the NR score and quality before and after, the gain, the time
 * and the tiling (tile count, largest tensor).
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore an image file with a restore-family model; prints one JSON line with the NR scores before and after.")
public final class RestoreCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "IN", description = "JPEG or PNG file.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "Restored image (.png: PNG, otherwise JPEG).")
    Path out;

    @Option(names = "--model", required = true, description = "Restorer name (family restore), e.g. lpienet-lite or mirnet-v2-lite.")
    String model;

    @Option(names = "--scorer", defaultValue = "maniqa-lite", description = "NR model scoring before and after (default ${DEFAULT-VALUE}).")
    String scorer;

    @Option(names = "--tile", defaultValue = "512", description = "Longest tile side in pixels (default ${DEFAULT-VALUE}).")
    int tile;

    @Option(names = "--overlap", defaultValue = "32", description = "Minimum tile overlap, blended (default ${DEFAULT-VALUE}).")
    int overlap;

    @Option(names = "--jpeg-quality", defaultValue = "92", description = "JPEG quality of OUT (default ${DEFAULT-VALUE}).")
    int jpegQuality;

    @Option(names = "--side-by-side", paramLabel = "FILE", description = "Also write a before | after picture with the scores.")
    Path sideBySide;

    @Option(names = "--repository", paramLabel = "DIR", description = "Extra model repository directory (repeatable).")
    List<Path> repositories = new ArrayList<>();

    @Option(names = "--provider", defaultValue = "cpu", description = "cpu, cuda[:N] or tensorrt (default ${DEFAULT-VALUE}).")
    String provider;

    @Override
    public Integer call() throws IOException {
        ModelRepository repo = ModelRepository.of(repositories, true);
        ModelDescriptor d = repo.resolve(model);
        if (d.family() != ModelDescriptor.Family.RESTORE) {
            throw new IllegalArgumentException("--model " + model + ": family " + d.family().wire()
                    + " is not a restorer (family restore); restorers: " + repo.list().stream()
                    .filter(m -> m.family() == ModelDescriptor.Family.RESTORE).map(ModelDescriptor::name).toList());
        }
        RgbImage image;
        try (FrameDecoders decoders = new FrameDecoders(DecodeLimits.DEFAULT)) {
            image = decoders.decode(Files.readAllBytes(in), new FrameMetadata(Optional.empty(), -1, -1, -1, -1, -1)).get(0).image();
        } catch (FrameDecodeException e) {
            throw new IllegalArgumentException(in + ": " + e.getMessage(), e);
        }
        try (OrtRuntime ort = OrtRuntime.create(ExecutionConfig.parse(provider));
             Restorer restorer = Restorer.open(d, ort);
             NrScorer nr = NrScorer.open(repo, scorer, ort)) {
            TiledRestorer tiled = new TiledRestorer(restorer, tile, overlap);
            NrScore before = nr.score(image);
            long t0 = System.nanoTime();
            TiledRestorer.Result r = tiled.restore(image);
            long restoreNanos = System.nanoTime() - t0;
            NrScore after = nr.score(r.image());
            boolean png = out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
            Files.write(out, png ? ImageEncoder.png(r.image()) : ImageEncoder.jpeg(r.image(), jpegQuality));

            Map<String, Object> line = new LinkedHashMap<>();
            line.put("file", in.toString());
            line.put("out", out.toString());
            line.put("model", d.name());
            line.put("version", d.version());
            line.put("trained", d.trained());
            line.put("scorer", nr.descriptor().name());
            line.put("width", image.width());
            line.put("height", image.height());
            line.put("score_before", before.score());
            line.put("score_after", after.score());
            line.put("quality_before", before.quality());
            line.put("quality_after", after.quality());
            line.put("gain", after.quality() - before.quality());
            line.put("restore_ms", restoreNanos / 1e6);
            line.put("inference_ms", r.inferenceNanos() / 1e6);
            line.put("tile", tile);
            line.put("overlap", overlap);
            line.put("tiles", r.stats().tiles());
            line.put("max_tensor_elements", r.stats().maxTensorElements());
            line.put("band_elements", r.stats().bandElements());
            if (sideBySide != null) {
                SideBySide.write(SideBySide.compose(image, String.format(Locale.ROOT, "before  q=%.3f", before.quality()),
                        r.image(), String.format(Locale.ROOT, "%s  q=%.3f (%+.3f)", d.name(), after.quality(),
                                after.quality() - before.quality())), sideBySide);
                line.put("side_by_side", sideBySide.toString());
            }
            System.out.println(EventJson.toJson(line));
        }
        return 0;
    }
}
