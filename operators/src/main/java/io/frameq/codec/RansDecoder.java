package io.frameq.codec;

/**
 * Decoder of a {@link RansEncoder} stream, read incrementally: a learned codec computes the table
 * rows of each latent slice from the slices decoded before it.
 *
 * <p>Not thread-safe; one per stream.
 */
public final class RansDecoder {

    private static final long MASK = (1L << RansEncoder.PRECISION) - 1;

    private final byte[] data;
    private int pos;
    private long x;

    /**
     * @throws IllegalArgumentException when the stream is shorter than its 8-byte initial state or
     *     not a whole number of 32-bit words
     */
    public RansDecoder(byte[] data) {
        if (data.length < 8 || data.length % 4 != 0) {
            throw new IllegalArgumentException("RansDecoder: stream of " + data.length
                    + " bytes; expected a multiple of 4, at least 8");
        }
        this.data = data;
        long lo = word(0);
        long hi = word(4);
        this.x = lo | hi << 32;
        this.pos = 8;
    }

    private long word(int at) {
        return (data[at] & 0xFFL) | (data[at + 1] & 0xFFL) << 8 | (data[at + 2] & 0xFFL) << 16 | (data[at + 3] & 0xFFL) << 24;
    }

    private void refill() {
        if (Long.compareUnsigned(x, RansEncoder.RANS_L) < 0) {
            if (pos + 4 > data.length) {
                throw new IllegalArgumentException("RansDecoder: stream ended after " + data.length + " bytes (truncated?)");
            }
            x = x << 32 | word(pos);
            pos += 4;
        }
    }

    private int bits() {
        int v = (int) (x & RansEncoder.BYPASS_MAX);
        x >>>= RansEncoder.BYPASS_BITS;
        refill();
        return v;
    }

    /**
     * Decodes one symbol per entry of {@code indexes}.
     *
     * @throws IllegalArgumentException when an index is not a table row or the stream is exhausted
     */
    public int[] decode(int[] indexes, CdfTable table) {
        int[] out = new int[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            int idx = indexes[i];
            if (idx < 0 || idx >= table.rows()) {
                throw new IllegalArgumentException("RansDecoder: index " + idx + " at " + i + " outside the table's "
                        + table.rows() + " rows");
            }
            int length = table.length()[idx];
            int[] cdf = table.cdf()[idx];
            int maxValue = length - 2;
            int cum = (int) (x & MASK);
            int s = search(cdf, length, cum);
            long start = cdf[s];
            long freq = cdf[s + 1] - start;
            x = freq * (x >>> RansEncoder.PRECISION) + (x & MASK) - start;
            refill();
            long value = s;
            if (s == maxValue) {
                int val = bits();
                int n = val;
                while (val == RansEncoder.BYPASS_MAX) {
                    val = bits();
                    n += val;
                }
                long raw = 0;
                for (int j = 0; j < n; j++) {
                    raw |= (long) bits() << (j * RansEncoder.BYPASS_BITS);
                }
                value = raw >>> 1;
                value = (raw & 1) != 0 ? -value - 1 : value + maxValue;
            }
            out[i] = Math.toIntExact(value + table.offset()[idx]);
        }
        return out;
    }

    /** The s with {@code cdf[s] <= cum < cdf[s + 1]} among the first {@code length} entries. */
    private static int search(int[] cdf, int length, int cum) {
        int lo = 0;
        int hi = length - 1; // cdf[length - 1] = 65536 > cum
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] <= cum) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
