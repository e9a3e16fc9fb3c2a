package io.frameq.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frameq.model.FloatTensor;
import io.frameq.model.LongTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelDescriptorParser;
import io.frameq.model.ModelLoadException;
import io.frameq.model.ModelRepository;
import io.frameq.model.Tensor;
import io.frameq.testing.TestModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class OnnxModelTest {

    private static OrtRuntime cpu;
    private static ModelDescriptor tiny;

    @TempDir
    Path tmp;

    @BeforeAll
    static void openRuntime() {
        cpu = OrtRuntime.create(ExecutionConfig.cpu().withThreads(1, 1));
        tiny = ModelRepository.of(List.of(TestModels.REPO), false).resolve("tiny-nr");
    }

    @AfterAll
    static void closeRuntime() {
        cpu.close();
    }

    private static FloatTensor randomBatch(int n, long seed) {
        Random r = new Random(seed);
        float[] data = new float[n * 3 * 224 * 224];
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextFloat() * 2 - 1;
        }
        return new FloatTensor(data, new long[] {n, 3, 224, 224});
    }

    /** A copy of tiny-nr whose model.json is edited; the ONNX file is untouched. */
    private ModelDescriptor alteredTiny(Consumer<ObjectNode> edit) {
        Path copy = TestModels.copyModel(TestModels.TINY_NR, tmp);
        TestModels.editJson(copy.resolve("model.json"), edit);
        return ModelDescriptorParser.parse(copy.resolve("model.json"));
    }

    @Test
    void shouldRunAndReturnEveryOutputByName() {
        try (OnnxModel model = OnnxModel.open(tiny, cpu)) {
            Map<String, FloatTensor> out = model.run("image", randomBatch(2, 1));

            assertThat(model.activeProvider()).isEqualTo("cpu");
            assertThat(out.keySet()).containsExactly("score", "score_map", "weight_map");
            assertThat(out.get("score").shape()).containsExactly(2);
            assertThat(out.get("score_map").shape()).containsExactly(2, 14, 14);
            assertThat(out.get("weight_map").shape()).containsExactly(2, 14, 14);
            for (float s : out.get("score").data()) {
                assertThat(s).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void shouldFetchOnlyTheRequestedOutputs() {
        try (OnnxModel model = OnnxModel.open(tiny, cpu)) {
            Map<String, FloatTensor> out = model.run(Map.of("image", randomBatch(1, 2)), java.util.Set.of("score"));

            assertThat(out.keySet()).containsExactly("score");
        }
    }

    @Test
    void shouldFailAtLoadWhenTheSha256IsAltered() {
        String fake = "ab".repeat(32);
        ModelDescriptor d = alteredTiny(n -> n.put("sha256", fake));

        assertThatThrownBy(() -> OnnxModel.open(d, cpu))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("model 'tiny-nr': field 'sha256': expected " + fake + ", actual " + tiny.sha256())
                .satisfies(e -> {
                    ModelLoadException m = (ModelLoadException) e;
                    assertThat(m.model()).isEqualTo("tiny-nr");
                    assertThat(m.field()).isEqualTo("sha256");
                    assertThat(m.expected()).isEqualTo(fake);
                    assertThat(m.actual()).startsWith(tiny.sha256());
                });
    }

    @Test
    void shouldFailAtLoadWhenTheInputShapeIsAltered() {
        ModelDescriptor d = alteredTiny(n -> {
            ArrayNode shape = (ArrayNode) n.get("inputs").get(0).get("shape");
            shape.set(2, 256);
            shape.set(3, 256);
            ((ObjectNode) n.get("preprocess").get("crop")).putArray("size").add(256).add(256);
        });

        assertThatThrownBy(() -> OnnxModel.open(d, cpu))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("model 'tiny-nr': field 'inputs[0].shape': expected [-1, 3, 256, 256] (model.json), "
                        + "actual [-1, 3, 224, 224] (ONNX graph input 'image')");
    }

    @Test
    void shouldFailAtLoadWhenAnOutputNameIsAltered() {
        ModelDescriptor d = alteredTiny(n -> ((ObjectNode) n.get("outputs").get(0)).put("name", "mos"));

        assertThatThrownBy(() -> OnnxModel.open(d, cpu))
                .hasMessage("model 'tiny-nr': field 'outputs': expected names [mos, score_map, weight_map] (model.json), "
                        + "actual [score, score_map, weight_map] (ONNX graph outputs)");
    }

    @Test
    void shouldFailAtLoadWhenAnOutputDtypeIsAltered() {
        ModelDescriptor d = alteredTiny(n -> ((ObjectNode) n.get("outputs").get(1)).put("dtype", "float16"));

        assertThatThrownBy(() -> OnnxModel.open(d, cpu))
                .hasMessage("model 'tiny-nr': field 'outputs[1].dtype': expected float16 (model.json), "
                        + "actual float32 (ONNX graph output 'score_map')");
    }

    @Test
    void shouldRefuseAGraphWhoseExportFrozeTheBatch() {
        ModelDescriptor frozen = ModelRepository.of(List.of(Path.of("src/test/resources/onnx-broken")), false)
                .resolve("tiny-frozen-batch");

        assertThatThrownBy(() -> OnnxModel.open(frozen, cpu))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("model 'tiny-frozen-batch': field 'outputs[1].shape': expected [-1, 14, 14] (model.json), "
                        + "actual [1, 14, 14] (ONNX graph output 'score_map')");
    }

    @Test
    void shouldRunTheSameWithSpinWaitTurnedOff() {
        FloatTensor batch = randomBatch(2, 5);
        try (OrtRuntime blocking = OrtRuntime.create(ExecutionConfig.cpu().withThreads(2, 1).withSpinWait(false));
             OnnxModel a = OnnxModel.open(tiny, blocking); OnnxModel b = OnnxModel.open(tiny, cpu)) {
            assertThat(a.run("image", batch).get("score").data()).containsExactly(b.run("image", batch).get("score").data());
        }
    }

    @Test
    void shouldFallBackToCpuWithAWarningWhenCudaIsUnavailable() {
        Logger logger = (Logger) LoggerFactory.getLogger(OnnxModel.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (OrtRuntime cuda = OrtRuntime.create(ExecutionConfig.parse("cuda:0"));
             OnnxModel model = OnnxModel.open(tiny, cuda)) {
            // This build runs the CPU onnxruntime jar: the CUDA provider cannot be added.
            assertThat(model.activeProvider()).isEqualTo("cpu");
            assertThat(model.run("image", randomBatch(1, 3)).get("score").data()).hasSize(1);
            assertThat(appender.list).anySatisfy(e -> {
                assertThat(e.getLevel().toString()).isEqualTo("WARN");
                assertThat(e.getFormattedMessage())
                        .startsWith("model 'tiny-nr': execution provider cuda:0 requested but unavailable, falling back to cpu");
            });
        } finally {
            logger.detachAppender(appender);
        }
    }

    @Test
    void shouldRejectInputsThatDoNotFitTheDescriptor() {
        try (OnnxModel model = OnnxModel.open(tiny, cpu)) {
            assertThatThrownBy(() -> model.run("image", new FloatTensor(new float[3 * 8 * 8], new long[] {1, 3, 8, 8})))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("model 'tiny-nr': input 'image' expected float32[-1, 3, 224, 224], actual float32[1, 3, 8, 8]");
            assertThatThrownBy(() -> model.run("img", randomBatch(1, 4)))
                    .hasMessage("model 'tiny-nr': inputs expected [image], actual [img]");
        }
    }

    @Test
    void shouldRefuseToRunAfterClose() {
        OnnxModel model = OnnxModel.open(tiny, cpu);
        model.close();
        model.close(); // idempotent

        assertThatThrownBy(() -> model.run("image", randomBatch(1, 5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("Trying to run closed model 'tiny-nr'");
    }

    @Test
    void shouldGiveTheSameResultsWhenSharedByManyThreads() throws Exception {
        List<FloatTensor> inputs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            inputs.add(randomBatch(1 + i % 3, 100 + i));
        }
        try (OnnxModel model = OnnxModel.open(tiny, cpu)) {
            List<float[]> expected = inputs.stream().map(in -> model.run("image", in).get("score").data()).toList();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<Boolean>> futures = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    futures.add(pool.submit(() -> {
                        for (int k = 0; k < 20; k++) {
                            int i = k % inputs.size();
                            if (!java.util.Arrays.equals(model.run("image", inputs.get(i)).get("score").data(), expected.get(i))) {
                                return false;
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> f : futures) {
                    assertThat(f.get()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** fr-iqa inputs for vtamiq-lite: {@code b} pairs of {@code n} random patches, with float32 positions and int64 scales. */
    private static Map<String, Tensor> patchSet(int b, int n, long seed) {
        Random r = new Random(seed);
        float[] ref = new float[b * n * 3 * 16 * 16];
        float[] dist = new float[ref.length];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = r.nextFloat() * 4 - 2;
            dist[i] = ref[i] + (float) r.nextGaussian() * 0.3f;
        }
        float[] pos = new float[b * n * 2];
        long[] scales = new long[b * n * 2];
        for (int i = 0; i < b * n; i++) {
            pos[2 * i] = r.nextFloat();
            pos[2 * i + 1] = r.nextFloat();
            scales[2 * i] = scales[2 * i + 1] = r.nextInt(5);
        }
        return Map.of("patches_ref", new FloatTensor(ref, new long[] {b, n, 3, 16, 16}),
                "patches_dist", new FloatTensor(dist, new long[] {b, n, 3, 16, 16}),
                "positions", new FloatTensor(pos, new long[] {b, n, 2}),
                "scales", new LongTensor(scales, new long[] {b, n, 2}));
    }

    @Test
    void shouldRunMultipleNamedInputsIncludingInt64() {
        ModelDescriptor vtamiq = ModelRepository.bundled().resolve("vtamiq-lite");
        try (OnnxModel model = OnnxModel.open(vtamiq, cpu)) {
            Map<String, FloatTensor> out = model.run(patchSet(3, 32, 1));
            assertThat(out).containsOnlyKeys("score");
            assertThat(out.get("score").shape()).containsExactly(3);
            for (float v : out.get("score").data()) {
                assertThat(v).isFinite();
            }
            // the same pair alone gives the same score (dynamic batch and patch axes)
            Map<String, Tensor> again = patchSet(3, 32, 1);
            assertThat(model.run(again).get("score").data()).isEqualTo(out.get("score").data());
            assertThat(model.run(patchSet(1, 7, 2)).get("score").shape()).containsExactly(1);
        }
    }

    @Test
    void shouldRejectInputsOfTheWrongDtype() {
        ModelDescriptor vtamiq = ModelRepository.bundled().resolve("vtamiq-lite");
        try (OnnxModel model = OnnxModel.open(vtamiq, cpu)) {
            Map<String, Tensor> in = new java.util.HashMap<>(patchSet(1, 4, 3));
            in.put("scales", new FloatTensor(new float[8], new long[] {1, 4, 2}));
            assertThatThrownBy(() -> model.run(in))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("model 'vtamiq-lite': input 'scales' expected int64[-1, -1, 2], actual float32[1, 4, 2]");
            in.put("scales", new LongTensor(new long[8], new long[] {1, 4, 2}));
            in.put("positions", new LongTensor(new long[8], new long[] {1, 4, 2}));
            assertThatThrownBy(() -> model.run(in))
                    .hasMessage("model 'vtamiq-lite': input 'positions' expected float32[-1, -1, 2], actual int64[1, 4, 2]");
        }
        try (OnnxModel model = OnnxModel.open(tiny, cpu)) {
            assertThatThrownBy(() -> model.run(Map.of("image", new LongTensor(new long[3 * 224 * 224], new long[] {1, 3, 224, 224}))))
                    .hasMessage("model 'tiny-nr': input 'image' expected float32[-1, 3, 224, 224], actual int64[1, 3, 224, 224]");
        }
    }
}
