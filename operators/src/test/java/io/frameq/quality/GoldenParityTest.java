package io.frameq.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameq.frame.RgbImage;
import io.frameq.model.FloatTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelRepository;
import io.frameq.model.TensorSpec;
import io.frameq.onnx.ExecutionConfig;
import io.frameq.onnx.OnnxModel;
import io.frameq.onnx.OrtRuntime;
import io.frameq.restore.Restorer;
import io.frameq.testing.Images;
import io.frameq.testing.Npy;
import io.frameq.testing.TestModels;
import io.frameq.translate.CropSampler.Box;
import io.frameq.codec.LearnedCodec;
import io.frameq.translate.FrTranslator;
import io.frameq.translate.NrTranslator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Model parity: for every golden folder ({@code models/golden/<name>/} of the project and
 * {@code src/test/resources/golden/<case>/} of the tiny stand-in), the Java path must reproduce the
 * Python reference ({@code frameq_models.export.golden}):
 * <ul>
 *   <li>nr-iqa — frame.png decoded with javax.imageio, {@code CropSampler}, {@code ImageNormalizer},
 *       {@code OnnxModel}, {@code NrTranslator}: the crop boxes exactly, input.npy and every output
 *       .npy within the folder's tolerance (1e-4), and the frame and crop scores within it.</li>
 *   <li>fr-iqa — ref.png and dist.png decoded with javax.imageio, {@code PatchSampler} (Halton
 *       positions, pyramid), {@code ImageNormalizer}, {@code OnnxModel}, {@code FrTranslator}: the
 *       per-level patch counts and scales.npy exactly, patches_ref.npy, patches_dist.npy,
 *       positions.npy and every output .npy within the tolerance, and the pair score within it.</li>
 *   <li>restore — frame.png decoded with javax.imageio, {@code Restorer} (whole frame through
 *       {@code ImageNormalizer} and {@code OnnxModel}): input.npy and the restored output .npy
 *       within the tolerance, shapes as in expected.json, and the 8-bit image of the output equal
 *       to the rounded Python output.</li>
 * </ul>
 *
 * <p>To check another checkout's models without merging it, add roots with
 * {@code -Dframeq.test.modelDirs=DIR[:DIR]} and {@code -Dframeq.test.goldenDirs=DIR[:DIR]}.
 */
@org.junit.jupiter.api.Tag("slow")
class GoldenParityTest {

    private static OrtRuntime runtime;
    private static ModelRepository repo;

    @BeforeAll
    static void open() {
        runtime = OrtRuntime.create(ExecutionConfig.cpu().withThreads(2, 1));
        List<Path> roots = new ArrayList<>(List.of(TestModels.REPO));
        if (Files.isDirectory(TestModels.PROJECT_REPO)) {
            roots.add(TestModels.PROJECT_REPO);
        }
        roots.addAll(extra("frameq.test.modelDirs"));
        repo = ModelRepository.of(roots, false);
    }

    @AfterAll
    static void close() {
        runtime.close();
    }

