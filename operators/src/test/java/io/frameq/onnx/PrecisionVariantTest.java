package io.frameq.onnx;

import static io.frameq.testing.TestModels.tinyJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frameq.model.FloatTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelDescriptorParser;
import io.frameq.model.ModelLoadException;
import io.frameq.testing.TestModels;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reduced-precision siblings of the shipped models ({@code variants.fp16} and {@code variants.int8}
 * in model.json): parsed and checked; fp16 chosen for CUDA/TensorRT and not for CPU, int8 chosen for the
 * CPU only on request; and — since ONNX Runtime's CPU provider runs both — loaded through the same
 * contract checks and compared with the fp32 graph.
 */
class PrecisionVariantTest {

    /**
     * Max |fp16 - fp32| allowed on the outputs. fp16 keeps ~3 decimal digits; on random inputs
     * frameq_models/export/fp16.py measured at most 5.4e-4 (maniqa-lite) when it made these files.
     */
    private static final double TOLERANCE = 2e-3;
    /**
     * Max |int8 - fp32| allowed on the NR model's frame quality (the mean of its crops' scores, the number
     * FrameQ reports). Dynamic int8 quantisation moves single patch scores by up to ~0.04 on random inputs
     * (frameq_models/export/int8.py records it per model); the crop score, a weighted mean over patches, by far less.
     */
    private static final double INT8_SCORE_TOLERANCE = 0.01;

    private static OrtRuntime cpu;

    @TempDir
    Path tmp;

    @BeforeAll
    static void openRuntime() {
        cpu = OrtRuntime.create(ExecutionConfig.cpu().withThreads(1, 1));
    }

    @AfterAll
    static void closeRuntime() {
        cpu.close();
    }

    private static ModelDescriptor project(String name) {
        return ModelDescriptorParser.parse(TestModels.PROJECT_REPO.resolve(name + "/model.json"));
    }

    @Test
    void shouldListAnFp16SiblingForEveryShippedNonCodecModel() {
        for (String name : List.of("maniqa-lite", "vtamiq-lite", "lpienet-lite", "mirnet-v2-lite")) {
            ModelDescriptor d = project(name);
            assertThat(d.variants()).as(name).containsKey(ModelDescriptor.FP16);
            ModelDescriptor half = d.fp16Descriptor().orElseThrow();
            assertThat(half.file()).isEqualTo("model.fp16.onnx").isNotEqualTo(d.file());
            assertThat(half.inputs()).isEqualTo(d.inputs());
            assertThat(half.outputs()).isEqualTo(d.outputs());
            Path file = half.onnxFile().orElseThrow();
            assertThat(file).exists();
            assertThat(file.toFile().length()).as(name + " fp16 size").isLessThan(25L * 1024 * 1024)
                    .isLessThan(d.onnxFile().orElseThrow().toFile().length()); // weights halved (graph overhead stays)
            assertThat(half.readOnnx()).isNotEmpty(); // sha256 checked
        }
        assertThat(project("wacnn-lite").variants()).isEmpty();
    }

    @Test
    void shouldListAnInt8SiblingForTheTransformerIqaModels() {
        for (String name : List.of("maniqa-lite", "vtamiq-lite")) {
            ModelDescriptor d = project(name);
            ModelDescriptor q = d.variantDescriptor(ModelDescriptor.INT8).orElseThrow();
            assertThat(q.file()).isEqualTo("model.int8.onnx");
            assertThat(q.inputs()).isEqualTo(d.inputs());
            assertThat(q.variants()).isEmpty();
            assertThat(q.onnxFile().orElseThrow().toFile().length()).as(name + " int8 size")
                    .isLessThan(d.onnxFile().orElseThrow().toFile().length() / 2);
            assertThat(q.readOnnx()).isNotEmpty(); // sha256 checked
        }
    }

    @Test
    void shouldChooseInt8OnCpuOnlyWhenAskedAndNeverOnGpu() {
        ModelDescriptor d = project("maniqa-lite");
        assertThat(OnnxModel.graphFor(d, ExecutionConfig.cpu().withCpuInt8(true)).file()).isEqualTo("model.int8.onnx");
        assertThat(OnnxModel.graphFor(d, ExecutionConfig.cpu().withCpuInt8(false)).file()).isEqualTo("model.onnx");
        assertThat(OnnxModel.graphFor(d, ExecutionConfig.parse("cuda").withCpuInt8(true)).file()).isEqualTo("model.fp16.onnx");
        ModelDescriptor convNet = project("lpienet-lite"); // no int8 sibling: fp32 on request too
        assertThat(OnnxModel.graphFor(convNet, ExecutionConfig.cpu().withCpuInt8(true)).file()).isEqualTo("model.onnx");
    }

