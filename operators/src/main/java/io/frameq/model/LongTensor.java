package io.frameq.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense int64 tensor in row-major order (index inputs such as the fr-iqa {@code scales}).
 *
 * <p>The data array is shared, not copied: the producer must not change it while a consumer uses it.
 *
 * @param data elements, row-major; length equals the product of {@code shape}
 * @param shape dimensions, all non-negative (copied)
 */
public record LongTensor(long[] data, long[] shape) implements Tensor {

    public LongTensor {
        Objects.requireNonNull(data, "data");
        shape = Objects.requireNonNull(shape, "shape").clone();
        long n = FloatTensor.elementCount(shape);
        if (n != data.length) {
            throw new IllegalArgumentException("LongTensor: shape " + Arrays.toString(shape) + " holds " + n
                    + " elements, data has " + data.length);
        }
    }

    @Override
    public String dtype() {
        return "int64";
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
        return o instanceof LongTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "LongTensor" + Arrays.toString(shape);
    }
}
