package io.frameq.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.frameq.model.ModelDescriptor.Aggregate;
import io.frameq.model.ModelDescriptor.ColorOrder;
import io.frameq.model.ModelDescriptor.Crop;
import io.frameq.model.ModelDescriptor.CropPolicy;
import io.frameq.model.ModelDescriptor.Direction;
import io.frameq.model.ModelDescriptor.Family;
import io.frameq.model.ModelDescriptor.Interpolation;
import io.frameq.model.ModelDescriptor.Layout;
import io.frameq.model.ModelDescriptor.Patches;
import io.frameq.model.ModelDescriptor.Preprocess;
import io.frameq.model.ModelDescriptor.QualityKind;
import io.frameq.model.ModelDescriptor.QualityMapping;
import io.frameq.model.ModelDescriptor.Sampling;
import io.frameq.model.ModelDescriptor.ScoreSpec;
import io.frameq.model.ModelDescriptor.Training;
import io.frameq.model.ModelDescriptor.TrainingStatus;
import io.frameq.model.ModelDescriptor.WireEnum;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code model.json} (schema: {@code models/MODEL-JSON.md}) into a {@link ModelDescriptor}.
 *
 * <p>Strict on purpose: unknown keys (at the top level and inside every known object except the
 * free-form {@code metrics}), duplicate keys, missing required fields, wrong types and values out of
 * range are all errors, reported as
 * {@code model 'maniqa-lite': field 'preprocess.crop.size': expected [H, W] positive ints, actual [0]}.
 * Cross-field rules are checked too:
 * <ul>
 *   <li>{@code nr-iqa}: exactly 1 input, float32 {@code [N, 3, H, W]} with H, W equal to
 *       {@code crop.size} where fixed; layout {@code NCHW}; any crop policy but {@code patches}.</li>
 *   <li>{@code fr-iqa} (the patch-set contract of {@code models/MODEL-JSON.md}, "Policy patches"):
 *       layout {@code BNCHW}, crop policy {@code patches}, and exactly 4 inputs, in any order:
 *       {@code patches_ref} and {@code patches_dist} float32 {@code [B, N, 3, P, P]},
 *       {@code positions} float32 {@code [B, N, 2]}, {@code scales} int64 {@code [B, N, 2]}, where
 *       P is the square {@code crop.size} and B, N are dynamic or fixed (-1 or a positive int).</li>
 *   <li>Layout {@code BNCHW} and policy {@code patches} go together, and only with fr-iqa (fr-iqa
 *       has no image-pair contract: its one contract is the patch set).</li>
 *   <li>Policy {@code patches} requires {@code count}, {@code scales} and {@code sampling}, a square
 *       {@code size}, a count that leaves level 0 at least one patch for every number of usable
 *       levels, and no {@code upscale_below}; other policies must not carry {@code count},
 *       {@code scales} or {@code sampling}.</li>
 *   <li>{@code restore}: no cross-field shape rules here (policy {@code none} needs no {@code size});
 *       {@link io.frameq.restore.Restorer} checks the image-to-image contract (one float32
 *       {@code [N, 3, H, W]} input, a 3-channel rank-4 float32 output, policy {@code none}) when it opens
 *       the model.</li>
 *   <li>{@code score.quality}: {@code low < high} for {@code higher-is-better},
 *       {@code low > high} for {@code lower-is-better} (quality is
 *       {@code clamp((score - low) / (high - low), 0, 1)} either way).</li>
 * </ul>
 *
 * <p>Optional fields: {@code architecture}, {@code config}, {@code opset}, {@code work_unit},
 * {@code parameters}, {@code gflops_per_unit}, {@code metrics}; {@code score} for families other
 * than nr-iqa and fr-iqa; {@code preprocess.aggregate} likewise; {@code crop.size} and
 * {@code crop.upscale_below} for policy {@code none}; {@code crop.upscale_below} is not allowed for
 * policy {@code patches}. Everything else is required.
 */
public final class ModelDescriptorParser {

