package dev.logitscope.tensors;

import java.util.Optional;

/** Element types of the safetensors format. Only the float types can be loaded as weights. */
public enum DType {
    F64(8), F32(4), F16(2), BF16(2),
    I64(8), I32(4), I16(2), I8(1), U8(1), BOOL(1);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    /** True for the types we convert to float32 on load (F32 as is, F16 and BF16 widened). */
    public boolean isLoadableAsFloat() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** The dtype spelled as in a safetensors header ("F32", "BF16", ...), or empty if unknown. */
    public static Optional<DType> parse(String name) {
        for (DType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
