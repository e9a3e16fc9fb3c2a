package io.frameq.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameq.frame.RgbImage;
import io.frameq.model.FloatTensor;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelDescriptor.Crop;
import io.frameq.model.ModelDescriptor.CropPolicy;
import io.frameq.model.ModelDescriptor.Family;
import io.frameq.model.ModelDescriptor.Interpolation;
import io.frameq.model.ModelDescriptor.Preprocess;
import io.frameq.model.ModelLoadException;
import io.frameq.model.ModelRepository;
import io.frameq.model.TensorSpec;
import io.frameq.onnx.OnnxModel;
import io.frameq.onnx.OrtRuntime;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A learned image codec (family {@code codec}: WACNN/STF-style exports) run from Java: encodes an
 * {@link RgbImage} into a {@link CodecStream} and decodes it back, with the model's separate ONNX
 * graphs ({@code g_a}, {@code h_a}, {@code h_s}, {@code cc_i}, {@code lrp_i}, {@code g_s}, each
 * checked against its sha256 and declared I/O) and its entropy tables ({@link CodecTables}).
 *
 * <p>Steps (those of {@code frameq_models.codec.runtime}, which is the reference):
 * <ol>
 *   <li>{@code x = pixel / 255} (float32), padded with zeros, centred, to a multiple of 64.</li>
 *   <li>{@code y = g_a(x)}, {@code z = h_a(y)}; z symbols {@code rint(z - median_c)}, row c;
 *       {@code z_hat = symbols + median_c}; {@code means, scales = h_s(z_hat)}.</li>
 *   <li>Per slice i: support = the first {@code min(i, max_support_slices)} decoded slices;
 *       {@code mu, sigma = cc_i(means, scales[, support])}; row {@link CodecTables#scaleIndex};
 *       symbols {@code rint(y_i - mu)}; decoded slice {@code (symbols + mu) + lrp_i(means[, support], symbols + mu)}.</li>
 *   <li>{@code x_hat = g_s(slices)}, cropped; pixels {@code rint(x_hat * 255)}.</li>
 * </ol>
 * The decoder repeats steps 2-4 from the streams: its table rows depend on {@code cc_i}'s float
 * output, so a stream decodes exactly only where both sides' graphs produce the same floats (same
 * ONNX Runtime build and threads; see models/README.md for what was measured across languages).
 *
 * <p>Thread-safe (the sessions are); open one per model and close it.
 */
public final class LearnedCodec implements AutoCloseable {

    /** Image side multiple (the hyper-latent stride). */
    public static final int MULTIPLE = 64;
    private static final int Y_STRIDE = 16;

    /**
     * One encoded image and what was computed on the way.
     *
     * @param stream the {@link CodecStream} bytes
     * @param y latents {@code [1, M, H/16, W/16]} (padded size)
     * @param z hyper-latents {@code [1, N, H/64, W/64]}
     * @param zSymbols quantised z, channel-major
     * @param ySymbols quantised y (all slices), channel-major
     * @param xHat the reconstruction the stream decodes to, {@code [1, 3, H, W]} in [0, 1], cropped
     */
    public record Encoded(byte[] stream, FloatTensor y, FloatTensor z, int[] zSymbols, int[] ySymbols, FloatTensor xHat) {}

    /**
     * One decoded image.
     *
     * @param image the 8-bit reconstruction
     * @param xHat {@code [1, 3, H, W]} in [0, 1]
     * @param zSymbols decoded z symbols
     * @param ySymbols decoded y symbols
     */
    public record Decoded(RgbImage image, FloatTensor xHat, int[] zSymbols, int[] ySymbols) {}

    private final ModelDescriptor descriptor;
    private final CodecTables tables;
    private final Map<String, OnnxModel> graphs;
    private final int slices;
    private final int depth;
    private final int maxSupport;

    private LearnedCodec(ModelDescriptor descriptor, CodecTables tables, Map<String, OnnxModel> graphs, int slices,
                         int depth, int maxSupport) {
        this.descriptor = descriptor;
        this.tables = tables;
        this.graphs = graphs;
        this.slices = slices;
        this.depth = depth;
        this.maxSupport = maxSupport;
    }

    /** Resolves {@code name} in {@code repo} and opens it; see {@link #open(ModelDescriptor, OrtRuntime)}. */
    public static LearnedCodec open(ModelRepository repo, String name, OrtRuntime runtime) {
        return open(repo.resolve(name), runtime);
    }