    /** Folder and model names: lower-case letters, digits and dashes. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9._-]+");
    private static final List<String> DTYPES = List.of(
            "float32", "float16", "bfloat16", "float64", "int8", "int16", "int32", "int64", "uint8", "bool", "string");

    private static final List<String> TOP = List.of("name", "version", "family", "architecture", "config", "file", "sha256",
            "opset", "inputs", "outputs", "preprocess", "score", "work_unit", "parameters", "gflops_per_unit", "training",
            "licence", "metrics", "codec", "variants");
    private static final List<String> VARIANTS = List.of(ModelDescriptor.FP16, ModelDescriptor.INT8);
    /** {@code variants.<precision>}: the file and its digest are used; the rest records how it was made and checked. */
    private static final List<String> VARIANT = List.of("file", "sha256", "precision", "max_abs_diff_vs_fp32",
            "mean_abs_diff_vs_fp32", "diff_source");
    private static final List<String> TENSOR = List.of("name", "dtype", "shape");
    private static final List<String> PREPROCESS = List.of("color_order", "layout", "scale", "mean", "std", "crop", "aggregate");
    private static final List<String> CROP = List.of("policy", "size", "upscale_below", "count", "scales", "sampling", "pad",
            "multiple");
    /** Crop keys of the codec family: the frame is padded (centred, zeros) to a multiple of the codec's stride. */
    private static final List<String> CODEC_CROP_KEYS = List.of("pad", "multiple");
    /** Keys a codec's {@code codec} block must hold; its content is the Python reference's contract (MODEL-JSON.md). */
    private static final List<String> CODEC_REQUIRED = List.of("graphs", "tables", "entropy_coder");
    private static final List<String> PATCH_KEYS = List.of("count", "scales", "sampling");

    /** The fr-iqa patch-set inputs, by name: patches of the reference, of the distorted image, centres, scale indices. */
    public static final String PATCHES_REF = "patches_ref";
    public static final String PATCHES_DIST = "patches_dist";
    public static final String POSITIONS = "positions";
    public static final String SCALES = "scales";
    private static final List<String> FR_INPUTS = List.of(PATCHES_REF, PATCHES_DIST, POSITIONS, SCALES);
    private static final List<String> SCORE = List.of("direction", "range", "quality");
    private static final List<String> QUALITY = List.of("kind", "low", "high");
    private static final List<String> TRAINING = List.of("status", "data", "data_licence", "recipe");

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ModelDescriptorParser() {}

    /** Parses the {@code model.json} at {@code file}. */
    public static ModelDescriptor parse(Path file) {
        String json;
        try {
            json = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelLoadException(folderName(file.toUri()), "cannot read " + file + ": " + e, e);
        }
        return parse(json, file.toAbsolutePath().toUri());
    }

