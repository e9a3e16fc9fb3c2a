package io.frameq.codec;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Buffered rANS encoder (ryg's Rans64 layout as CompressAI uses it): 64-bit state, lower bound
 * 2^31, 32-bit output words, 16-bit probabilities, 4-bit bypass nibbles for escaped values. Symbols
 * are buffered by {@link #encode} and coded back to front by {@link #flush()}, which writes the final
 * state first (low word first); bytes are the words little-endian. The same stream as
 * {@code frameq_models.codec.rans.RansEncoder}, byte for byte.
 *
 * <p>Not thread-safe; one per stream.
 */
public final class RansEncoder {

    static final int PRECISION = 16;
    static final long RANS_L = 1L << 31;
    static final int BYPASS_BITS = 4;
    static final int BYPASS_MAX = (1 << BYPASS_BITS) - 1;

    // (start, freq, bypass) triples, packed: start | freq << 17 | bypass << 40
    private long[] pending = new long[1024];
    private int size;

    /**
     * Buffers {@code symbols[i]} coded with table row {@code indexes[i]}.
     *
     * @throws IllegalArgumentException when the arrays differ in length or an index is not a table row
     */
    public void encode(int[] symbols, int[] indexes, CdfTable table) {
        if (symbols.length != indexes.length) {
            throw new IllegalArgumentException("RansEncoder: " + symbols.length + " symbols but " + indexes.length + " indexes");
        }
        for (int i = 0; i < symbols.length; i++) {
            int idx = indexes[i];
            if (idx < 0 || idx >= table.rows()) {
                throw new IllegalArgumentException("RansEncoder: index " + idx + " at " + i + " outside the table's "
                        + table.rows() + " rows");
            }
            int[] cdf = table.cdf()[idx];
            int maxValue = table.length()[idx] - 2;
            long value = (long) symbols[i] - table.offset()[idx];
            long raw = 0;
            if (value < 0) {
                raw = -2 * value - 1;
                value = maxValue;
            } else if (value >= maxValue) {
                raw = 2 * (value - maxValue);
                value = maxValue;
            }
            int v = (int) value;
            push(cdf[v], cdf[v + 1] - cdf[v], false);
            if (v == maxValue) {
                int n = 0;
                while ((raw >>> (n * BYPASS_BITS)) != 0) {
                    n++;
                }
                int rest = n;
                while (rest >= BYPASS_MAX) {
                    push(BYPASS_MAX, 1, true);
                    rest -= BYPASS_MAX;
                }
                push(rest, 1, true);
                for (int j = 0; j < n; j++) {
                    push((int) ((raw >>> (j * BYPASS_BITS)) & BYPASS_MAX), 1, true);
                }
            }
        }
    }

    private void push(int start, int freq, boolean bypass) {
        if (size == pending.length) {
            pending = Arrays.copyOf(pending, size * 2);
        }
        pending[size++] = start | (long) freq << 17 | (bypass ? 1L << 40 : 0L);
    }

    /**
     * Codes everything buffered and returns the stream; the encoder is empty afterwards.
     *
     * @throws IllegalStateException when a symbol has zero frequency (a broken table)
     */
    public byte[] flush() {
        long x = RANS_L;
        long[] words = new long[size + 2];
        int n = 0;
        for (int k = size - 1; k >= 0; k--) {
            long e = pending[k];
            int start = (int) (e & 0x1FFFF);
            long freq = (e >>> 17) & 0x7FFFFF;
            if ((e >>> 40) != 0) {
                long xMax = ((RANS_L >>> PRECISION) << 32) << (PRECISION - BYPASS_BITS);
                if (Long.compareUnsigned(x, xMax) >= 0) {
                    words[n++] = x & 0xFFFFFFFFL;
                    x >>>= 32;
                }
                x = (x << BYPASS_BITS) | start;
            } else {
                if (freq <= 0) {
                    throw new IllegalStateException("RansEncoder: zero-frequency symbol cannot be coded (entry " + k + ")");
                }
                long xMax = ((RANS_L >>> PRECISION) << 32) * freq; // up to 2^63: compared unsigned
                if (Long.compareUnsigned(x, xMax) >= 0) {
                    words[n++] = x & 0xFFFFFFFFL;
                    x >>>= 32;
                }
                x = (Long.divideUnsigned(x, freq) << PRECISION) + Long.remainderUnsigned(x, freq) + start;
            }
        }
        words[n++] = x >>> 32;
        words[n++] = x & 0xFFFFFFFFL;
        ByteArrayOutputStream out = new ByteArrayOutputStream(n * 4);
        for (int k = n - 1; k >= 0; k--) {
            long w = words[k];
            out.write((int) w);
            out.write((int) (w >>> 8));
            out.write((int) (w >>> 16));
            out.write((int) (w >>> 24));
        }
        size = 0;
        return out.toByteArray();
    }
}