    @Test
    void shouldScoreLikeFp32WithTheInt8NrModel() {
        ModelDescriptor d = project("maniqa-lite");
        FloatTensor crops = random(new long[] {3, 3, 224, 224}, -1, 1, 5);
        try (OrtRuntime int8 = OrtRuntime.create(ExecutionConfig.cpu().withThreads(1, 1).withCpuInt8(true));
             OnnxModel full = OnnxModel.open(d, cpu); OnnxModel quant = OnnxModel.open(d, int8)) {
            assertThat(quant.precision()).isEqualTo("int8");
            assertThat(quant.graphFile()).isEqualTo("model.int8.onnx");
            assertThat(full.precision()).isEqualTo("fp32");
            float[] a = full.run(Map.of("image", crops)).get("score").data();
            float[] b = quant.run(Map.of("image", crops)).get("score").data();
            assertThat(b).hasSameSizeAs(a);
            double maxDiff = 0;
            for (int i = 0; i < a.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
            }
            assertThat(maxDiff).as("max |int8 - fp32| crop score").isLessThan(INT8_SCORE_TOLERANCE).isGreaterThan(0.0);
        }
    }

    @Test
    void shouldChooseFp16OnGpuProvidersAndFp32OnCpu() {
        ModelDescriptor d = project("maniqa-lite");
        assertThat(OnnxModel.graphFor(d, ExecutionConfig.cpu()).file()).isEqualTo("model.onnx");
        assertThat(OnnxModel.graphFor(d, ExecutionConfig.parse("cuda:0")).file()).isEqualTo("model.fp16.onnx");
        assertThat(OnnxModel.graphFor(d, ExecutionConfig.parse("tensorrt")).file()).isEqualTo("model.fp16.onnx");
        ModelDescriptor noVariant = project("wacnn-lite");
        assertThat(OnnxModel.graphFor(noVariant, ExecutionConfig.parse("cuda")).file()).isEqualTo(noVariant.file());
    }

    @Test
    void shouldRunFp32WhenCudaFallsBackToCpu() {
        // This build runs the CPU onnxruntime jar: CUDA cannot be added, the session falls back to
        // CPU and must then load the fp32 graph, not the fp16 one picked for the GPU.
        try (OrtRuntime cuda = OrtRuntime.create(ExecutionConfig.parse("cuda:0").withThreads(1, 1));
             OnnxModel model = OnnxModel.open(project("lpienet-lite"), cuda)) {
            assertThat(model.activeProvider()).isEqualTo("cpu");
            assertThat(model.precision()).isEqualTo("fp32");
            assertThat(model.graphFile()).isEqualTo("model.onnx");
        }
    }

    @Test
    void shouldMatchFp32WithinToleranceOnCpuForTheRestorer() {
        ModelDescriptor d = project("lpienet-lite");
        FloatTensor frame = random(new long[] {1, 3, 48, 64}, 0, 1, 7);
        assertClose(d, Map.of("image", frame));
    }

    @Test
    void shouldMatchFp32WithinToleranceOnCpuForTheNrModel() {
        ModelDescriptor d = project("maniqa-lite");
        FloatTensor crops = random(new long[] {2, 3, 224, 224}, -1, 1, 11);
        assertClose(d, Map.of("image", crops));
    }

    private static void assertClose(ModelDescriptor d, Map<String, FloatTensor> inputs) {
        try (OnnxModel full = OnnxModel.open(d, cpu); OnnxModel half = OnnxModel.open(d.fp16Descriptor().orElseThrow(), cpu)) {
            assertThat(half.graphFile()).isEqualTo("model.fp16.onnx");
            Map<String, FloatTensor> a = full.run(inputs);
            Map<String, FloatTensor> b = half.run(inputs);
            assertThat(b.keySet()).isEqualTo(a.keySet());
            double maxDiff = 0;
            for (String k : a.keySet()) {
                float[] x = a.get(k).data();
                float[] y = b.get(k).data();
                assertThat(y).hasSameSizeAs(x);
                for (int i = 0; i < x.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
                }
            }
            assertThat(maxDiff).as(d.name() + " max |fp16 - fp32|").isLessThan(TOLERANCE).isGreaterThan(0.0);
        }
    }

