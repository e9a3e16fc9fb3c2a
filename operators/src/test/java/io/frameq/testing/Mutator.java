package io.frameq.testing;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mutation-based hostile inputs, in the manner of AFL's and libFuzzer's havoc stage: a seed from a
 * committed corpus gets 1..4 (a quarter of the time 1..32) stacked mutations — bit flips, "interesting" bytes and 16/32-bit
 * values (0, -1, 0x7f.., 0x80.., sizes near powers of two) written at random offsets (which hits
 * length and size fields of JPEG markers, PNG chunks, MP4 boxes and TS headers), chunk deletion,
 * duplication and insertion, truncation, and splicing with another seed. Deterministic for a seed
 * of the random source, so a failing input is reproduced from the numbers in the report.
 */
public final class Mutator {

    private static final int[] INTERESTING_8 = {0, 1, 0x7f, 0x80, 0xff, 0x10, 0x20, 0x40, 0x64};
    private static final int[] INTERESTING_16 = {0, 1, 0x7fff, 0x8000, 0xffff, 0x100, 0x200, 0x1000, 0x4000, 16, 32, 64, 1000, 1024, 4096};
    private static final long[] INTERESTING_32 = {0, 1, 0x7fffffffL, 0x80000000L, 0xffffffffL, 0x10000, 0x100000, 0x1000000, 65535, 65536,
        100663296};

    private Mutator() {}

    /** A mutant of {@code seed}; {@code others} are splice partners (may be empty). Never larger than {@code maxBytes}. */
    public static byte[] mutate(byte[] seed, List<byte[]> others, SplittableRandom r, int maxBytes) {
        byte[] b = seed.clone();
        int rounds = 1 + r.nextInt(r.nextInt(4) == 0 ? 32 : 4);
        for (int i = 0; i < rounds; i++) {
            b = once(b, others, r);
            if (b.length > maxBytes) {
                b = Arrays.copyOf(b, maxBytes);
            }
        }
        return b;
    }

    private static byte[] once(byte[] b, List<byte[]> others, SplittableRandom r) {
        if (b.length == 0) {
            return new byte[] {(byte) r.nextInt(256)};
        }
        switch (r.nextInt(11)) {
            case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            case 1 -> b[r.nextInt(b.length)] = (byte) INTERESTING_8[r.nextInt(INTERESTING_8.length)];
            case 2 -> put(b, r.nextInt(b.length), INTERESTING_16[r.nextInt(INTERESTING_16.length)], 2, r.nextBoolean());
            case 3 -> put(b, r.nextInt(b.length), INTERESTING_32[r.nextInt(INTERESTING_32.length)], 4, r.nextBoolean());
            case 4 -> b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            case 5 -> { // arithmetic on a byte (lengths off by a little)
                int at = r.nextInt(b.length);
                b[at] = (byte) (b[at] + r.nextInt(-35, 36));
            }
            case 6 -> { // delete a chunk
                int at = r.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + r.nextInt(Math.max(1, b.length / 8)));
                byte[] out = new byte[b.length - len];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + len, out, at, b.length - at - len);
                return out;
            }
            case 7 -> { // duplicate a chunk in place (repeated boxes, markers, packets)
                int at = r.nextInt(b.length);
                int len = Math.min(b.length - at, 1 + r.nextInt(Math.max(1, Math.min(4096, b.length / 4))));
                byte[] out = new byte[b.length + len];
                System.arraycopy(b, 0, out, 0, at + len);
                System.arraycopy(b, at, out, at + len, b.length - at);
                return out;
            }
            case 8 -> { // truncate: cut downloads, short reads
                return Arrays.copyOf(b, r.nextInt(b.length));
            }
            case 9 -> { // splice: head of this one, tail of another
                if (others.isEmpty()) {
                    return b;
                }
                byte[] o = others.get(r.nextInt(others.size()));
                if (o.length == 0) {
                    return b;
                }
                int cut = r.nextInt(b.length);
                int from = r.nextInt(o.length);
                byte[] out = Arrays.copyOf(b, cut + o.length - from);
                System.arraycopy(o, from, out, cut, o.length - from);
                return out;
            }
            default -> { // overwrite a chunk with bytes copied from elsewhere in the input
                int len = 1 + r.nextInt(Math.min(b.length, 32));
                int from = r.nextInt(b.length - len + 1);
                int to = r.nextInt(b.length - len + 1);
                System.arraycopy(b.clone(), from, b, to, len);
            }
        }
        return b;
    }

    private static void put(byte[] b, int at, long value, int width, boolean bigEndian) {
        for (int i = 0; i < width && at + i < b.length; i++) {
            int shift = bigEndian ? 8 * (width - 1 - i) : 8 * i;
            b[at + i] = (byte) (value >>> shift);
        }
    }
}