    private static List<Path> goldenFolders() throws IOException {
        List<Path> folders = new ArrayList<>();
        List<Path> roots = new ArrayList<>(List.of(TestModels.PROJECT_GOLDEN, TestModels.TINY_GOLDEN));
        roots.addAll(extra("frameq.test.goldenDirs"));
        for (Path root : roots) {
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.list(root)) {
                    s.filter(p -> Files.isRegularFile(p.resolve("expected.json"))).sorted().forEach(folders::add);
                }
            }
        }
        return folders;
    }

    private static List<Path> extra(String property) {
        String v = System.getProperty(property, "");
        return v.isBlank() ? List.of() : Stream.of(v.split(java.io.File.pathSeparator)).map(Path::of).toList();
    }

    @TestFactory
    Stream<DynamicTest> shouldReproduceEveryGoldenFolder() throws IOException {
        List<Path> folders = goldenFolders();
        assertThat(folders).as("golden folders under %s and %s", TestModels.PROJECT_GOLDEN, TestModels.TINY_GOLDEN).isNotEmpty();
        return folders.stream().map(f -> DynamicTest.dynamicTest(f.toString(), () -> checkGolden(f)));
    }

    private static void checkGolden(Path folder) throws IOException {
        JsonNode expected = TestModels.JSON.readTree(folder.resolve("expected.json").toFile());
        double tol = expected.path("tolerance").asDouble(1e-4);
        ModelDescriptor d = repo.resolve(expected.get("model").asText(), expected.get("version").asInt());
        if (expected.has("sha256")) {
            assertThat(d.sha256()).as("sha256 of the model the golden files were made with").isEqualTo(expected.get("sha256").asText());
        }
        if (d.family() == ModelDescriptor.Family.FR_IQA) {
            checkFrGolden(folder, d, expected, tol);
            return;
        }
        if (d.family() == ModelDescriptor.Family.RESTORE) {
            checkRestoreGolden(folder, d, expected, tol);
            return;
        }
        if (d.family() == ModelDescriptor.Family.CODEC) {
            checkCodecGolden(folder, d, expected, tol);
            return;
        }
        if (d.family() == ModelDescriptor.Family.FAULT_HEAD) {
            checkFaultHeadGolden(folder, d, tol);
            return;
        }
        NrTranslator translator = new NrTranslator(d);
        RgbImage frame = Images.read(folder.resolve("frame.png"));

        // 1. crop boxes, [y, x, h, w]
        NrTranslator.Batch batch = translator.preprocess(frame, null);
        List<List<Integer>> boxes = new ArrayList<>();
        for (Box b : batch.plan().boxes()) {
            boxes.add(List.of(b.y(), b.x(), b.height(), b.width()));
        }
        List<List<Integer>> expectedBoxes = new ArrayList<>();
        expected.get("crop_boxes").forEach(b -> expectedBoxes.add(List.of(b.get(0).asInt(), b.get(1).asInt(), b.get(2).asInt(),
                b.get(3).asInt())));
        assertThat(boxes).as("crop boxes").isEqualTo(expectedBoxes);

        // 2. the input batch
        TensorSpec input = d.inputs().get(0);
        assertClose("input " + input.name(), batch.tensor(), Npy.read(folder.resolve("input.npy")), tol);

        // 3. every output, from the Java batch
        Map<String, FloatTensor> outputs;
        try (OnnxModel model = OnnxModel.open(d, runtime)) {
            outputs = model.run(input.name(), batch.tensor());
        }
        for (TensorSpec out : d.outputs()) {
            assertClose("output " + out.name(), outputs.get(out.name()), Npy.read(folder.resolve(out.name() + ".npy")), tol);
        }

        // 4. crop scores and the frame score
        NrTranslator.Scores scores = translator.postprocess(outputs, batch.plan().units());
        double[] expectedCrops = new double[expected.get("crop_scores").size()];
        for (int i = 0; i < expectedCrops.length; i++) {
            expectedCrops[i] = expected.get("crop_scores").get(i).asDouble();
        }
        assertThat(scores.cropScores()).as("crop scores").containsExactly(expectedCrops, org.assertj.core.api.Assertions.within(tol));
        assertThat(scores.score()).as("frame score").isCloseTo(expected.get("frame_score").asDouble(),
                org.assertj.core.api.Assertions.within(tol));
        System.out.printf("golden parity: %s frame score java %.8f python %.8f%n", folder, scores.score(),
                expected.get("frame_score").asDouble());
    }

    /** Full-reference golden: ref.png + dist.png → the four patch-set inputs → score. */
    private static void checkFrGolden(Path folder, ModelDescriptor d, JsonNode expected, double tol) throws IOException {
        FrTranslator translator = new FrTranslator(d);
        RgbImage ref = Images.read(folder.resolve("ref.png"));
        RgbImage dist = Images.read(folder.resolve("dist.png"));

        // 1. the patch plan: per-level counts and scale indices exactly, positions within tolerance
        FrTranslator.Batch batch = translator.preprocess(ref, dist);
        assertThat(batch.resized()).as("golden pairs have equal sizes").isFalse();
        List<Integer> counts = new ArrayList<>();
        expected.get("scale_counts").forEach(c -> counts.add(c.asInt()));
        assertThat(batch.plan().countsPerScale()).as("patches per level").containsExactly(
                counts.stream().mapToInt(Integer::intValue).toArray());
        Npy.Array scales = Npy.read(folder.resolve("scales.npy"));
        assertThat(batch.scales().shape()).as("scales shape").containsExactly(scales.shape());
        long[] javaScales = batch.scales().data();
        for (int i = 0; i < javaScales.length; i++) {
            assertThat((float) javaScales[i]).as("scales flat index %d", i).isEqualTo(scales.data()[i]);
        }
        double positionDiff = maxAbsDiff("input positions", batch.positions(), Npy.read(folder.resolve("positions.npy")), tol);
        System.out.printf("golden parity: %-24s max |java - python| = %.3g (%s)%n", "input positions", positionDiff,
                batch.plan());

        // 2. the patches of both images
        assertClose("input patches_ref", batch.patchesRef(), Npy.read(folder.resolve("patches_ref.npy")), tol);
        assertClose("input patches_dist", batch.patchesDist(), Npy.read(folder.resolve("patches_dist.npy")), tol);

        // 3. every output, from the Java inputs
        Map<String, FloatTensor> outputs;
        try (OnnxModel model = OnnxModel.open(d, runtime)) {
            outputs = model.run(batch.inputs());
        }
        for (TensorSpec out : d.outputs()) {
            assertClose("output " + out.name(), outputs.get(out.name()), Npy.read(folder.resolve(out.name() + ".npy")), tol);
        }

        // 4. the pair score
        FrTranslator.Scores scores = translator.postprocess(outputs);
        assertThat(scores.score()).as("pair score").isCloseTo(expected.get("frame_score").asDouble(),
                org.assertj.core.api.Assertions.within(tol));
        assertThat(expected.get("unit_scores").get(0).asDouble()).isCloseTo(scores.score(),
                org.assertj.core.api.Assertions.within(tol));
        System.out.printf("golden parity: %s pair score java %.8f python %.8f (quality %.6f)%n", folder, scores.score(),
                expected.get("frame_score").asDouble(), scores.quality());
    }

    /**
     * Codec golden: frame.png → Java encoder: latents within tolerance, symbols exactly, the stream
     * byte for byte (so Python decodes Java's stream and vice versa); Python's stream.bin → Java
     * decoder: the same symbols and reconstruction; Java → Java round trip exact.
     */
    private static void checkCodecGolden(Path folder, ModelDescriptor d, JsonNode expected, double tol) throws IOException {
        RgbImage frame = Images.read(folder.resolve("frame.png"));
        try (LearnedCodec codec = LearnedCodec.open(d, runtime)) {
            LearnedCodec.Encoded enc = codec.encode(frame);
            assertClose("latents y", enc.y(), Npy.read(folder.resolve("y.npy")), tol);
            assertClose("hyper-latents z", enc.z(), Npy.read(folder.resolve("z.npy")), tol);
            assertThat(asFloats(enc.zSymbols())).as("z symbols").containsExactly(Npy.read(folder.resolve("z_symbols.npy")).data());
            assertThat(asFloats(enc.ySymbols())).as("y symbols").containsExactly(Npy.read(folder.resolve("y_symbols.npy")).data());
            byte[] python = Files.readAllBytes(folder.resolve("stream.bin"));
            assertThat(enc.stream()).as("Java's stream equals Python's").isEqualTo(python);
            assertThat(enc.stream()).hasSize(expected.get("stream_bytes").asInt());
            assertClose("reconstruction (encoder)", enc.xHat(), Npy.read(folder.resolve("x_hat.npy")), tol);

            LearnedCodec.Decoded fromPython = codec.decode(python);
            assertThat(fromPython.ySymbols()).as("y symbols decoded from Python's stream").containsExactly(enc.ySymbols());
            assertThat(fromPython.zSymbols()).as("z symbols decoded from Python's stream").containsExactly(enc.zSymbols());
            assertClose("reconstruction (decoder)", fromPython.xHat(), Npy.read(folder.resolve("x_hat.npy")), tol);
            assertThat(fromPython.xHat().data()).as("Java round trip").containsExactly(enc.xHat().data());
            RgbImage recon = Images.read(folder.resolve("recon.png"));
            assertThat(fromPython.image().pixels()).as("8-bit reconstruction").isEqualTo(recon.pixels());
            System.out.printf("golden parity: %s stream %d bytes identical, %.3f bpp%n", folder, python.length,
                    8.0 * python.length / (frame.width() * frame.height()));
        }
    }

    private static float[] asFloats(int[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    /** Restore golden: frame.png → whole-frame input → restored image tensor. */
    private static void checkRestoreGolden(Path folder, ModelDescriptor d, JsonNode expected, double tol) throws IOException {
        RgbImage frame = Images.read(folder.resolve("frame.png"));
        try (Restorer restorer = Restorer.open(d, runtime)) {
            FloatTensor input = restorer.input(frame);
            List<Long> inShape = new ArrayList<>();
            expected.get("input_shape").forEach(n -> inShape.add(n.asLong()));
            assertThat(input.shape()).as("input shape").containsExactly(inShape.stream().mapToLong(Long::longValue).toArray());
            assertClose("input " + d.inputs().get(0).name(), input, Npy.read(folder.resolve("input.npy")), tol);

            Restorer.Restored restored = restorer.restore(frame);
            String out = d.outputs().get(0).name();
            Npy.Array want = Npy.read(folder.resolve(out + ".npy"));
            List<Long> outShape = new ArrayList<>();
            expected.get("output_shape").forEach(n -> outShape.add(n.asLong()));
            assertThat(restored.tensor().shape()).as("output shape").containsExactly(
                    outShape.stream().mapToLong(Long::longValue).toArray());
            double worst = maxAbsDiff("output " + out, restored.tensor(), want, tol);
            double mean = 0;
            for (float v : restored.tensor().data()) {
                mean += v;
            }
            mean /= restored.tensor().data().length;
            assertThat(mean).as("output mean").isCloseTo(expected.get("output_mean").asDouble(),
                    org.assertj.core.api.Assertions.within(tol));

            // the 8-bit frame: Python's rounding of restored.npy, within one level where a value sits on a .5 boundary
            RgbImage img = restored.image();
            assertThat(img.width()).isEqualTo(frame.width());
            assertThat(img.height()).isEqualTo(frame.height());
            int plane = img.width() * img.height();
            int worstLevel = 0;
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < plane; i++) {
                    int py = (int) Math.max(0, Math.min(255, Math.floor(want.data()[c * plane + i] * 255.0 + 0.5)));
                    worstLevel = Math.max(worstLevel, Math.abs((img.pixels()[i * 3 + c] & 0xff) - py));
                }
            }
            assertThat(worstLevel).as("8-bit restored frame vs rounded python output").isLessThanOrEqualTo(1);
            System.out.printf("golden parity: %s restored max |java - python| = %.3g, 8-bit max diff %d level(s)%n",
                    folder, worst, worstLevel);
        }
    }

    /** Fault head: frame.png decoded with javax.imageio, FaultClassifier's box shrink (input.npy), probabilities.npy. */
    private static void checkFaultHeadGolden(Path folder, ModelDescriptor d, double tol) throws IOException {
        RgbImage frame = Images.read(folder.resolve("frame.png"));
        int size = d.preprocess().crop().height();
        assertClose("input image", new FloatTensor(FaultClassifier.boxResize(frame, size), new long[] {1, 3, size, size}),
                Npy.read(folder.resolve("input.npy")), tol);
        try (FaultClassifier classifier = FaultClassifier.open(d, runtime)) {
            Map<String, Double> p = classifier.classify(frame);
            float[] got = new float[p.size()];
            int i = 0;
            for (double v : p.values()) {
                got[i++] = (float) v;
            }
            assertClose("output probabilities", new FloatTensor(got, new long[] {1, got.length}),
                    Npy.read(folder.resolve("probabilities.npy")), tol);
        }
    }

    private static void assertClose(String what, FloatTensor actual, Npy.Array expected, double tol) {
        double worst = maxAbsDiff(what, actual, expected, tol);
        System.out.printf("golden parity: %-24s max |java - python| = %.3g%n", what, worst);
    }

    private static double maxAbsDiff(String what, FloatTensor actual, Npy.Array expected, double tol) {
        assertThat(actual.shape()).as(what + " shape").containsExactly(expected.shape());
        float[] a = actual.data();
        float[] e = expected.data();
        double worst = 0;
        int at = -1;
        for (int i = 0; i < e.length; i++) {
            double diff = Math.abs(a[i] - e[i]);
            if (!(diff <= worst)) {
                worst = diff;
                at = i;
            }
        }
        assertThat(worst).as("%s: max |java - python| (at flat index %d: java %s, python %s)", what, at,
                at >= 0 ? a[at] : 0, at >= 0 ? e[at] : 0).isLessThanOrEqualTo(tol);
        return worst;
    }
}
