package dev.logitscope.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands that libtorch allocates, for the forward pass a fine-tuning run differentiates.
 * DJL's {@code x.mul(Number)} (also {@code div}, {@code pow}) wraps the number in a tensor over a
 * Java direct buffer and closes it as soon as the op returns; autograd keeps that tensor for the
 * backward pass ({@code MulBackward} multiplies the incoming gradient by it), so a garbage
 * collection between forward and backward frees the memory under it and the gradient is computed
 * from freed memory (1e30s, NaN, or a slightly wrong value after clipping). Made by libtorch
 * ({@code torch::full}), the scalar lives as long as the graph needs it. The value and dtype are the
 * ones DJL would use, so results are bit-identical.
 */
public final class Scalars {
    private Scalars() {}

    /** A 0-dim tensor of {@code like}'s dtype, in {@code like}'s manager: (float) {@code value}. */
    public static NDArray of(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    /** A 0-dim INT32 tensor (an integer exponent), in {@code like}'s manager. */
    public static NDArray ofInt(NDArray like, int value) {
        return like.getManager().full(new Shape(), value, DataType.INT32);
    }
}
