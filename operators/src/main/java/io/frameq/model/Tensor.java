package io.frameq.model;

/**
 * A dense row-major tensor handed to a model run, free of any runtime's native types: float32
 * ({@link FloatTensor}) or int64 ({@link LongTensor}).
 *
 * <p>Models with several inputs of different element types (the fr-iqa patch-set contract:
 * float32 patches and positions, int64 scale indices) take a {@code Map<String, Tensor>}.
 */
public sealed interface Tensor permits FloatTensor, LongTensor {

    /** Element type in NumPy spelling, as in {@code model.json}: {@code float32}, {@code int64}. */
    String dtype();

    /** Dimensions (a copy). */
    long[] shape();

    /** Number of dimensions. */
    int rank();

    /** Dimension {@code i}. */
    long dim(int i);
}