    /**
     * Opens every graph and the tables of a codec model.
     *
     * @throws ModelLoadException when the family is not codec, the codec block is incomplete, a graph
     *     or table is missing, has another sha256, or does not match its declaration
     */
    public static LearnedCodec open(ModelDescriptor descriptor, OrtRuntime runtime) {
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(runtime, "runtime");
        String model = descriptor.name();
        if (descriptor.family() != Family.CODEC) {
            throw new ModelLoadException(model, "family", Family.CODEC.wire() + " (for a codec)", descriptor.family().wire());
        }
        JsonNode codec = Resources.json(model, descriptor.source(), "(model.json)").path("codec");
        String coder = codec.path("entropy_coder").path("kind").asText();
        if (!"rans64".equals(coder) || codec.path("entropy_coder").path("precision").asInt() != RansEncoder.PRECISION
                || codec.path("entropy_coder").path("bypass_bits").asInt() != RansEncoder.BYPASS_BITS) {
            throw new ModelLoadException(model, "codec.entropy_coder", "rans64 with precision 16 and bypass_bits 4",
                    codec.path("entropy_coder").toString());
        }
        int slices = positive(model, codec, "num_slices");
        int depth = positive(model, codec, "slice_depth");
        int maxSupport = codec.path("max_support_slices").asInt(-1);
        if (maxSupport < 0) {
            throw new ModelLoadException(model, "codec.max_support_slices", "an int >= 0", codec.path("max_support_slices").toString());
        }
        if (codec.path("y_stride").asInt() != Y_STRIDE || codec.path("z_stride").asInt() != MULTIPLE) {
            throw new ModelLoadException(model, "codec.y_stride/z_stride", Y_STRIDE + "/" + MULTIPLE,
                    codec.path("y_stride") + "/" + codec.path("z_stride"));
        }
        String s = descriptor.source().toString();
        URI versionDir = URI.create(s.substring(0, s.lastIndexOf('/') + 1) + descriptor.version() + "/");
        CodecTables tables = CodecTables.load(descriptor, versionDir, codec.path("tables").asText("tables.json"));
        List<String> names = new ArrayList<>(List.of("g_a", "h_a", "h_s", "g_s"));
        for (int i = 0; i < slices; i++) {
            names.add("cc_" + i);
            names.add("lrp_" + i);
        }
        Map<String, OnnxModel> graphs = new LinkedHashMap<>();
        try {
            for (String name : names) {
                JsonNode g = codec.path("graphs").path(name);
                if (!g.isObject()) {
                    throw new ModelLoadException(model, "codec.graphs." + name, "a graph entry", "missing");
                }
                graphs.put(name, OnnxModel.open(graphDescriptor(descriptor, name, g), runtime));
            }
        } catch (RuntimeException e) {
            graphs.values().forEach(OnnxModel::close);
            throw e;
        }
        return new LearnedCodec(descriptor, tables, Map.copyOf(graphs), slices, depth, maxSupport);
    }

    private static int positive(String model, JsonNode codec, String key) {
        int v = codec.path(key).asInt(0);
        if (v <= 0) {
            throw new ModelLoadException(model, "codec." + key, "a positive int", codec.path(key).toString());
        }
        return v;
    }

    /** The descriptor of one graph: file, sha256 and I/O from the codec block; warm-up at a small size of its domain. */
    private static ModelDescriptor graphDescriptor(ModelDescriptor d, String name, JsonNode g) {
        int side = name.equals("g_a") ? MULTIPLE : name.equals("h_s") ? 1 : MULTIPLE / Y_STRIDE;
        Preprocess p = d.preprocess();
        Preprocess warm = new Preprocess(p.colorOrder(), p.layout(), p.scale(), p.mean(), p.std(),
                new Crop(CropPolicy.NONE, side, side, Interpolation.BILINEAR), p.aggregate());
        return new ModelDescriptor(d.name() + "/" + name, d.version(), d.family(), d.architecture(), d.config(),
                g.path("file").asText(), g.path("sha256").asText(), d.opset(), specs(g.path("inputs")),
                specs(g.path("outputs")), warm, d.score(), d.workUnit(), d.parameters(), d.gflopsPerUnit(), d.training(),
                d.licence(), d.metrics(), d.source());
    }

