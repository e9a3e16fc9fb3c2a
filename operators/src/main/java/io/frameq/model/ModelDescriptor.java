package io.frameq.model;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A model's {@code model.json}, parsed into typed values (see {@code models/MODEL-JSON.md}), plus
 * where it was read from so that the ONNX file next to it can be found.
 *
 * <p>Built by {@link ModelDescriptorParser}; {@link ModelRepository} hands out instances. The ONNX
 * file lives at {@code <folder of model.json>/<version>/<file>}, in a directory or inside a jar;
 * {@link #readOnnx()} reads it and checks its sha256.
 *
 * @param name model name, {@code [a-z0-9-]+}, equal to its folder name in a repository
 * @param version positive integer, the folder that holds the ONNX file
 * @param family what the model does; decides which translator and scorer apply
 * @param architecture Python architecture file stem ({@code frameq_models/archs/<architecture>.py})
 * @param config architecture size ({@code full}, {@code lite}, {@code tiny})
 * @param file ONNX file name inside the version folder
 * @param sha256 lower-case hex sha256 of the ONNX file
 * @param opset ONNX opset the graph was exported with
 * @param inputs declared graph inputs, in graph order
 * @param outputs declared graph outputs, in graph order
 * @param preprocess how a frame becomes input tensors
 * @param score the model's own scale and its mapping to 0..1 quality; present for IQA families
 * @param workUnit what one batch element is, for humans ("224x224 crop")
 * @param parameters parameter count
 * @param gflopsPerUnit compute per work unit
 * @param training where the weights come from and under which terms
 * @param licence licence of the architecture/code
 * @param metrics measured numbers, free-form (name → value)
 * @param source URI of the {@code model.json} this was parsed from ({@code file:} or {@code jar:})
 * @param variants reduced-precision siblings of {@link #file()} by precision ({@code variants} in model.json):
 *     {@value #FP16} for GPU execution providers, {@value #INT8} for the CPU
 */
public record ModelDescriptor(
        String name,
        int version,
        Family family,
        Optional<String> architecture,
        Optional<String> config,
        String file,
        String sha256,
        OptionalInt opset,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs,
        Preprocess preprocess,
        Optional<ScoreSpec> score,
        Optional<String> workUnit,
        OptionalLong parameters,
        OptionalDouble gflopsPerUnit,
        Training training,
        String licence,
        Map<String, Object> metrics,
        URI source,
        Map<String, Variant> variants) {

    /** Key of the fp16 sibling (float16 weights and activations, float32 I/O), run on CUDA and TensorRT. */
    public static final String FP16 = "fp16";
    /** Key of the int8 sibling (int8 weights, activations quantised per call, float32 I/O), run on the CPU on request. */
    public static final String INT8 = "int8";

    public ModelDescriptor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(sha256, "sha256");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        Objects.requireNonNull(preprocess, "preprocess");
        Objects.requireNonNull(training, "training");
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics)); // keeps order; JSON null allowed
        Objects.requireNonNull(source, "source");
        variants = Map.copyOf(variants);
    }

    /** A descriptor without reduced-precision variants. */
    public ModelDescriptor(String name, int version, Family family, Optional<String> architecture, Optional<String> config,
            String file, String sha256, OptionalInt opset, List<TensorSpec> inputs, List<TensorSpec> outputs,
            Preprocess preprocess, Optional<ScoreSpec> score, Optional<String> workUnit, OptionalLong parameters,
            OptionalDouble gflopsPerUnit, Training training, String licence, Map<String, Object> metrics, URI source) {
        this(name, version, family, architecture, config, file, sha256, opset, inputs, outputs, preprocess, score, workUnit,
                parameters, gflopsPerUnit, training, licence, metrics, source, Map.of());
    }

    /**
     * This model with its {@code precision} sibling ({@value #FP16}, {@value #INT8}) as the ONNX file (same
     * name, I/O contract and pre-processing; {@link #readOnnx()} then reads and checks that file), or empty
     * when model.json lists none.
     */
    public Optional<ModelDescriptor> variantDescriptor(String precision) {
        return Optional.ofNullable(variants.get(precision)).map(v -> new ModelDescriptor(name, version, family, architecture,
                config, v.file(), v.sha256(), opset, inputs, outputs, preprocess, score, workUnit, parameters, gflopsPerUnit,
                training, licence, metrics, source, Map.of()));
    }

    /** {@link #variantDescriptor} for {@value #FP16}. */
    public Optional<ModelDescriptor> fp16Descriptor() {
        return variantDescriptor(FP16);
    }

    /**
     * This model with its work units placed by another crop policy (unit size and upscaling kept): one
     * centre crop instead of five points where latency matters more than coverage, tiles where the
     * whole frame must be seen. Only the fixed-size policies qualify; patch models keep their sampler.
     *
     * @throws IllegalArgumentException for {@code none} or {@code patches}, or when this model cuts patches
     */
    public ModelDescriptor withCropPolicy(CropPolicy policy) {
        Crop c = preprocess.crop();
        if (policy == CropPolicy.NONE || policy == CropPolicy.PATCHES || c.policy() == CropPolicy.PATCHES) {
            throw new IllegalArgumentException("model '" + name + "': preprocess.crop.policy cannot change from "
                    + c.policy().wire() + " to " + policy.wire() + "; expected one of five-point, centre, resize, tiles on a crop model");
        }
        Crop crop = new Crop(policy, c.height(), c.width(), c.upscaleBelow(), Optional.empty());
        Preprocess p = new Preprocess(preprocess.colorOrder(), preprocess.layout(), preprocess.scale(), preprocess.mean(),
                preprocess.std(), crop, preprocess.aggregate());
        return new ModelDescriptor(name, version, family, architecture, config, file, sha256, opset, inputs, outputs, p, score,
                workUnit, parameters, gflopsPerUnit, training, licence, metrics, source, variants);
    }

    /** True when the weights were trained (not a random-weight stand-in). Reported with every score. */
    public boolean trained() {
        return training.status() == TrainingStatus.TRAINED;
    }

    /** {@code name:version}, the form used in logs and metrics labels. */
    public String id() {
        return name + ":" + version;
    }

    /** The declared input called {@code inputName}. */
    public Optional<TensorSpec> input(String inputName) {
        return inputs.stream().filter(t -> t.name().equals(inputName)).findFirst();
    }

    /** The declared output called {@code outputName}. */
    public Optional<TensorSpec> output(String outputName) {
        return outputs.stream().filter(t -> t.name().equals(outputName)).findFirst();
    }

    /** Location of the ONNX file: {@code <folder of model.json>/<version>/<file>}. */
    public URI onnxUri() {
        String s = source.toString();
        return URI.create(s.substring(0, s.lastIndexOf('/') + 1) + version + "/" + file);
    }

    /** The ONNX file as a path, when the model lives in a directory rather than inside a jar. */
    public Optional<Path> onnxFile() {
        URI uri = onnxUri();
        return "file".equals(uri.getScheme()) ? Optional.of(Path.of(uri)) : Optional.empty();
    }

    /**
     * Reads the ONNX file and checks it against {@link #sha256()}. The bytes returned are the bytes
     * checked, so a session built from them runs exactly the verified graph.
     *
     * @throws ModelLoadException field {@code file} when it cannot be read, field {@code sha256}
     *     when the digest differs
     */
    public byte[] readOnnx() {
        URI uri = onnxUri();
        byte[] bytes;
        try {
            URLConnection conn = uri.toURL().openConnection();
            conn.setUseCaches(false); // a jar opened here is closed with the stream
            try (InputStream in = conn.getInputStream()) {
                bytes = in.readAllBytes();
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelLoadException(name, "file", "a readable ONNX file at " + uri, e.toString(), e);
        }
        String actual = sha256Hex(bytes);
        if (!actual.equals(sha256)) {
            throw new ModelLoadException(name, "sha256", sha256, actual + " (of " + uri + ", " + bytes.length + " bytes)");
        }
        return bytes;
    }

    /** Lower-case hex sha256 of {@code bytes}. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "ModelDescriptor[" + id() + " " + family.wire() + " " + inputs + " -> " + outputs + " from " + source + "]";
    }

    // ---------------------------------------------------------------- nested types

    /**
     * A reduced-precision sibling of the ONNX file, in the same version folder, with the same
     * float32 inputs and outputs (only weights and activations change).
     *
     * @param file file name in the version folder
     * @param sha256 lower-case hex sha256 of that file
     */
    public record Variant(String file, String sha256) {
        public Variant {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    /** How a frame becomes input tensors. */
    public record Preprocess(ColorOrder colorOrder, Layout layout, double scale, double[] mean, double[] std, Crop crop,
                             Aggregate aggregate) {

        public Preprocess {
            Objects.requireNonNull(colorOrder, "colorOrder");
            Objects.requireNonNull(layout, "layout");
            mean = mean.clone();
            std = std.clone();
            Objects.requireNonNull(crop, "crop");
            Objects.requireNonNull(aggregate, "aggregate");
        }

        @Override
        public double[] mean() {
            return mean.clone();
        }

        @Override
        public double[] std() {
            return std.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Preprocess p && colorOrder == p.colorOrder && layout == p.layout
                    && Double.compare(scale, p.scale) == 0 && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std)
                    && crop.equals(p.crop) && aggregate == p.aggregate;
        }

        @Override
        public int hashCode() {
            return Objects.hash(colorOrder, layout, scale, Arrays.hashCode(mean), Arrays.hashCode(std), crop, aggregate);
        }

        @Override
        public String toString() {
            return "Preprocess[" + colorOrder + " " + layout + " scale=" + scale + " mean=" + Arrays.toString(mean)
                    + " std=" + Arrays.toString(std) + " " + crop + " aggregate=" + aggregate.wire() + "]";
        }
    }

    /**
     * How a frame is cut into work units.
     *
     * @param policy the cutting rule
     * @param height work-unit height in pixels (0 for {@link CropPolicy#NONE}); the patch side for
     *     {@link CropPolicy#PATCHES}
     * @param width work-unit width in pixels (0 for {@link CropPolicy#NONE}); equal to {@code height}
     *     for {@link CropPolicy#PATCHES}
     * @param upscaleBelow how frames smaller than the unit are enlarged first ({@code bilinear}, the
     *     only value, when the policy has no such step: {@code none}, {@code patches})
     * @param patches the patch-set parameters; present exactly when the policy is
     *     {@link CropPolicy#PATCHES}
     */
    public record Crop(CropPolicy policy, int height, int width, Interpolation upscaleBelow, Optional<Patches> patches) {
        public Crop {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(upscaleBelow, "upscaleBelow");
            Objects.requireNonNull(patches, "patches");
            if (patches.isPresent() != (policy == CropPolicy.PATCHES)) {
                throw new IllegalArgumentException("Crop: patch parameters go with policy patches and only with it; policy "
                        + policy.wire() + ", patches " + patches);
            }
            if (policy == CropPolicy.PATCHES && (height <= 0 || height != width)) {
                throw new IllegalArgumentException("Crop: policy patches needs a square positive patch size, got "
                        + height + "x" + width);
            }
        }

        /** A crop without patch parameters (every policy but {@link CropPolicy#PATCHES}). */
        public Crop(CropPolicy policy, int height, int width, Interpolation upscaleBelow) {
            this(policy, height, width, upscaleBelow, Optional.empty());
        }
    }

    /**
     * Parameters of the {@code patches} crop policy (full-reference patch sets, see
     * {@code models/MODEL-JSON.md}, "Policy patches").
     *
     * @param count patches per image pair (N)
     * @param scales pyramid levels patches are cut from, at most (levels whose shorter side is below
     *     the patch size are not used)
     * @param sampling where on each level the patches go
     */
    public record Patches(int count, int scales, Sampling sampling) {
        public Patches {
            if (count <= 0 || scales <= 0) {
                throw new IllegalArgumentException("Patches: count and scales must be positive, got count=" + count
                        + " scales=" + scales);
            }
            Objects.requireNonNull(sampling, "sampling");
        }

        /**
         * Patches per level when {@code levels} levels are usable (step 3 of the contract): with
         * {@code w_s = 2^(-1.5 s)}, level {@code s >= 1} gets {@code ceil(count * w_s / sum(w))} and
         * level 0 the rest. Float64 arithmetic in the reference's order (weights summed from level 0).
         *
         * @return {@code levels} counts; level 0 first. Level 0 may be zero or negative when
         *     {@code count} is too small for {@code levels} (the parser refuses such descriptors).
         */
        public int[] countsPerScale(int levels) {
            if (levels <= 0) {
                throw new IllegalArgumentException("Patches: levels must be positive, got " + levels);
            }
            double[] w = new double[levels];
            double total = 0;
            for (int s = 0; s < levels; s++) {
                w[s] = Math.pow(2.0, -1.5 * s);
                total += w[s];
            }
            int[] counts = new int[levels];
            int upper = 0;
            for (int s = 1; s < levels; s++) {
                counts[s] = (int) Math.ceil(count * w[s] / total);
                upper += counts[s];
            }
            counts[0] = count - upper;
            return counts;
        }
    }

    /**
     * The model's own score scale and its mapping to normalized quality.
     *
     * @param direction whether a larger score means a better picture
     * @param low lower end of the model's range
     * @param high upper end of the model's range
     * @param quality mapping of a score to 0..1 quality (higher is better, clamped); its
     *     {@code low > high} exactly when {@code direction} is lower-is-better
     */
    public record ScoreSpec(Direction direction, double low, double high, QualityMapping quality) {
        public ScoreSpec {
            Objects.requireNonNull(direction, "direction");
            Objects.requireNonNull(quality, "quality");
        }
    }

    /**
     * Score → quality, as {@code models/MODEL-JSON.md} defines it. For {@code linear}:
     * {@code quality = clamp((score - low) / (high - low), 0, 1)}: {@code low} is the score that maps
     * to quality 0 and {@code high} the one that maps to 1, so a lower-is-better model states
     * {@code low > high} (VTAMIQ: low 1, high 0) and no separate inversion is applied. The parser
     * checks that the order of {@code low} and {@code high} agrees with {@link ScoreSpec#direction()}.
     */
    public record QualityMapping(QualityKind kind, double low, double high) {
        public QualityMapping {
            Objects.requireNonNull(kind, "kind");
            if (!Double.isFinite(low) || !Double.isFinite(high) || low == high) {
                throw new IllegalArgumentException("QualityMapping: low and high must be finite and differ, got " + low
                        + ", " + high);
            }
        }

        /** The normalized 0..1 quality of {@code score} (clamped; NaN stays NaN). */
        public double apply(double score) {
            double t = switch (kind) {
                case LINEAR -> (score - low) / (high - low);
            };
            return Math.max(0.0, Math.min(1.0, t));
        }
    }

    /**
     * Provenance of the weights.
     *
     * @param status trained or untrained (random weights: scores are meaningless)
     * @param data what the weights were trained on
     * @param dataLicence the terms the weights inherit from that data
     * @param recipe the command that produced them
     */
    public record Training(TrainingStatus status, String data, String dataLicence, String recipe) {
        public Training {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(dataLicence, "dataLicence");
            Objects.requireNonNull(recipe, "recipe");
        }
    }

    /** A closed set of values with a fixed spelling in {@code model.json}. */
    public interface WireEnum {
        /** The spelling in {@code model.json}. */
        String wire();
    }

    /** What a model does. */
    public enum Family implements WireEnum {
        NR_IQA, FR_IQA, RESTORE, CODEC,
        /** Per-class camera-fault probabilities of a whole frame ({@code io.frameq.quality.FaultClassifier}). */
        FAULT_HEAD;

        @Override
        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Channel order of the input tensor. */
    public enum ColorOrder implements WireEnum {
        RGB, BGR;

        @Override
        public String wire() {
            return name();
        }
    }

    /**
     * Memory layout of image inputs: {@code NCHW} for image batches (no-reference crops),
     * {@code BNCHW} for patch sets (batch, patch, channel, row, column; crop policy {@code patches}).
     */
    public enum Layout implements WireEnum {
        NCHW, BNCHW;

        @Override
        public String wire() {
            return name();
        }
    }

    /** How a frame is cut into work units. */
    public enum CropPolicy implements WireEnum {
        /** Four corners then the centre, in that order. */
        FIVE_POINT,
        /** One centred unit. */
        CENTRE,
        /** The whole frame resized to the unit size (aspect ratio not kept). */
        RESIZE,
        /** A grid of units covering the frame, evenly spread, overlapping where needed. */
        TILES,
        /** The whole frame as one unit, unchanged (needs dynamic H and W). */
        NONE,
        /**
         * A full-reference patch set: {@link Patches#count()} square patches cut at the same places in
         * a reference and a distorted image, over a pyramid of up to {@link Patches#scales()} levels.
         */
        PATCHES;

        @Override
        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Interpolation used to enlarge frames smaller than the work unit. */
    public enum Interpolation implements WireEnum {
        /** Pillow's {@code Image.resize(size, Image.BILINEAR)} on 8-bit RGB, rounded back to 8 bits. */
        BILINEAR;

        @Override
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Where the patches of the {@code patches} crop policy go. */
    public enum Sampling implements WireEnum {
        /**
         * Deterministic: patch i (1..n_s) of level s at {@code y = floor(halton(i, 2) * (H_s - P + 1))},
         * {@code x = floor(halton(i, 3) * (W_s - P + 1))} (radical inverses in float64).
         */
        HALTON,
        /**
         * Content-aware (VTAMIQ's CAPS): per level, a distribution over patch-size cells mixing a
         * centre bias, the reference/distorted difference and a uniform floor; patches drawn from it
         * with a SplitMix64 generator (seed 0 is the contract). Bit-identical in Java and Python:
         * see {@code io.frameq.translate.CapsSampler} and {@code models/MODEL-JSON.md}.
         */
        CAPS;

        @Override
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How per-unit scores become the frame score. */
    public enum Aggregate implements WireEnum {
        MEAN;

        @Override
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether a larger score is a better picture. */
    public enum Direction implements WireEnum {
        HIGHER_IS_BETTER, LOWER_IS_BETTER;

        @Override
        public String wire() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Kind of score → quality mapping. */
    public enum QualityKind implements WireEnum {
        LINEAR;

        @Override
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether the weights were trained. */
    public enum TrainingStatus implements WireEnum {
        UNTRAINED, TRAINED;

        @Override
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
