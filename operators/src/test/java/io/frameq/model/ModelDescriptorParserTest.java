package io.frameq.model;

import static io.frameq.testing.TestModels.tinyJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frameq.model.ModelDescriptor.CropPolicy;
import io.frameq.model.ModelDescriptor.Direction;
import io.frameq.model.ModelDescriptor.Family;
import io.frameq.testing.TestModels;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ModelDescriptorParserTest {

    private static final URI SOURCE = URI.create("file:/repo/tiny-nr/model.json");

    private static ModelDescriptor parse(Consumer<ObjectNode> edit) {
        return ModelDescriptorParser.parse(tinyJson(edit), SOURCE);
    }

    private static ObjectNode crop(ObjectNode n) {
        return (ObjectNode) n.get("preprocess").get("crop");
    }

    @Test
    void shouldParseEveryFieldOfAValidDescriptor() {
        ModelDescriptor d = ModelDescriptorParser.parse(TestModels.TINY_NR.resolve("model.json"));

        assertThat(d.name()).isEqualTo("tiny-nr");
        assertThat(d.version()).isEqualTo(1);
        assertThat(d.family()).isEqualTo(Family.NR_IQA);
        assertThat(d.architecture()).contains("tiny_nr");
        assertThat(d.config()).contains("tiny");
        assertThat(d.file()).isEqualTo("model.onnx");
        assertThat(d.sha256()).hasSize(64);
        assertThat(d.opset()).hasValue(17);
        assertThat(d.inputs()).containsExactly(new TensorSpec("image", "float32", new long[] {-1, 3, 224, 224}));
        assertThat(d.outputs()).extracting(TensorSpec::name).containsExactly("score", "score_map", "weight_map");
        assertThat(d.output("score_map").orElseThrow().shape()).containsExactly(-1, 14, 14);
        assertThat(d.preprocess().colorOrder()).isEqualTo(ModelDescriptor.ColorOrder.RGB);
        assertThat(d.preprocess().scale()).isEqualTo(255.0);
        assertThat(d.preprocess().mean()).containsExactly(0.5, 0.5, 0.5);
        assertThat(d.preprocess().std()).containsExactly(0.5, 0.5, 0.5);
        assertThat(d.preprocess().crop()).isEqualTo(new ModelDescriptor.Crop(CropPolicy.FIVE_POINT, 224, 224,
                ModelDescriptor.Interpolation.BILINEAR));
        assertThat(d.preprocess().aggregate()).isEqualTo(ModelDescriptor.Aggregate.MEAN);
        ModelDescriptor.ScoreSpec score = d.score().orElseThrow();
        assertThat(score.direction()).isEqualTo(Direction.HIGHER_IS_BETTER);
        assertThat(score.low()).isEqualTo(0.0);
        assertThat(score.high()).isEqualTo(1.0);
        assertThat(score.quality()).isEqualTo(new ModelDescriptor.QualityMapping(ModelDescriptor.QualityKind.LINEAR, 0.2, 0.8));
        assertThat(d.workUnit()).contains("224x224 crop");
        assertThat(d.parameters()).isPresent();
        assertThat(d.gflopsPerUnit()).isPresent();
        assertThat(d.training().status()).isEqualTo(ModelDescriptor.TrainingStatus.UNTRAINED);
        assertThat(d.training().recipe()).contains("make_tiny_nr.py");
        assertThat(d.trained()).isFalse();
        assertThat(d.licence()).isEqualTo("Apache-2.0");
        assertThat(d.metrics()).isEmpty();
        assertThat(d.onnxFile()).contains(TestModels.TINY_NR.resolve("1/model.onnx").toAbsolutePath());
    }

    @Test
    void shouldResolveTheOnnxFileNextToModelJsonInsideAJar() {
        ModelDescriptor d = ModelDescriptorParser.parse(tinyJson(n -> { }),
                URI.create("jar:file:/x/frameq-models.jar!/frameq/models/tiny-nr/model.json"));

        assertThat(d.onnxUri()).hasToString("jar:file:/x/frameq-models.jar!/frameq/models/tiny-nr/1/model.onnx");
        assertThat(d.onnxFile()).isEmpty();
    }

    @Test
    void shouldReportTrainedWeights() {
        assertThat(parse(n -> ((ObjectNode) n.get("training")).put("status", "trained")).trained()).isTrue();
    }

    @Test
    void shouldKeepFreeFormMetrics() {
        ModelDescriptor d = parse(n -> ((ObjectNode) n.get("metrics")).put("srocc_kadid", 0.81).put("source", "eval.py"));

        assertThat(d.metrics()).containsEntry("srocc_kadid", 0.81).containsEntry("source", "eval.py");
        assertThat(parse(n -> ((ObjectNode) n.get("metrics")).putNull("pending")).metrics()).containsEntry("pending", null);
    }

    @Test
    void shouldAcceptAbsentOptionalFields() {
        ModelDescriptor d = parse(n -> n.remove(java.util.List.of("architecture", "config", "opset", "work_unit",
                "parameters", "gflops_per_unit", "metrics")));

        assertThat(d.architecture()).isEmpty();
        assertThat(d.opset()).isEmpty();
        assertThat(d.metrics()).isEmpty();
    }

    @Test
    void shouldRejectAnUnknownTopLevelKey() {
        assertThatThrownBy(() -> parse(n -> n.put("colour_order", "RGB")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageStartingWith("model 'tiny-nr': field 'colour_order': expected one of the known keys [name, version,")
                .hasMessageEndingWith("actual unknown key \"colour_order\"");
    }

    @Test
    void shouldParseTheBundledCodecAndKeepCodecKeysToTheCodecFamily() throws Exception {
        java.nio.file.Path codec = java.nio.file.Path.of("..", "models", "repository", "wacnn-lite", "model.json");
        ModelDescriptor d = ModelDescriptorParser.parse(codec);
        assertThat(d.family()).isEqualTo(ModelDescriptor.Family.CODEC);
        assertThat(d.file()).isEqualTo("g_a.onnx");

        assertThatThrownBy(() -> parse(n -> n.putObject("codec").putObject("graphs")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("field 'codec'").hasMessageContaining("belongs to family codec");
        assertThatThrownBy(() -> parse(n -> crop(n).put("multiple", 64)))
                .hasMessageContaining("field 'preprocess.crop.multiple'").hasMessageContaining("belongs to family codec");

        String withoutTables = java.nio.file.Files.readString(codec).replace("\"tables\":", "\"tablez\":");
        assertThatThrownBy(() -> ModelDescriptorParser.parse(withoutTables, codec.toAbsolutePath().toUri()))
                .hasMessageContaining("field 'codec.tables'").hasMessageContaining("missing");
    }

    @Test
    void shouldRejectAnUnknownNestedKey() {
        assertThatThrownBy(() -> parse(n -> crop(n).put("stride", 16)))
                .hasMessage("model 'tiny-nr': field 'preprocess.crop.stride': expected one of the known keys "
                        + "[policy, size, upscale_below, count, scales, sampling, pad, multiple], actual unknown key \"stride\"");
    }

    @Test
    void shouldRejectAMissingRequiredField() {
        assertThatThrownBy(() -> parse(n -> n.remove("sha256")))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("model 'tiny-nr': field 'sha256': expected 64 lower-case hex digits, actual missing")
                .satisfies(e -> {
                    ModelLoadException m = (ModelLoadException) e;
                    assertThat(m.model()).isEqualTo("tiny-nr");
                    assertThat(m.field()).isEqualTo("sha256");
                    assertThat(m.actual()).isEqualTo("missing");
                });
    }

    @Test
    void shouldRejectAMissingNestedField() {
        assertThatThrownBy(() -> parse(n -> ((ObjectNode) n.get("training")).remove("data_licence")))
                .hasMessage("model 'tiny-nr': field 'training.data_licence': expected the licence the weights inherit "
                        + "from their data, actual missing");
    }

    @Test
    void shouldNameTheModelByItsFolderWhenTheNameIsMissing() {
        assertThatThrownBy(() -> parse(n -> n.remove("name")))
                .hasMessage("model 'tiny-nr': field 'name': expected a name matching [a-z0-9][a-z0-9-]*, actual missing");
    }

    @Test
    void shouldRejectABadCropSize() {
        assertThatThrownBy(() -> parse(n -> crop(n).putArray("size").add(0)))
                .hasMessage("model 'tiny-nr': field 'preprocess.crop.size': expected [H, W] positive ints, actual [0]");
    }

    @Test
    void shouldRejectABadTensorShape() {
        assertThatThrownBy(() -> parse(n -> ((ArrayNode) n.get("inputs").get(0).get("shape")).set(2, 0)))
                .hasMessage("model 'tiny-nr': field 'inputs[0].shape': expected an array of dimensions, each -1 (dynamic) "
                        + "or a positive int, actual [-1,3,0,224]");
    }

    @Test
    void shouldRejectACropSizeThatDoesNotMatchTheInput() {
        assertThatThrownBy(() -> parse(n -> crop(n).putArray("size").add(256).add(256)))
                .hasMessage("model 'tiny-nr': field 'preprocess.crop.size': expected [224, 224] (H, W of inputs[0].shape), "
                        + "actual [256, 256]");
    }

    @Test
    void shouldRejectAnUnknownEnumValueListingTheValidOnes() {
        assertThatThrownBy(() -> parse(n -> crop(n).put("policy", "ten-crop")))
                .hasMessage("model 'tiny-nr': field 'preprocess.crop.policy': expected one of "
                        + "[five-point, centre, resize, tiles, none, patches], actual \"ten-crop\"");
    }

    @Test
    void shouldRejectWrongTypes() {
        assertThatThrownBy(() -> parse(n -> n.put("version", "1")))
                .hasMessage("model 'tiny-nr': field 'version': expected a positive int, actual \"1\"");
        assertThatThrownBy(() -> parse(n -> ((ObjectNode) n.get("preprocess")).putArray("std").add(0.5).add(0).add(0.5)))
                .hasMessage("model 'tiny-nr': field 'preprocess.std': expected 3 positive numbers, one per channel, "
                        + "actual [0.5,0,0.5]");
        assertThatThrownBy(() -> parse(n -> n.put("sha256", "ABC")))
                .hasMessage("model 'tiny-nr': field 'sha256': expected 64 lower-case hex digits, actual \"ABC\"");
    }

    @Test
    void shouldRejectAQualityMappingThatContradictsTheDirection() {
        assertThatThrownBy(() -> parse(n -> ((ObjectNode) n.get("score").get("quality")).put("high", 0.1)))
                .hasMessage("model 'tiny-nr': field 'score.quality': expected {low, high} with high > low for direction "
                        + "higher-is-better (low maps to quality 0, high to 1), actual {\"kind\":\"linear\",\"low\":0.2,\"high\":0.1}");
        assertThatThrownBy(() -> parse(n -> ((ObjectNode) n.get("score")).put("direction", "lower-is-better")))
                .hasMessageStartingWith("model 'tiny-nr': field 'score.quality': expected {low, high} with low > high for "
                        + "direction lower-is-better");
    }

    @Test
    void shouldParseFullReferencePatchSets() {
        ModelDescriptor d = ModelDescriptorParser.parse(TestModels.PROJECT_REPO.resolve("vtamiq-lite/model.json"));

        assertThat(d.family()).isEqualTo(Family.FR_IQA);
        assertThat(d.preprocess().layout()).isEqualTo(ModelDescriptor.Layout.BNCHW);
        assertThat(d.preprocess().crop().policy()).isEqualTo(CropPolicy.PATCHES);
        assertThat(d.preprocess().crop().patches()).contains(new ModelDescriptor.Patches(256, 5, ModelDescriptor.Sampling.CAPS));
        assertThat(d.score().orElseThrow().direction()).isEqualTo(Direction.LOWER_IS_BETTER);
        assertThat(d.inputs()).extracting(TensorSpec::name).containsExactly("patches_ref", "patches_dist", "positions", "scales");
    }

    @Test
    void shouldRefusePatchKeysOnImagePoliciesAndMismatchedLayouts() {
        assertThatThrownBy(() -> parse(n -> crop(n).put("count", 256)))
                .hasMessage("model 'tiny-nr': field 'preprocess.crop.count': expected no 'count' for policy five-point "
                        + "(it belongs to policy patches), actual 256");
        assertThatThrownBy(() -> parse(n -> ((ObjectNode) n.get("preprocess")).put("layout", "BNCHW")))
                .hasMessage("model 'tiny-nr': field 'preprocess.layout': expected NCHW for policy five-point, actual BNCHW");
    }

    @Test
    void shouldRejectFileNamesThatLeaveTheVersionFolder() {
        assertThatThrownBy(() -> parse(n -> n.put("file", "../../etc/passwd")))
                .hasMessageStartingWith("model 'tiny-nr': field 'file': expected a file name in the version folder");
    }

    @Test
    void shouldRejectDuplicateKeysAndInvalidJson() {
        String json = tinyJson(n -> { }).replaceFirst("\"version\" : 1", "\"version\" : 1, \"version\" : 2");
        assertThatThrownBy(() -> ModelDescriptorParser.parse(json, SOURCE))
                .hasMessageStartingWith("model 'tiny-nr': field '(json)': expected valid JSON in file:/repo/tiny-nr/model.json, "
                        + "actual Duplicate field 'version'");
        assertThatThrownBy(() -> ModelDescriptorParser.parse("{\"name\": ", SOURCE))
                .hasMessageStartingWith("model 'tiny-nr': field '(json)': expected valid JSON");
    }

    @Test
    void shouldRequireOneInputForNoReferenceModels() {
        assertThatThrownBy(() -> parse(n -> ((ArrayNode) n.get("inputs")).addObject()
                .put("name", "ref").put("dtype", "float32").putArray("shape").add(-1).add(3).add(224).add(224)))
                .hasMessageStartingWith("model 'tiny-nr': field 'inputs': expected exactly 1 input for family nr-iqa, actual 2 inputs");
    }

    @Test
    void shouldNotRequireAScoreForRestorationModels() {
        ModelDescriptor d = parse(n -> {
            n.put("family", "restore");
            n.remove("score");
            crop(n).put("policy", "none");
            crop(n).remove(java.util.List.of("size", "upscale_below"));
            ((ObjectNode) n.get("preprocess")).remove("aggregate");
        });

        assertThat(d.score()).isEmpty();
        assertThat(d.preprocess().crop().policy()).isEqualTo(CropPolicy.NONE);
    }

    @Test
    void shouldParseAFileOnDisk() {
        Path json = TestModels.TINY_NR.resolve("model.json");
        assertThat(ModelDescriptorParser.parse(json).source()).isEqualTo(json.toAbsolutePath().toUri());
    }

    // ------------------------------------------------------------------ fr-iqa (patch sets)

    private static final URI FR_SOURCE = URI.create("file:/repo/vtamiq-lite/model.json");

    private static ModelDescriptor parseFr(Consumer<ObjectNode> edit) {
        return ModelDescriptorParser.parse(TestModels.vtamiqJson(edit), FR_SOURCE);
    }

    private static ObjectNode input(ObjectNode n, int i) {
        return (ObjectNode) n.get("inputs").get(i);
    }

    @Test
    void shouldParseTheShippedFullReferenceContract() {
        ModelDescriptor d = parseFr(n -> { });

        assertThat(d.name()).isEqualTo("vtamiq-lite");
        assertThat(d.family()).isEqualTo(Family.FR_IQA);
        assertThat(d.architecture()).contains("vtamiq");
        assertThat(d.inputs()).containsExactly(
                new TensorSpec("patches_ref", "float32", new long[] {-1, -1, 3, 16, 16}),
                new TensorSpec("patches_dist", "float32", new long[] {-1, -1, 3, 16, 16}),
                new TensorSpec("positions", "float32", new long[] {-1, -1, 2}),
                new TensorSpec("scales", "int64", new long[] {-1, -1, 2}));
        assertThat(d.outputs()).containsExactly(new TensorSpec("score", "float32", new long[] {-1}));
        assertThat(d.preprocess().layout()).isEqualTo(ModelDescriptor.Layout.BNCHW);
        assertThat(d.preprocess().mean()).containsExactly(0.485, 0.456, 0.406);
        assertThat(d.preprocess().std()).containsExactly(0.229, 0.224, 0.225);
        assertThat(d.preprocess().crop()).isEqualTo(new ModelDescriptor.Crop(CropPolicy.PATCHES, 16, 16,
                ModelDescriptor.Interpolation.BILINEAR,
                java.util.Optional.of(new ModelDescriptor.Patches(256, 5, ModelDescriptor.Sampling.CAPS))));
        ModelDescriptor.ScoreSpec score = d.score().orElseThrow();
        assertThat(score.direction()).isEqualTo(Direction.LOWER_IS_BETTER);
        assertThat(score.low()).isEqualTo(0.0);
        assertThat(score.high()).isEqualTo(1.0);
        assertThat(score.quality()).isEqualTo(new ModelDescriptor.QualityMapping(ModelDescriptor.QualityKind.LINEAR, 1.0, 0.0));
        assertThat(d.workUnit()).contains("image pair, 256 patches of 16x16");
        assertThat(d.trained()).as("vtamiq-lite v3 carries trained weights").isTrue();
    }

    @Test
    void shouldMapLowerIsBetterScoresWithLowAboveHigh() {
        ModelDescriptor.QualityMapping q = parseFr(n -> { }).score().orElseThrow().quality();

        assertThat(q.apply(0.0)).isEqualTo(1.0);
        assertThat(q.apply(0.25)).isEqualTo(0.75);
        assertThat(q.apply(1.0)).isEqualTo(0.0);
        assertThat(q.apply(-0.5)).isEqualTo(1.0);
        assertThat(q.apply(1.5)).isEqualTo(0.0);
    }

    @Test
    void shouldCountPatchesPerLevelAsTheContractStates() {
        ModelDescriptor.Patches p256 = parseFr(n -> { }).preprocess().crop().patches().orElseThrow();

        assertThat(p256.countsPerScale(5)).containsExactly(165, 59, 21, 8, 3);
        assertThat(new ModelDescriptor.Patches(1024, 5, ModelDescriptor.Sampling.HALTON).countsPerScale(5))
                .containsExactly(663, 236, 84, 30, 11);
        assertThat(p256.countsPerScale(1)).containsExactly(256);
        assertThat(java.util.Arrays.stream(p256.countsPerScale(3)).sum()).isEqualTo(256);
    }

    @Test
    void shouldRequireTheFourPatchSetInputs() {
        assertThatThrownBy(() -> parseFr(n -> ((ArrayNode) n.get("inputs")).remove(3)))
                .isInstanceOf(ModelLoadException.class)
                .hasMessage("model 'vtamiq-lite': field 'inputs': expected exactly 4 inputs [patches_ref, patches_dist, "
                        + "positions, scales] (any order) for family fr-iqa, actual 3 inputs [patches_ref, patches_dist, positions]");
        assertThatThrownBy(() -> parseFr(n -> input(n, 2).put("name", "uv")))
                .hasMessage("model 'vtamiq-lite': field 'inputs': expected exactly 4 inputs [patches_ref, patches_dist, "
                        + "positions, scales] (any order) for family fr-iqa, actual 4 inputs [patches_ref, patches_dist, uv, scales]");
    }

    @Test
    void shouldAcceptThePatchSetInputsInAnyOrder() {
        ModelDescriptor d = parseFr(n -> {
            ArrayNode in = (ArrayNode) n.get("inputs");
            in.insert(0, in.remove(3));
        });

        assertThat(d.inputs()).extracting(TensorSpec::name).containsExactly("scales", "patches_ref", "patches_dist", "positions");
    }

    @Test
    void shouldCheckPatchSetDtypesAndShapes() {
        assertThatThrownBy(() -> parseFr(n -> input(n, 3).put("dtype", "float32")))
                .hasMessage("model 'vtamiq-lite': field 'inputs[3].dtype': expected int64 for input 'scales', actual float32");
        assertThatThrownBy(() -> parseFr(n -> input(n, 2).put("dtype", "int64")))
                .hasMessage("model 'vtamiq-lite': field 'inputs[2].dtype': expected float32 for input 'positions', actual int64");
        assertThatThrownBy(() -> parseFr(n -> ((ArrayNode) input(n, 0).get("shape")).remove(0)))
                .hasMessage("model 'vtamiq-lite': field 'inputs[0].shape': expected [B, N, 3, P, P] (BNCHW, 3 channels) for "
                        + "input 'patches_ref', actual [-1, 3, 16, 16]");
        assertThatThrownBy(() -> parseFr(n -> ((ArrayNode) input(n, 2).get("shape")).set(2, 3)))
                .hasMessage("model 'vtamiq-lite': field 'inputs[2].shape': expected [B, N, 2] for input 'positions', "
                        + "actual [-1, -1, 3]");
        assertThatThrownBy(() -> parseFr(n -> ((ArrayNode) input(n, 1).get("shape")).set(3, 8).set(4, 8)))
                .hasMessage("model 'vtamiq-lite': field 'preprocess.crop.size': expected [8, 8] (P, P of inputs[1].shape), "
                        + "actual [16, 16]");
        assertThatThrownBy(() -> parseFr(n -> ((ArrayNode) input(n, 3).get("shape")).set(1, 128)))
                .hasMessage("model 'vtamiq-lite': field 'inputs[3].shape': expected B, N equal to those of inputs[0] "
                        + "[-1, -1, 3, 16, 16], actual [-1, 128, 2]");
    }

    @Test
    void shouldRequireAFixedPatchAxisToEqualTheCount() {
        ModelDescriptor d = parseFr(n -> n.get("inputs").forEach(t -> ((ArrayNode) t.get("shape")).set(1, 256)));
        assertThat(d.inputs().get(0).dim(1)).isEqualTo(256);

        assertThatThrownBy(() -> parseFr(n -> n.get("inputs").forEach(t -> ((ArrayNode) t.get("shape")).set(1, 100))))
                .hasMessage("model 'vtamiq-lite': field 'preprocess.crop.count': expected 100 (N of inputs[0].shape), actual 256");
    }

    @Test
    void shouldTieLayoutPolicyAndFamilyTogether() {
        assertThatThrownBy(() -> parseFr(n -> ((ObjectNode) n.get("preprocess")).put("layout", "NCHW")))
                .hasMessage("model 'vtamiq-lite': field 'preprocess.layout': expected BNCHW for policy patches, actual NCHW");
        assertThatThrownBy(() -> parseFr(n -> crop(n).put("policy", "five-point")))
                .hasMessage("model 'vtamiq-lite': field 'preprocess.crop.count': expected no 'count' for policy five-point "
                        + "(it belongs to policy patches), actual 256");
        assertThatThrownBy(() -> parseFr(n -> {
            crop(n).put("policy", "centre").put("upscale_below", "bilinear");
            crop(n).remove(java.util.List.of("count", "scales", "sampling"));
            ((ObjectNode) n.get("preprocess")).put("layout", "NCHW");
        })).hasMessage("model 'vtamiq-lite': field 'preprocess.crop.policy': expected patches for family fr-iqa "
                + "(the patch-set contract), actual \"centre\"");
        assertThatThrownBy(() -> parse(n -> {
            crop(n).put("policy", "patches").put("count", 4).put("scales", 1).put("sampling", "halton").remove("upscale_below");
            ((ObjectNode) n.get("preprocess")).put("layout", "BNCHW");
        })).hasMessage("model 'tiny-nr': field 'preprocess.crop.policy': expected an image policy for family nr-iqa, "
                + "actual \"patches\"");
        assertThatThrownBy(() -> parse(n -> crop(n).put("policy", "patches").put("count", 4).put("scales", 1)
                .put("sampling", "halton").remove("upscale_below")))
                .hasMessage("model 'tiny-nr': field 'preprocess.layout': expected BNCHW for policy patches, actual NCHW");
        assertThatThrownBy(() -> parse(n -> crop(n).put("scales", 3)))
                .hasMessage("model 'tiny-nr': field 'preprocess.crop.scales': expected no 'scales' for policy five-point "
                        + "(it belongs to policy patches), actual 3");
    }

    @Test
    void shouldValidateThePatchParameters() {
        assertThatThrownBy(() -> parseFr(n -> crop(n).put("sampling", "random")))
                .hasMessage("model 'vtamiq-lite': field 'preprocess.crop.sampling': expected one of [halton, caps], actual \"random\"");
        assertThatThrownBy(() -> parseFr(n -> crop(n).remove("count")))
                .hasMessage("model 'vtamiq-lite': field 'preprocess.crop.count': expected a positive int, actual missing");
        assertThatThrownBy(() -> parseFr(n -> crop(n).put("scales", 0)))
                .hasMessage("model 'vtamiq-lite': field 'preprocess.crop.scales': expected a positive int, actual 0");
        assertThatThrownBy(() -> parseFr(n -> crop(n).putArray("size").add(16).add(8)))
                .hasMessage("model 'vtamiq-lite': field 'preprocess.crop.size': expected [P, P] positive ints (square patches), "
                        + "actual [16,8]");
        assertThatThrownBy(() -> parseFr(n -> crop(n).put("upscale_below", "bilinear")))
                .hasMessage("model 'vtamiq-lite': field 'preprocess.crop.upscale_below': expected no 'upscale_below' for "
                        + "policy patches (images are never enlarged; both must cover one patch), actual \"bilinear\"");
        assertThatThrownBy(() -> parseFr(n -> crop(n).put("count", 4)))
                .hasMessage("model 'vtamiq-lite': field 'preprocess.crop.count': expected a count that leaves level 0 at least "
                        + "one patch with 5 usable levels (level s >= 1 gets ceil(count * 2^(-1.5 s) / sum)), actual 4");
        assertThatThrownBy(() -> parseFr(n -> crop(n).put("stride", 8)))
                .hasMessage("model 'vtamiq-lite': field 'preprocess.crop.stride': expected one of the known keys "
                        + "[policy, size, upscale_below, count, scales, sampling, pad, multiple], actual unknown key \"stride\"");
    }

    @Test
    void shouldRequireQualityLowAndHighToFollowTheDirection() {
        assertThatThrownBy(() -> parseFr(n -> ((ObjectNode) n.get("score").get("quality")).put("low", 0.0).put("high", 1.0)))
                .hasMessage("model 'vtamiq-lite': field 'score.quality': expected {low, high} with low > high for direction "
                        + "lower-is-better (low maps to quality 0, high to 1), actual {\"kind\":\"linear\",\"low\":0.0,\"high\":1.0}");
    }
}
