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
 * @param architecture Python architecture file stem ({@code frameq_models/<architecture>_arch.py})
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
        URI source) {

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
     * @param height work-unit (or patch) height in pixels (0 for {@link CropPolicy#NONE})
     * @param width work-unit (or patch) width in pixels (0 for {@link CropPolicy#NONE})
     * @param upscaleBelow how frames smaller than the unit are enlarged first
     * @param patches the patch-set parameters, present exactly for {@link CropPolicy#PATCHES}
     */
    public record Crop(CropPolicy policy, int height, int width, Interpolation upscaleBelow, Optional<Patches> patches) {
        public Crop {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(upscaleBelow, "upscaleBelow");
            Objects.requireNonNull(patches, "patches");
            if (patches.isPresent() != (policy == CropPolicy.PATCHES)) {
                throw new IllegalArgumentException("Crop: patches parameters go with policy patches only, got policy "
                        + policy.wire() + " and " + patches);
            }
        }

        /** A crop of any policy but {@code patches}. */
        public Crop(CropPolicy policy, int height, int width, Interpolation upscaleBelow) {
            this(policy, height, width, upscaleBelow, Optional.empty());
        }
    }

    /**
     * Full-reference patch sets (policy {@code patches}, see {@code models/MODEL-JSON.md}).
     *
     * @param count patches per image pair
     * @param scales pyramid levels sampled
     * @param sampling how patch positions are chosen
     */
    public record Patches(int count, int scales, Sampling sampling) {
        public Patches {
            Objects.requireNonNull(sampling, "sampling");
        }
    }

    /**
     * The model's own score scale and its mapping to normalized quality.
     *
     * @param direction whether a larger score means a better picture
     * @param low lower end of the model's range
     * @param high upper end of the model's range
     * @param quality mapping of a score to 0..1 quality (higher is better, clamped)
     */
    public record ScoreSpec(Direction direction, double low, double high, QualityMapping quality) {
        public ScoreSpec {
            Objects.requireNonNull(direction, "direction");
            Objects.requireNonNull(quality, "quality");
        }
    }

    /**
     * Score → quality. For {@code linear}: {@code clamp((score - low) / (high - low), 0, 1)}: {@code low}
     * is the score that maps to quality 0, {@code high} the one that maps to 1, so lower-is-better
     * models have {@code low > high} (the parser checks that the order agrees with the direction).
     */
    public record QualityMapping(QualityKind kind, double low, double high) {
        public QualityMapping {
            Objects.requireNonNull(kind, "kind");
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
        NR_IQA, FR_IQA, RESTORE, CODEC;

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

    /** Memory layout of image inputs: image batches, or patch sets (batch, patch, channel, row, column). */
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
        /** Full-reference patch sets cut at the same places in both images (see {@link Patches}). */
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

    /** How patch positions are chosen. */
    public enum Sampling implements WireEnum {
        /** Deterministic Halton (2, 3) positions per pyramid level. */
        HALTON;

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
