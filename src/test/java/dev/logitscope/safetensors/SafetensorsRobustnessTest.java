package dev.logitscope.safetensors;

import dev.logitscope.tensors.DType;
import dev.logitscope.tensors.TensorInfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files must end in a SafetensorsException or a clean read, never in another throwable
 * (NPE, IndexOutOfBounds, OOM, a fault in a mapping).
 */
class SafetensorsRobustnessTest {

    /** Bytes a JSON header is made of, so mutations reach past the tokenizer into the checks. */
    private static final byte[] JSON_BYTES = "{}[]\":,-.0123456789eE \\ntrul_FBIU".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private byte[] valid;
    private int headerEnd;

    @BeforeEach
    void writeValidFile() throws IOException {
        Path file = dir.resolve("valid.safetensors");
        new SafetensorsWriter()
                .metadata("format", "pt")
                .add("wte.weight", new long[] {3, 4}, new float[12])
                .add("h.0.ln_1.weight", DType.F16, new long[] {4}, new float[] {1, 2, 3, 4})
                .add("h.0.ln_1.bias", DType.BF16, new long[] {2, 2}, new float[] {1, -2, 3, -4})
                .add("scalar", new long[] {}, new float[] {5})
                .add("empty", new long[] {2, 0}, new float[0])
                .add("ln_f.bias", new long[] {2}, new float[] {6, 7})
                .write(file);
        valid = Files.readAllBytes(file);
        headerEnd = 8 + (int) ByteBuffer.wrap(valid).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Test
    void everyTruncationIsRejected() throws IOException {
        Path file = dir.resolve("truncated.safetensors");
        for (int length = 0; length < valid.length; length++) {
            Files.write(file, Arrays.copyOf(valid, length));
            assertThat(attempt(file, "truncated to " + length)).as("truncated to %d bytes", length).isFalse();
        }
        Files.write(file, valid);
        assertThat(attempt(file, "whole file")).isTrue();
    }

    @Test
    void corruptedHeadersOpenCleanlyOrFailCleanly() throws IOException {
        Random random = new Random(20240611L);
        Path file = dir.resolve("corrupt.safetensors");
        int opened = 0;
        int rejected = 0;
        for (int trial = 0; trial < 4000; trial++) {
            byte[] bytes = mutate(random);
            Files.write(file, bytes);
            if (attempt(file, "trial " + trial)) {
                opened++;
            } else {
                rejected++;
            }
        }
        // Both outcomes occur, so the mutations neither all miss nor all break the header's frame.
        assertThat(opened).isPositive();
        assertThat(rejected).isPositive();
    }

    private byte[] mutate(Random random) {
        byte[] bytes = valid.clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits; i++) {
            int choice = random.nextInt(10);
            if (choice == 0) { // the length prefix
                bytes[random.nextInt(8)] = (byte) random.nextInt(256);
            } else {
                int at = 8 + random.nextInt(headerEnd - 8);
                bytes[at] = choice < 4 ? (byte) random.nextInt(256) : JSON_BYTES[random.nextInt(JSON_BYTES.length)];
            }
        }
        if (random.nextInt(20) == 0) { // sometimes also lose the tail
            bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
        }
        return bytes;
    }

    /** True if the file opened and every tensor read; false on a SafetensorsException; fails otherwise. */
    private static boolean attempt(Path file, String what) {
        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            for (String name : st.names()) {
                TensorInfo info = st.require(name);
                if (info.dtype().isLoadableAsFloat()) {
                    ByteBuffer buf = st.float32(name);
                    assertThat((long) buf.capacity()).isEqualTo(info.elementCount() * 4);
                    st.readFloats(name);
                }
            }
            return true;
        } catch (SafetensorsException e) {
            return false;
        } catch (Throwable t) {
            return fail(what + ": expected a SafetensorsException, got " + t, t);
        }
    }
}
