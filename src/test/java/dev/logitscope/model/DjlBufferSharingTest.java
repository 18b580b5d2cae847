package dev.logitscope.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pins the two facts about DJL's PyTorch engine that weight loading rests on, by experiment:
 * {@code create} from a direct buffer wraps that memory without a copy (so an array made from a
 * mapping keeps reading the file), and {@code toByteBuffer(true)} of a contiguous CPU tensor is a
 * view of the tensor's own storage (so reading a file into it copies once, into libtorch memory).
 */
class DjlBufferSharingTest {
    private static ModelThread thread;

    @BeforeAll
    static void start() {
        thread = new ModelThread();
    }

    @AfterAll
    static void stop() {
        thread.close();
    }

    @Test
    void anArrayCreatedFromADirectBufferReadsThatBuffersMemory() throws Exception {
        float[] seen = thread.call(root -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4 * Float.BYTES).order(ByteOrder.nativeOrder());
            buffer.asFloatBuffer().put(new float[] {1f, 2f, 3f, 4f});
            try (NDArray array = root.create(buffer, new Shape(2, 2), DataType.FLOAT32)) {
                buffer.putFloat(0, 42f); // after create
                return array.toFloatArray();
            }
        });
        assertThat(seen).as("no copy: a later write to the buffer shows in the array").containsExactly(42f, 2f, 3f, 4f);
    }

    @Test
    void toByteBufferTrueOfAContiguousTensorIsItsStorage() throws Exception {
        float[][] seen = thread.call(root -> {
            try (NDArray array = root.create(new Shape(2, 3), DataType.FLOAT32)) {
                ByteBuffer storage = array.toByteBuffer(true);
                assertThat(storage.isDirect()).isTrue();
                assertThat(storage.capacity()).isEqualTo(6 * Float.BYTES);
                storage.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(new float[] {1f, 2f, 3f, 4f, 5f, 6f});
                try (NDArray transposed = array.transpose()) {
                    return new float[][] {array.toFloatArray(), transposed.toFloatArray()};
                }
            }
        });
        assertThat(seen[0]).as("the writes landed in the tensor").containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
        assertThat(seen[1]).as("and in views of it").containsExactly(1f, 4f, 2f, 5f, 3f, 6f);
    }
}
