package io.frameq.codec;

import java.util.Objects;

/**
 * One entropy model's integer tables (precision 16): row r codes {@code value = symbol - offset[r]}
 * in {@code [0, length[r] - 2)} with cumulative frequencies {@code cdf[r][value]}..{@code cdf[r][value + 1]};
 * {@code length[r] - 2} is the escape symbol (values outside the range follow in bypass nibbles).
 *
 * @param cdf rows of cumulative frequencies, each at least {@code length[r]} long, from 0 up to 65536
 * @param length used entries of each row
 * @param offset the symbol of entry 0 of each row
 */
public record CdfTable(int[][] cdf, int[] length, int[] offset) {

    public CdfTable {
        Objects.requireNonNull(cdf, "cdf");
        Objects.requireNonNull(length, "length");
        Objects.requireNonNull(offset, "offset");
        if (cdf.length != length.length || cdf.length != offset.length) {
            throw new IllegalArgumentException("CdfTable: " + cdf.length + " cdf rows, " + length.length + " lengths, "
                    + offset.length + " offsets; expected equal counts");
        }
        for (int r = 0; r < cdf.length; r++) {
            if (length[r] < 3 || length[r] > cdf[r].length) {
                throw new IllegalArgumentException("CdfTable: row " + r + " length " + length[r] + " outside [3, "
                        + cdf[r].length + "]");
            }
            if (cdf[r][0] != 0 || cdf[r][length[r] - 1] != 1 << RansEncoder.PRECISION) {
                throw new IllegalArgumentException("CdfTable: row " + r + " must run from 0 to 65536, got " + cdf[r][0]
                        + " .. " + cdf[r][length[r] - 1]);
            }
        }
    }

    /** Number of rows. */
    public int rows() {
        return cdf.length;
    }
}