    /**
     * Parses {@code json}; {@code source} is where it came from (the ONNX file is resolved next to
     * it) and names the model in errors raised before its {@code name} field is known.
     */
    public static ModelDescriptor parse(String json, URI source) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelLoadException(folderName(source), "(json)", "valid JSON in " + source,
                    e.getOriginalMessage() + " at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr(), e);
        }
        String model = root != null && root.path("name").isTextual() ? root.path("name").asText() : folderName(source);
        if (!(root instanceof ObjectNode obj)) {
            throw new ModelLoadException(model, "(root)", "a JSON object", root == null ? "empty document" : render(root));
        }
        return new Reader(model).descriptor(new Obj(model, "", obj, TOP), source);
    }

    private static String folderName(URI source) {
        String s = source.toString();
        int end = s.lastIndexOf('/');
        int start = end > 0 ? s.lastIndexOf('/', end - 1) : -1;
        return end > 0 ? s.substring(start + 1, end) : s;
    }

    static String render(JsonNode n) {
        return n == null || n.isMissingNode() ? "missing" : n.toString();
    }

    // ------------------------------------------------------------------ reading

    private record Reader(String model) {

        ModelDescriptor descriptor(Obj top, URI source) {
            String name = top.string("name", NAME, "a name matching [a-z0-9][a-z0-9-]*");
            int version = top.positiveInt("version");
            Family family = top.enumValue("family", Family.values());
            Optional<String> architecture = top.optString("architecture");
            Optional<String> config = top.optString("config");
            String file = top.string("file", FILE, "a file name in the version folder (letters, digits, '.', '_', '-')");
            String sha256 = top.string("sha256", SHA256, "64 lower-case hex digits");
            OptionalInt opset = top.has("opset") ? OptionalInt.of(top.positiveInt("opset")) : OptionalInt.empty();
            List<TensorSpec> inputs = tensors(top, "inputs");
            List<TensorSpec> outputs = tensors(top, "outputs");
            boolean iqa = family == Family.NR_IQA || family == Family.FR_IQA;
            Preprocess preprocess = preprocess(top.object("preprocess", PREPROCESS), iqa, family);
            Optional<ScoreSpec> score = iqa || top.has("score")
                    ? Optional.of(score(top.object("score", SCORE))) : Optional.empty();
            Optional<String> workUnit = top.optString("work_unit");
            OptionalLong parameters = top.has("parameters") ? OptionalLong.of(top.positiveLong("parameters")) : OptionalLong.empty();
            OptionalDouble gflops = top.has("gflops_per_unit")
                    ? OptionalDouble.of(top.positiveDouble("gflops_per_unit")) : OptionalDouble.empty();
            Training training = training(top.object("training", TRAINING));
            String licence = top.string("licence", null, "a licence identifier (e.g. Apache-2.0)");
            Map<String, Object> metrics = top.has("metrics") ? top.freeObject("metrics") : Map.of();
            checkCodecKeys(top, family);
            Map<String, ModelDescriptor.Variant> variants = variants(top, family, file);
            if (family == Family.NR_IQA) {
                checkImageInputs(inputs, preprocess.crop());
            } else if (family == Family.FR_IQA) {
                checkPatchSetInputs(inputs, preprocess.crop());
            }
            return new ModelDescriptor(name, version, family, architecture, config, file, sha256, opset, inputs, outputs,
                    preprocess, score, workUnit, parameters, gflops, training, licence, metrics, source, variants);
        }

        /**
         * {@code variants.fp16} / {@code variants.int8}: each a file other than the fp32 one (and each other), with
         * its sha256; none for codecs (bit-exact entropy coding).
         */
        Map<String, ModelDescriptor.Variant> variants(Obj top, Family family, String fp32File) {
            if (!top.has("variants")) {
                return Map.of();
            }
            Obj variants = top.object("variants", VARIANTS);
            Map<String, ModelDescriptor.Variant> out = new LinkedHashMap<>();
            Map<String, String> files = new LinkedHashMap<>();
            files.put(fp32File, "the fp32 graph");
            for (String precision : VARIANTS) {
                if (!variants.has(precision)) {
                    continue;
                }
                if (family == Family.CODEC) {
                    throw new ModelLoadException(model, "variants." + precision, "no " + precision + " variant for family codec "
                            + "(its entropy coding needs identical probabilities on encoder and decoder)",
                            render(variants.node.get(precision)));
                }
                Obj v = variants.object(precision, VARIANT);
                String file = v.string("file", FILE, "a file name in the version folder (letters, digits, '.', '_', '-')");
                String taken = files.putIfAbsent(file, "the " + precision + " graph");
                if (taken != null) {
                    throw new ModelLoadException(model, v.field("file"), "a file other than " + taken + " '" + file + "'",
                            "\"" + file + "\"");
                }
                out.put(precision, new ModelDescriptor.Variant(file, v.string("sha256", SHA256, "64 lower-case hex digits")));
            }
            return out;
        }

        /**
         * The codec family carries a {@code codec} block and padding keys in {@code preprocess.crop};
         * no other family may. The block is checked for its required keys only: FrameQ's Java side
         * lists and verifies codec models but does not run their entropy coding yet.
         */
        void checkCodecKeys(Obj top, Family family) {
            JsonNode crop = top.node.path("preprocess").path("crop");
            if (family != Family.CODEC) {
                if (top.has("codec")) {
                    throw new ModelLoadException(model, "codec", "no 'codec' block for family " + family.wire()
                            + " (it belongs to family codec)", "an object");
                }
                for (String key : CODEC_CROP_KEYS) {
                    if (crop.has(key)) {
                        throw new ModelLoadException(model, "preprocess.crop." + key, "no '" + key + "' for family "
                                + family.wire() + " (it belongs to family codec)", render(crop.get(key)));
                    }
                }
                return;
            }
            Map<String, Object> codec = top.freeObject("codec");
            for (String key : CODEC_REQUIRED) {
                if (!codec.containsKey(key)) {
                    throw new ModelLoadException(model, "codec." + key, "present (see MODEL-JSON.md, family codec)", "missing");
                }
            }
            JsonNode multiple = crop.path("multiple");
            if (!positiveInt(multiple)) {
                throw new ModelLoadException(model, "preprocess.crop.multiple", "a positive int (padding multiple)", render(multiple));
            }
            if (!"centre-zero".equals(crop.path("pad").asText(null))) {
                throw new ModelLoadException(model, "preprocess.crop.pad", "\"centre-zero\"", render(crop.path("pad")));
            }
        }

        List<TensorSpec> tensors(Obj parent, String key) {
            JsonNode arr = parent.required(key, "a non-empty array of {name, dtype, shape}");
            String field = parent.field(key);
            if (!arr.isArray() || arr.isEmpty()) {
                throw new ModelLoadException(model, field, "a non-empty array of {name, dtype, shape}", render(arr));
            }
            List<TensorSpec> specs = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < arr.size(); i++) {
                String at = field + "[" + i + "]";
                JsonNode n = arr.get(i);
                if (!(n instanceof ObjectNode o)) {
                    throw new ModelLoadException(model, at, "an object {name, dtype, shape}", render(n));
                }
                Obj t = new Obj(model, at, o, TENSOR);
                String tname = t.string("name", null, "a non-empty tensor name");
                if (!names.add(tname)) {
                    throw new ModelLoadException(model, t.field("name"), "a name unique within " + field, "\"" + tname + "\" twice");
                }
                String dtype = t.string("dtype", null, "one of " + DTYPES);
                if (!DTYPES.contains(dtype)) {
                    throw new ModelLoadException(model, t.field("dtype"), "one of " + DTYPES, render(t.node.get("dtype")));
                }
                specs.add(new TensorSpec(tname, dtype, shape(t)));
            }
            return specs;
        }

        long[] shape(Obj t) {
            String expected = "an array of dimensions, each -1 (dynamic) or a positive int";
            JsonNode n = t.required("shape", expected);
            if (!n.isArray()) {
                throw new ModelLoadException(model, t.field("shape"), expected, render(n));
            }
            long[] shape = new long[n.size()];
            for (int i = 0; i < shape.length; i++) {
                JsonNode d = n.get(i);
                if (!d.isIntegralNumber() || !d.canConvertToLong() || (d.asLong() != -1 && d.asLong() <= 0)) {
                    throw new ModelLoadException(model, t.field("shape"), expected, render(n));
                }
                shape[i] = d.asLong();
            }
            return shape;
        }

        Preprocess preprocess(Obj p, boolean iqa, Family family) {
            ColorOrder order = p.enumValue("color_order", ColorOrder.values());
            Layout layout = p.enumValue("layout", Layout.values());
            double scale = p.positiveDouble("scale");
            double[] mean = p.doubles("mean", 3, false, "3 numbers, one per channel");
            double[] std = p.doubles("std", 3, true, "3 positive numbers, one per channel");
            Crop crop = crop(p.object("crop", CROP));
            boolean patchSets = crop.policy() == CropPolicy.PATCHES;
            if (patchSets != (layout == Layout.BNCHW)) {
                throw new ModelLoadException(model, p.field("layout"), (patchSets ? "BNCHW" : "NCHW") + " for policy "
                        + crop.policy().wire(), layout.wire());
            }
            if (patchSets && family != Family.FR_IQA) {
                throw new ModelLoadException(model, p.field("crop.policy"), "an image policy for family " + family.wire(),
                        "\"" + crop.policy().wire() + "\"");
            }
            if (!patchSets && family == Family.FR_IQA) {
                throw new ModelLoadException(model, p.field("crop.policy"), "patches for family fr-iqa (the patch-set contract)",
                        "\"" + crop.policy().wire() + "\"");
            }
            Aggregate aggregate = iqa || p.has("aggregate") ? p.enumValue("aggregate", Aggregate.values()) : Aggregate.MEAN;
            return new Preprocess(order, layout, scale, mean, std, crop, aggregate);
        }

        Crop crop(Obj c) {
            CropPolicy policy = c.enumValue("policy", CropPolicy.values());
            if (policy == CropPolicy.PATCHES) {
                return patchCrop(c);
            }
            for (String key : PATCH_KEYS) {
                if (c.node.has(key)) {
                    throw new ModelLoadException(model, c.field(key), "no '" + key + "' for policy " + policy.wire()
                            + " (it belongs to policy patches)", render(c.node.get(key)));
                }
            }
            boolean sized = policy != CropPolicy.NONE || c.has("size");
            int h = 0;
            int w = 0;
            if (sized) {
                String expected = "[H, W] positive ints";
                JsonNode n = c.required("size", expected);
                if (!n.isArray() || n.size() != 2 || !positiveInt(n.get(0)) || !positiveInt(n.get(1))) {
                    throw new ModelLoadException(model, c.field("size"), expected, render(n));
                }
                h = n.get(0).asInt();
                w = n.get(1).asInt();
            }
            Interpolation up = policy != CropPolicy.NONE || c.has("upscale_below")
                    ? c.enumValue("upscale_below", Interpolation.values()) : Interpolation.BILINEAR;
            return new Crop(policy, h, w, up);
        }

        /** Policy {@code patches}: square size, count, scales, sampling; no upscale_below. */
        Crop patchCrop(Obj c) {
            String expected = "[P, P] positive ints (square patches)";
            JsonNode n = c.required("size", expected);
            if (!n.isArray() || n.size() != 2 || !positiveInt(n.get(0)) || !positiveInt(n.get(1))
                    || n.get(0).asInt() != n.get(1).asInt()) {
                throw new ModelLoadException(model, c.field("size"), expected, render(n));
            }
            if (c.node.has("upscale_below")) {
                throw new ModelLoadException(model, c.field("upscale_below"),
                        "no 'upscale_below' for policy patches (images are never enlarged; both must cover one patch)",
                        render(c.node.get("upscale_below")));
            }
            int p = n.get(0).asInt();
            int count = c.positiveInt("count");
            int scales = c.positiveInt("scales");
            Sampling sampling = c.enumValue("sampling", Sampling.values());
            Patches patches = new Patches(count, scales, sampling);
            for (int levels = scales; levels >= 1; levels--) {
                int[] perScale = patches.countsPerScale(levels);
                if (perScale[0] < 1) {
                    throw new ModelLoadException(model, c.field("count"), "a count that leaves level 0 at least one patch with "
                            + levels + " usable levels (level s >= 1 gets ceil(count * 2^(-1.5 s) / sum))", render(c.node.get("count")));
                }
            }
            return new Crop(CropPolicy.PATCHES, p, p, Interpolation.BILINEAR, Optional.of(patches));
        }

        ScoreSpec score(Obj s) {
            Direction direction = s.enumValue("direction", Direction.values());
            double[] range = s.doubles("range", 2, false, "[low, high] with low < high");
            if (!(range[0] < range[1])) {
                throw new ModelLoadException(model, s.field("range"), "[low, high] with low < high", render(s.node.get("range")));
            }
            Obj q = s.object("quality", QUALITY);
            QualityKind kind = q.enumValue("kind", QualityKind.values());
            double low = q.number("low");
            double high = q.number("high");
            // low maps to quality 0 and high to quality 1, so their order must follow the direction.
            boolean agrees = direction == Direction.HIGHER_IS_BETTER ? high > low : low > high;
            if (!agrees) {
                String rule = direction == Direction.HIGHER_IS_BETTER ? "high > low" : "low > high";
                throw new ModelLoadException(model, q.path, "{low, high} with " + rule + " for direction " + direction.wire()
                        + " (low maps to quality 0, high to 1)", render(q.node));
            }
            return new ScoreSpec(direction, range[0], range[1], new QualityMapping(kind, low, high));
        }

        Training training(Obj t) {
            TrainingStatus status = t.enumValue("status", TrainingStatus.values());
            return new Training(status,
                    t.string("data", null, "a description of the training data"),
                    t.string("data_licence", null, "the licence the weights inherit from their data"),
                    t.string("recipe", null, "the command that produced the weights"));
        }

        /** nr-iqa: one float32 NCHW image input with 3 channels whose fixed H, W match the crop. */
        void checkImageInputs(List<TensorSpec> inputs, Crop crop) {
            if (inputs.size() != 1) {
                throw new ModelLoadException(model, "inputs", "exactly 1 input for family nr-iqa", inputs.size() + " inputs " + inputs);
            }
            for (int i = 0; i < inputs.size(); i++) {
                TensorSpec in = inputs.get(i);
                String field = "inputs[" + i + "]";
                if (!in.dtype().equals("float32")) {
                    throw new ModelLoadException(model, field + ".dtype", "float32 for an image input", in.dtype());
                }
                long[] s = in.shape();
                if (s.length != 4 || (s[1] != 3 && s[1] != TensorSpec.DYNAMIC)) {
                    throw new ModelLoadException(model, field + ".shape", "[N, 3, H, W] (NCHW, 3 channels)", Arrays.toString(s));
                }
                boolean hOk = s[2] == TensorSpec.DYNAMIC || s[2] == crop.height();
                boolean wOk = s[3] == TensorSpec.DYNAMIC || s[3] == crop.width();
                if (!hOk || !wOk) {
                    throw new ModelLoadException(model, "preprocess.crop.size",
                            "[" + s[2] + ", " + s[3] + "] (H, W of " + field + ".shape)",
                            "[" + crop.height() + ", " + crop.width() + "]");
                }
            }
        }

        /**
         * fr-iqa: the four patch-set inputs by name — patches_ref, patches_dist float32
         * {@code [B, N, 3, P, P]}, positions float32 {@code [B, N, 2]}, scales int64 {@code [B, N, 2]}.
         */
        void checkPatchSetInputs(List<TensorSpec> inputs, Crop crop) {
            List<String> names = inputs.stream().map(TensorSpec::name).toList();
            if (inputs.size() != FR_INPUTS.size() || !names.containsAll(FR_INPUTS)) {
                throw new ModelLoadException(model, "inputs", "exactly 4 inputs " + FR_INPUTS
                        + " (any order) for family fr-iqa", inputs.size() + " inputs " + names);
            }
            int p = crop.height();
            for (int i = 0; i < inputs.size(); i++) {
                TensorSpec in = inputs.get(i);
                String field = "inputs[" + i + "]";
                boolean patchInput = in.name().equals(PATCHES_REF) || in.name().equals(PATCHES_DIST);
                String dtype = in.name().equals(SCALES) ? "int64" : "float32";
                if (!in.dtype().equals(dtype)) {
                    throw new ModelLoadException(model, field + ".dtype", dtype + " for input '" + in.name() + "'", in.dtype());
                }
                long[] s = in.shape();
                if (patchInput) {
                    if (s.length != 5 || (s[2] != 3 && s[2] != TensorSpec.DYNAMIC)) {
                        throw new ModelLoadException(model, field + ".shape", "[B, N, 3, P, P] (BNCHW, 3 channels) for input '"
                                + in.name() + "'", Arrays.toString(s));
                    }
                    if (s[3] != p || s[4] != p) {
                        throw new ModelLoadException(model, "preprocess.crop.size",
                                "[" + s[3] + ", " + s[4] + "] (P, P of " + field + ".shape)", "[" + p + ", " + p + "]");
                    }
                } else if (s.length != 3 || s[2] != 2) {
                    throw new ModelLoadException(model, field + ".shape", "[B, N, 2] for input '" + in.name() + "'", Arrays.toString(s));
                }
            }
            TensorSpec first = inputs.get(0);
            for (int i = 1; i < inputs.size(); i++) {
                TensorSpec in = inputs.get(i);
                if (in.dim(0) != first.dim(0) || in.dim(1) != first.dim(1)) {
                    throw new ModelLoadException(model, "inputs[" + i + "].shape", "B, N equal to those of inputs[0] "
                            + Arrays.toString(first.shape()), Arrays.toString(in.shape()));
                }
            }
            int count = crop.patches().orElseThrow().count();
            if (first.dim(1) != TensorSpec.DYNAMIC && first.dim(1) != count) {
                throw new ModelLoadException(model, "preprocess.crop.count", first.dim(1) + " (N of inputs[0].shape)",
                        String.valueOf(count));
            }
        }

        private static boolean positiveInt(JsonNode n) {
            return n.isIntegralNumber() && n.canConvertToInt() && n.asInt() > 0;
        }
    }

    /** A JSON object under a dotted path, checked for unknown keys when built. */
    private static final class Obj {
        final String model;
        final String path;
        final ObjectNode node;

        Obj(String model, String path, ObjectNode node, List<String> allowed) {
            this.model = model;
            this.path = path;
            this.node = node;
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!allowed.contains(k)) {
                    throw new ModelLoadException(model, field(k), "one of the known keys " + allowed, "unknown key \"" + k + "\"");
                }
            }
        }

        String field(String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        boolean has(String key) {
            return node.has(key) && !node.get(key).isNull();
        }

        JsonNode required(String key, String expected) {
            JsonNode n = node.get(key);
            if (n == null || n.isNull()) {
                throw new ModelLoadException(model, field(key), expected, n == null ? "missing" : "null");
            }
            return n;
        }

        Obj object(String key, List<String> allowed) {
            JsonNode n = required(key, "an object with keys " + allowed);
            if (!(n instanceof ObjectNode o)) {
                throw new ModelLoadException(model, field(key), "an object with keys " + allowed, render(n));
            }
            return new Obj(model, field(key), o, allowed);
        }

        Map<String, Object> freeObject(String key) {
            JsonNode n = required(key, "an object");
            if (!n.isObject()) {
                throw new ModelLoadException(model, field(key), "an object", render(n));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = MAPPER.convertValue(n, LinkedHashMap.class);
            return m;
        }

        String string(String key, Pattern pattern, String expected) {
            JsonNode n = required(key, expected);
            if (!n.isTextual() || n.asText().isBlank() || (pattern != null && !pattern.matcher(n.asText()).matches())) {
                throw new ModelLoadException(model, field(key), expected, render(n));
            }
            return n.asText();
        }

        Optional<String> optString(String key) {
            return has(key) ? Optional.of(string(key, null, "a non-empty string")) : Optional.empty();
        }

        int positiveInt(String key) {
            JsonNode n = required(key, "a positive int");
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() <= 0) {
                throw new ModelLoadException(model, field(key), "a positive int", render(n));
            }
            return n.asInt();
        }

        long positiveLong(String key) {
            JsonNode n = required(key, "a positive integer");
            if (!n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() <= 0) {
                throw new ModelLoadException(model, field(key), "a positive integer", render(n));
            }
            return n.asLong();
        }

        double number(String key) {
            JsonNode n = required(key, "a finite number");
            if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
                throw new ModelLoadException(model, field(key), "a finite number", render(n));
            }
            return n.asDouble();
        }

        double positiveDouble(String key) {
            JsonNode n = required(key, "a positive number");
            if (!n.isNumber() || !Double.isFinite(n.asDouble()) || n.asDouble() <= 0) {
                throw new ModelLoadException(model, field(key), "a positive number", render(n));
            }
            return n.asDouble();
        }

        double[] doubles(String key, int count, boolean positive, String expected) {
            JsonNode n = required(key, expected);
            if (!n.isArray() || n.size() != count) {
                throw new ModelLoadException(model, field(key), expected, render(n));
            }
            double[] v = new double[count];
            for (int i = 0; i < count; i++) {
                JsonNode e = n.get(i);
                if (!e.isNumber() || !Double.isFinite(e.asDouble()) || (positive && e.asDouble() <= 0)) {
                    throw new ModelLoadException(model, field(key), expected, render(n));
                }
                v[i] = e.asDouble();
            }
            return v;
        }

        <E extends Enum<E> & WireEnum> E enumValue(String key, E[] values) {
            List<String> wires = Arrays.stream(values).map(WireEnum::wire).toList();
            JsonNode n = required(key, "one of " + wires);
            if (n.isTextual()) {
                for (E e : values) {
                    if (e.wire().equals(n.asText())) {
                        return e;
                    }
                }
            }
            throw new ModelLoadException(model, field(key), "one of " + wires, render(n));
        }
    }
}
