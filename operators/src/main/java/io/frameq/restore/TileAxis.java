package io.frameq.restore;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How one axis (width or height) of a frame is cut into overlapping tiles, and the blending weight
 * of each tile along that axis.
 *
 * <p>Tiles are {@code tile} pixels long (the whole axis when it is shorter). Starts advance by a
 * stride of {@code tile - overlap} rounded down to a multiple of {@code align}, so that every tile
 * but the last starts on the network's pooling grid (a tile then sees the same pixel phase as the
 * whole frame); the last tile ends on the frame border. Consecutive tiles overlap by at least
 * {@code overlap} pixels.
 *
 * <p>Weights rise and fall as a raised cosine across each overlap, {@code 0.5 - 0.5 cos(pi (k + 0.5) / ov)},
 * so two neighbours sharing an overlap of equal length sum to exactly 1 there and a tile's outermost
 * pixels (where its zero/reflect padding corrupts the output) weigh least. {@link #sum()} is the
 * per-pixel total of all weights on the axis; the blender divides by it, which keeps the blend a
 * partition of unity also where three tiles meet near the last one.
 *
 * @param length axis length in pixels
 * @param tile tile length actually used ({@code min(tile, length)})
 * @param starts tile starts, ascending
 */
public record TileAxis(int length, int tile, int[] starts) {

    public TileAxis {
        starts = starts.clone();
    }

    @Override
    public int[] starts() {
        return starts.clone();
    }

    public int count() {
        return starts.length;
    }

    public int start(int i) {
        return starts[i];
    }

    /**
     * Plans one axis.
     *
     * @throws IllegalArgumentException when {@code tile < 2 * overlap + align}, {@code overlap < 0} or {@code align < 1}
     */
    public static TileAxis plan(int length, int tile, int overlap, int align) {
        if (length < 1 || align < 1 || overlap < 0 || tile < 2 * overlap + align) {
            throw new IllegalArgumentException("TileAxis: expected length >= 1, align >= 1, overlap >= 0 and tile >= "
                    + "2 * overlap + align; actual length=" + length + " tile=" + tile + " overlap=" + overlap + " align=" + align);
        }
        if (length <= tile) {
            return new TileAxis(length, length, new int[] {0});
        }
        int stride = (tile - overlap) / align * align;
        List<Integer> s = new ArrayList<>();
        for (int p = 0; p + tile < length; p += stride) {
            s.add(p);
        }
        s.add(length - tile);
        return new TileAxis(length, tile, s.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Weight of each pixel of tile {@code i} along this axis (length {@link #tile()}). */
    public float[] weights(int i) {
        float[] w = new float[tile];
        Arrays.fill(w, 1f);
        if (i > 0) {
            int ov = starts[i - 1] + tile - starts[i];
            for (int k = 0; k < ov; k++) {
                w[k] *= rise(k, ov);
            }
        }
        if (i < starts.length - 1) {
            int ov = starts[i] + tile - starts[i + 1];
            for (int k = 0; k < ov; k++) {
                w[tile - 1 - k] *= rise(k, ov);
            }
        }
        return w;
    }

    /** Sum over all tiles of their weight at each pixel of the axis (always > 0). */
    public float[] sum() {
        float[] total = new float[length];
        for (int i = 0; i < starts.length; i++) {
            float[] w = weights(i);
            for (int k = 0; k < tile; k++) {
                total[starts[i] + k] += w[k];
            }
        }
        return total;
    }

    private static float rise(int k, int ov) {
        return (float) (0.5 - 0.5 * Math.cos(Math.PI * (k + 0.5) / ov));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TileAxis t && t.length == length && t.tile == tile && Arrays.equals(t.starts, starts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * length + tile) + Arrays.hashCode(starts);
    }

    @Override
    public String toString() {
        return "TileAxis[length=" + length + ", tile=" + tile + ", starts=" + Arrays.toString(starts) + "]";
    }
}