    @Test
    void shouldRejectAnFp16VariantWithAWrongSha256() throws Exception {
        Path model = TestModels.copyModel(TestModels.PROJECT_REPO.resolve("lpienet-lite"), tmp);
        Path json = model.resolve("model.json");
        ObjectNode root = TestModels.readJson(json);
        ((ObjectNode) root.get("variants").get("fp16")).put("sha256", "0".repeat(64));
        Files.writeString(json, TestModels.JSON.writeValueAsString(root));
        ModelDescriptor d = ModelDescriptorParser.parse(json);
        try (OrtRuntime cuda = OrtRuntime.create(ExecutionConfig.parse("cuda:0"))) {
            assertThatThrownBy(() -> OnnxModel.open(d, cuda))
                    .isInstanceOf(ModelLoadException.class)
                    .hasMessageStartingWith("model 'lpienet-lite': field 'sha256': expected " + "0".repeat(64));
        }
    }

    @Test
    void shouldParseAndValidateTheVariantsBlock() {
        URI source = URI.create("file:/repo/tiny-nr/model.json");
        String sha = "a".repeat(64);
        ModelDescriptor d = ModelDescriptorParser.parse(tinyJson(n -> n.putObject("variants").putObject("fp16")
                .put("file", "model.fp16.onnx").put("sha256", sha).put("max_abs_diff_vs_fp32", 1e-4)), source);
        assertThat(d.variants()).containsExactly(Map.entry(ModelDescriptor.FP16, new ModelDescriptor.Variant("model.fp16.onnx", sha)));
        assertThat(ModelDescriptorParser.parse(tinyJson(n -> { }), source).variants()).isEmpty();

        assertThatThrownBy(() -> ModelDescriptorParser.parse(tinyJson(n -> n.putObject("variants").putObject("fp16")
                .put("file", "model.fp16.onnx").put("sha256", sha).put("speed", 2)), source))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("field 'variants.fp16");
        assertThatThrownBy(() -> ModelDescriptorParser.parse(tinyJson(n -> n.putObject("variants").putObject("int4")
                .put("file", "model.int4.onnx").put("sha256", sha)), source))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("variants");
        ModelDescriptor both = ModelDescriptorParser.parse(tinyJson(n -> {
            ObjectNode v = n.putObject("variants");
            v.putObject("fp16").put("file", "model.fp16.onnx").put("sha256", sha);
            v.putObject("int8").put("file", "model.int8.onnx").put("sha256", sha);
        }), source);
        assertThat(both.variants()).containsOnlyKeys(ModelDescriptor.FP16, ModelDescriptor.INT8);
        assertThatThrownBy(() -> ModelDescriptorParser.parse(tinyJson(n -> {
            ObjectNode v = n.putObject("variants");
            v.putObject("fp16").put("file", "model.x.onnx").put("sha256", sha);
            v.putObject("int8").put("file", "model.x.onnx").put("sha256", sha);
        }), source))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("field 'variants.int8.file'").hasMessageContaining("a file other than the fp16 graph");
        assertThatThrownBy(() -> ModelDescriptorParser.parse(tinyJson(n -> n.putObject("variants").putObject("fp16")
                .put("file", n.get("file").asText()).put("sha256", sha)), source))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("field 'variants.fp16.file'").hasMessageContaining("a file other than the fp32 graph");
        assertThatThrownBy(() -> ModelDescriptorParser.parse(tinyJson(n -> n.putObject("variants").putObject("fp16")
                .put("file", "model.fp16.onnx").put("sha256", "XYZ")), source))
                .isInstanceOf(ModelLoadException.class).hasMessageContaining("field 'variants.fp16.sha256'");
    }

    private static FloatTensor random(long[] shape, float low, float high, long seed) {
        Random r = new Random(seed);
        float[] data = new float[Math.toIntExact(FloatTensor.elementCount(shape))];
        for (int i = 0; i < data.length; i++) {
            data[i] = low + (high - low) * r.nextFloat();
        }
        return new FloatTensor(data, shape);
    }
}
