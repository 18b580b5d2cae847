package dev.logitscope.safetensors;

import dev.logitscope.tensors.TensorInfo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Checks that the tensors of a parsed header fit the data section: each tensor's byte range has
 * exactly the size its dtype and shape need, lies inside the data section, and shares no byte with
 * another tensor. Only after this may a range be mapped.
 */
final class DataLayout {
    private DataLayout() {}

    /** Returns the tensors in data order (by begin offset; JSON order among equal offsets). */
    static List<TensorInfo> check(Path file, List<TensorInfo> tensors, long dataSize) throws SafetensorsException {
        for (TensorInfo t : tensors) {
            checkSize(file, t);
            if (t.end() > dataSize) {
                throw new SafetensorsException(file, t.name(), "data_offsets " + offsets(t)
                        + " reach past the end of the data section (" + dataSize
                        + " bytes); the file is truncated or its header is wrong");
            }
        }
        List<TensorInfo> ordered = new ArrayList<>(tensors);
        ordered.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        checkNoOverlap(file, ordered);
        return List.copyOf(ordered);
    }

    private static void checkSize(Path file, TensorInfo t) throws SafetensorsException {
        long needed;
        try {
            needed = Math.multiplyExact(t.elementCount(), (long) t.dtype().byteSize());
        } catch (ArithmeticException e) {
            throw new SafetensorsException(file, t.name(),
                    "shape " + t.shapeText() + " has more elements than a 64-bit count can hold");
        }
        if (needed != t.byteSize()) {
            throw new SafetensorsException(file, t.name(), "data_offsets " + offsets(t) + " hold " + t.byteSize()
                    + " bytes but " + t.dtype() + " " + t.shapeText() + " needs " + needed + " bytes");
        }
    }

    /** Empty tensors hold no bytes, so they cannot overlap anything and are skipped. */
    private static void checkNoOverlap(Path file, List<TensorInfo> ordered) throws SafetensorsException {
        TensorInfo previous = null;
        for (TensorInfo t : ordered) {
            if (t.byteSize() == 0) {
                continue;
            }
            if (previous != null && t.begin() < previous.end()) {
                throw new SafetensorsException(file, t.name(), "data_offsets " + offsets(t)
                        + " overlap those of tensor '" + previous.name() + "' " + offsets(previous));
            }
            previous = t;
        }
    }

    private static String offsets(TensorInfo t) {
        return Arrays.toString(new long[] {t.begin(), t.end()});
    }
}
