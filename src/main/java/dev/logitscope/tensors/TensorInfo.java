package dev.logitscope.tensors;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor entry of a safetensors header. {@code begin} and {@code end} are byte offsets relative
 * to the start of the data section (the byte after the header), as in the file.
 *
 * <p>The shape array is copied in and out, so an instance is immutable; equality compares shapes
 * by content (a record alone would compare array references).
 */
public record TensorInfo(String name, DType dtype, long[] shape, long begin, long end) {

    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("bad data offsets [" + begin + ", " + end + "] for " + name);
        }
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Product of the shape; 1 for a scalar (shape []). Throws ArithmeticException on overflow. */
    public long elementCount() {
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    public long byteSize() {
        return end - begin;
    }

    /** The shape as a user reads it, e.g. {@code [768, 2304]}. */
    public String shapeText() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t
                && name.equals(t.name)
                && dtype == t.dtype
                && Arrays.equals(shape, t.shape)
                && begin == t.begin
                && end == t.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype + " " + shapeText() + " @[" + begin + ", " + end + ")";
    }
}
