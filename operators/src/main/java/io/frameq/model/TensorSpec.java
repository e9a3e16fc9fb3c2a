package io.frameq.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * One declared input or output of a model: name, element type and shape.
 *
 * @param name the graph's input/output name
 * @param dtype element type in NumPy spelling: {@code float32}, {@code float16}, {@code int64}…
 * @param shape dimensions; {@code -1} marks a dynamic one (usually the batch). Copied on the way
 *     in and out, so a spec is immutable.
 */
public record TensorSpec(String name, String dtype, long[] shape) {

    /** Dimension value that marks a dynamic axis. */
    public static final long DYNAMIC = -1;

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = Objects.requireNonNull(shape, "shape").clone();
        for (long d : shape) {
            if (d != DYNAMIC && d <= 0) {
                throw new IllegalArgumentException("TensorSpec '" + name + "': dimensions must be -1 or positive, got "
                        + Arrays.toString(shape));
            }
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Dimension {@code i}, {@link #DYNAMIC} when dynamic. */
    public long dim(int i) {
        return shape[i];
    }

    /** True when {@code actual} has this rank and equals every fixed dimension of this spec. */
    public boolean accepts(long[] actual) {
        if (actual.length != shape.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] != DYNAMIC && shape[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && dtype.equals(t.dtype) && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return name + ":" + dtype + Arrays.toString(shape);
    }
}
