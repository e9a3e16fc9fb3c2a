package io.frameq.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense float32 tensor in row-major order: the value type passed between pre-processing,
 * execution and post-processing, free of any runtime's native types.
 *
 * <p>The data array is shared, not copied (a batch is megabytes): the producer must not change it
 * while a consumer uses it.
 *
 * @param data elements, row-major; length equals the product of {@code shape}
 * @param shape dimensions, all non-negative (copied)
 */
public record FloatTensor(float[] data, long[] shape) implements Tensor {

    public FloatTensor {
        Objects.requireNonNull(data, "data");
        shape = Objects.requireNonNull(shape, "shape").clone();
        long n = elementCount(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("FloatTensor: shape " + Arrays.toString(shape) + " holds " + n
                    + " elements, data has " + data.length);
        }
    }

    /** Product of the dimensions; rejects negative (dynamic) dimensions. */
    public static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("FloatTensor: dimensions must be >= 0, got " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public String dtype() {
        return "float32";
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public int rank() {
        return shape.length;
    }

    @Override
    public long dim(int i) {
        return shape[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
