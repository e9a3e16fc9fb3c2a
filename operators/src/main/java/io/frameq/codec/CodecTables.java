package io.frameq.codec;

import com.fasterxml.jackson.databind.JsonNode;
import io.frameq.model.ModelDescriptor;
import io.frameq.model.ModelLoadException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The entropy-model tables a codec export ships next to its graphs ({@code tables.json} + raw
 * little-endian {@code tables/*.bin}, written by {@code frameq_models.codec.tables.write_tables}),
 * each checked against the sha256 the index records.
 *
 * @param z the hyper-latent (factorized) tables, one row per z channel
 * @param y the Gaussian tables, one row per scale-table entry
 * @param medians z channel medians (the quantisation centres of z)
 * @param scaleTable the Gaussian scales of the rows of {@code y}, ascending
 */
public record CodecTables(CdfTable z, CdfTable y, float[] medians, float[] scaleTable) {

    /** Lower bound of a Gaussian scale before its row is looked up (the exporter's {@code scale_bound}). */
    public static final float SCALE_BOUND = 0.11f;

    public CodecTables {
        medians = medians.clone();
        scaleTable = scaleTable.clone();
        if (medians.length != z.rows()) {
            throw new IllegalArgumentException("CodecTables: " + medians.length + " medians for " + z.rows() + " z rows");
        }
        if (scaleTable.length != y.rows()) {
            throw new IllegalArgumentException("CodecTables: " + scaleTable.length + " scales for " + y.rows() + " y rows");
        }
    }

    @Override
    public float[] medians() {
        return medians.clone();
    }

    @Override
    public float[] scaleTable() {
        return scaleTable.clone();
    }

    /** z median of channel {@code c}. */
    public float median(int c) {
        return medians[c];
    }

    /** The y row of a scale: the smallest k with {@code max(sigma, 0.11) <= scaleTable[k]}, else the last row. */
    public int scaleIndex(float sigma) {
        float s = Math.max(sigma, SCALE_BOUND);
        int lo = 0;
        int hi = scaleTable.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s <= scaleTable[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * Reads the tables of {@code descriptor} from {@code <version>/<tables>}.
     *
     * @throws ModelLoadException naming the table when a file is missing, has another sha256, or its
     *     shape does not fit
     */
    static CodecTables load(ModelDescriptor descriptor, URI versionDir, String indexFile) {
        String model = descriptor.name();
        JsonNode index = Resources.json(model, versionDir.resolve(indexFile), "codec.tables");
        JsonNode tables = index.path("tables");
        CdfTable z = cdf(model, versionDir, tables, "z");
        CdfTable y = cdf(model, versionDir, tables, "y");
        return new CodecTables(z, y, floats(model, versionDir, tables, "z_medians"), floats(model, versionDir, tables,
                "y_scale_table"));
    }

    private static CdfTable cdf(String model, URI dir, JsonNode tables, String prefix) {
        int[] flat = ints(model, dir, tables, prefix + "_quantized_cdf");
        JsonNode shape = tables.path(prefix + "_quantized_cdf").path("shape");
        int rows = shape.path(0).asInt();
        int cols = shape.path(1).asInt();
        int[][] cdf = new int[rows][];
        for (int r = 0; r < rows; r++) {
            cdf[r] = java.util.Arrays.copyOfRange(flat, r * cols, (r + 1) * cols);
        }
        try {
            return new CdfTable(cdf, ints(model, dir, tables, prefix + "_cdf_length"), ints(model, dir, tables, prefix + "_offset"));
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(model, "codec.tables." + prefix, "consistent CDF tables", e.getMessage(), e);
        }
    }

    private static ByteBuffer raw(String model, URI dir, JsonNode tables, String key, String dtype) {
        JsonNode entry = tables.path(key);
        if (!entry.isObject()) {
            throw new ModelLoadException(model, "codec.tables." + key, "an entry in tables.json", "missing");
        }
        if (!dtype.equals(entry.path("dtype").asText())) {
            throw new ModelLoadException(model, "codec.tables." + key + ".dtype", dtype, entry.path("dtype").toString());
        }
        byte[] bytes = Resources.bytes(model, dir.resolve(entry.path("file").asText()), "codec.tables." + key);
        String actual = ModelDescriptor.sha256Hex(bytes);
        if (!actual.equals(entry.path("sha256").asText())) {
            throw new ModelLoadException(model, "codec.tables." + key + ".sha256", entry.path("sha256").asText(), actual);
        }
        long n = 1;
        for (JsonNode d : entry.path("shape")) {
            n *= d.asLong();
        }
        if (n * 4 != bytes.length) {
            throw new ModelLoadException(model, "codec.tables." + key + ".shape", n + " elements (" + n * 4 + " bytes)",
                    bytes.length + " bytes");
        }
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int[] ints(String model, URI dir, JsonNode tables, String key) {
        ByteBuffer b = raw(model, dir, tables, key, "int32");
        int[] out = new int[b.remaining() / 4];
        b.asIntBuffer().get(out);
        return out;
    }

    private static float[] floats(String model, URI dir, JsonNode tables, String key) {
        ByteBuffer b = raw(model, dir, tables, key, "float32");
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }
}