    private static List<TensorSpec> specs(JsonNode list) {
        List<TensorSpec> out = new ArrayList<>();
        for (JsonNode t : list) {
            long[] shape = new long[t.path("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = t.path("shape").get(i).asLong();
            }
            out.add(new TensorSpec(t.path("name").asText(), t.path("dtype").asText(), shape));
        }
        return out;
    }

    public ModelDescriptor descriptor() {
        return descriptor;
    }

    public CodecTables tables() {
        return tables;
    }

    /** Encodes {@code image} into {@link CodecStream} bytes. */
    public byte[] compress(RgbImage image) {
        return encode(image).stream();
    }

    /** Decodes {@link CodecStream} bytes into the 8-bit reconstruction. */
    public RgbImage decompress(byte[] stream) {
        return decode(stream).image();
    }

    /**
     * Encodes {@code image}, keeping the intermediate tensors.
     *
     * @throws IllegalArgumentException when the image is larger than 65535 on a side
     */
    public Encoded encode(RgbImage image) {
        int w = image.width();
        int h = image.height();
        int[] box = padBox(h, w);
        FloatTensor x = input(image, box);
        FloatTensor y = run("g_a", Map.of("x", x), "y");
        FloatTensor z = run("h_a", Map.of("y", y), "z");
        int[] zSymbols = new int[z.data().length];
        float[] zHat = new float[zSymbols.length];
        int zPlane = (int) (z.dim(2) * z.dim(3));
        for (int i = 0; i < zSymbols.length; i++) {
            float med = tables.median(i / zPlane);
            zSymbols[i] = (int) Math.rint(z.data()[i] - med);
            zHat[i] = (float) zSymbols[i] + med;
        }
        RansEncoder zCoder = new RansEncoder();
        zCoder.encode(zSymbols, channelRows(z.shape()), tables.z());
        byte[] zBytes = zCoder.flush();
        Map<String, FloatTensor> hyper = runAll("h_s", Map.of("z_hat", new FloatTensor(zHat, z.shape())));
        RansEncoder yCoder = new RansEncoder();
        List<float[]> decoded = new ArrayList<>();
        int[] ySymbols = new int[y.data().length];
        long[] sliceShape = {1, depth, y.dim(2), y.dim(3)};
        int sliceLength = (int) FloatTensor.elementCount(sliceShape);
        for (int i = 0; i < slices; i++) {
            Map<String, FloatTensor> params = params(i, hyper, decoded, sliceShape);
            float[] mu = params.get("mu").data();
            float[] sigma = params.get("sigma").data();
            int[] symbols = new int[sliceLength];
            int[] rows = new int[sliceLength];
            int base = i * sliceLength;
            for (int k = 0; k < sliceLength; k++) {
                symbols[k] = (int) Math.rint(y.data()[base + k] - mu[k]);
                rows[k] = tables.scaleIndex(sigma[k]);
            }
            yCoder.encode(symbols, rows, tables.y());
            System.arraycopy(symbols, 0, ySymbols, base, sliceLength);
            decoded.add(finish(i, hyper, decoded, mu, symbols, sliceShape));
        }
        byte[] stream = new CodecStream(w, h, zBytes, yCoder.flush()).toBytes();
        FloatTensor xHat = synthesize(decoded, sliceShape, box, h, w);
        return new Encoded(stream, y, z, zSymbols, ySymbols, xHat);
    }

    /**
     * Decodes a stream.
     *
     * @throws IllegalArgumentException when the stream is malformed or truncated
     */
    public Decoded decode(byte[] data) {
        CodecStream stream = CodecStream.parse(data);
        int h = stream.height();
        int w = stream.width();
        int[] box = padBox(h, w);
        long[] zShape = {1, tables.z().rows(), box[2] / MULTIPLE, box[3] / MULTIPLE};
        int[] zSymbols = new RansDecoder(stream.z()).decode(channelRows(zShape), tables.z());
        float[] zHat = new float[zSymbols.length];
        int zPlane = (int) (zShape[2] * zShape[3]);
        for (int i = 0; i < zHat.length; i++) {
            zHat[i] = (float) zSymbols[i] + tables.median(i / zPlane);
        }
        Map<String, FloatTensor> hyper = runAll("h_s", Map.of("z_hat", new FloatTensor(zHat, zShape)));
        long[] sliceShape = {1, depth, box[2] / Y_STRIDE, box[3] / Y_STRIDE};
        int sliceLength = (int) FloatTensor.elementCount(sliceShape);
        RansDecoder yDecoder = new RansDecoder(stream.y());
        List<float[]> decoded = new ArrayList<>();
        int[] ySymbols = new int[sliceLength * slices];
        for (int i = 0; i < slices; i++) {
            Map<String, FloatTensor> params = params(i, hyper, decoded, sliceShape);
            float[] sigma = params.get("sigma").data();
            int[] rows = new int[sliceLength];
            for (int k = 0; k < sliceLength; k++) {
                rows[k] = tables.scaleIndex(sigma[k]);
            }
            int[] symbols = yDecoder.decode(rows, tables.y());
            System.arraycopy(symbols, 0, ySymbols, i * sliceLength, sliceLength);
            decoded.add(finish(i, hyper, decoded, params.get("mu").data(), symbols, sliceShape));
        }
        FloatTensor xHat = synthesize(decoded, sliceShape, box, h, w);
        return new Decoded(toImage(xHat), xHat, zSymbols, ySymbols);
    }

    /** {@code (top, left, paddedHeight, paddedWidth)} of the centred zero padding to a multiple of 64. */
    static int[] padBox(int height, int width) {
        int ph = (height + MULTIPLE - 1) / MULTIPLE * MULTIPLE;
        int pw = (width + MULTIPLE - 1) / MULTIPLE * MULTIPLE;
        return new int[] {(ph - height) / 2, (pw - width) / 2, ph, pw};
    }

    private static FloatTensor input(RgbImage image, int[] box) {
        int ph = box[2];
        int pw = box[3];
        float[] x = new float[3 * ph * pw];
        byte[] px = image.pixels();
        for (int yy = 0; yy < image.height(); yy++) {
            for (int xx = 0; xx < image.width(); xx++) {
                int src = (yy * image.width() + xx) * 3;
                int dst = (yy + box[0]) * pw + xx + box[1];
                for (int c = 0; c < 3; c++) {
                    x[c * ph * pw + dst] = (px[src + c] & 0xff) / 255f;
                }
            }
        }
        return new FloatTensor(x, new long[] {1, 3, ph, pw});
    }

    /** The 8-bit image of {@code xHat} ({@code [1, 3, H, W]}): {@code rint(v * 255)}, clamped. */
    static RgbImage toImage(FloatTensor xHat) {
        int h = (int) xHat.dim(2);
        int w = (int) xHat.dim(3);
        byte[] px = new byte[w * h * 3];
        float[] v = xHat.data();
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < w * h; k++) {
                double q = Math.rint(v[c * w * h + k] * 255f);
                px[k * 3 + c] = (byte) Math.max(0, Math.min(255, (int) q));
            }
        }
        return new RgbImage(w, h, px);
    }

    private static int[] channelRows(long[] shape) {
        int plane = (int) (shape[2] * shape[3]);
        int[] rows = new int[(int) (shape[1] * plane)];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i / plane;
        }
        return rows;
    }

    private Map<String, FloatTensor> params(int i, Map<String, FloatTensor> hyper, List<float[]> decoded, long[] sliceShape) {
        Map<String, FloatTensor> in = new HashMap<>();
        in.put("means", hyper.get("means"));
        in.put("scales", hyper.get("scales"));
        support(i, decoded, sliceShape).ifPresent(t -> in.put("support", t));
        return runAll("cc_" + i, in);
    }

    private float[] finish(int i, Map<String, FloatTensor> hyper, List<float[]> decoded, float[] mu, int[] symbols,
                           long[] sliceShape) {
        float[] yHat = new float[mu.length];
        for (int k = 0; k < yHat.length; k++) {
            yHat[k] = (float) symbols[k] + mu[k];
        }
        Map<String, FloatTensor> in = new HashMap<>();
        in.put("means", hyper.get("means"));
        in.put("y_hat", new FloatTensor(yHat, sliceShape));
        support(i, decoded, sliceShape).ifPresent(t -> in.put("support", t));
        float[] lrp = run("lrp_" + i, in, "lrp").data();
        for (int k = 0; k < yHat.length; k++) {
            yHat[k] += lrp[k];
        }
        return yHat;
    }

    private java.util.Optional<FloatTensor> support(int i, List<float[]> decoded, long[] sliceShape) {
        int k = Math.min(i, maxSupport);
        if (k == 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(concat(decoded.subList(0, k), sliceShape));
    }

    private static FloatTensor concat(List<float[]> parts, long[] sliceShape) {
        int n = parts.get(0).length;
        float[] out = new float[n * parts.size()];
        for (int j = 0; j < parts.size(); j++) {
            System.arraycopy(parts.get(j), 0, out, j * n, n);
        }
        return new FloatTensor(out, new long[] {1, sliceShape[1] * parts.size(), sliceShape[2], sliceShape[3]});
    }

    private FloatTensor synthesize(List<float[]> decoded, long[] sliceShape, int[] box, int h, int w) {
        FloatTensor full = run("g_s", Map.of("y_hat", concat(decoded, sliceShape)), "x_hat");
        int ph = box[2];
        int pw = box[3];
        float[] out = new float[3 * h * w];
        for (int c = 0; c < 3; c++) {
            for (int yy = 0; yy < h; yy++) {
                System.arraycopy(full.data(), c * ph * pw + (yy + box[0]) * pw + box[1], out, (c * h + yy) * w, w);
            }
        }
        return new FloatTensor(out, new long[] {1, 3, h, w});
    }

    private FloatTensor run(String graph, Map<String, FloatTensor> inputs, String output) {
        return graphs.get(graph).run(inputs, java.util.Set.of(output)).get(output);
    }

    private Map<String, FloatTensor> runAll(String graph, Map<String, FloatTensor> inputs) {
        return graphs.get(graph).run(inputs);
    }

    @Override
    public void close() {
        graphs.values().forEach(OnnxModel::close);
    }

    @Override
    public String toString() {
        return "LearnedCodec[" + descriptor.id() + ", " + slices + " slices of " + depth + " channels]";
    }
}
