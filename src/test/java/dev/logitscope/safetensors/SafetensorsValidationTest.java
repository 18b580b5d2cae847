package dev.logitscope.safetensors;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each check on the untrusted header, one test each: a clear SafetensorsException naming file and tensor. */
class SafetensorsValidationTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("model.safetensors");
    }

    private Path header(String json, int dataBytes) throws IOException {
        return Crafted.file(file(), json, dataBytes);
    }

    private static String one(String dtype, String shape, long begin, long end) {
        return "{" + Crafted.entry("w", dtype, shape, begin, end) + "}";
    }

    /** Opening (and reading every tensor, should it open) fails with a message starting with the file. */
    private static AbstractThrowableAssert<?, ? extends Throwable> rejects(Path file) {
        return assertThatThrownBy(() -> {
                    try (SafetensorsFile st = SafetensorsFile.open(file)) {
                        for (String name : st.names()) {
                            st.float32(name);
                        }
                    }
                })
                .isInstanceOf(SafetensorsException.class)
                .hasMessageStartingWith(file + ": ");
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> rejects(Path file, String tensor) {
        return rejects(file).hasMessageContaining("tensor '" + tensor + "': ");
    }

    // ---- the length prefix ----

    @Test
    void emptyFile() throws IOException {
        rejects(Crafted.bytes(file(), new byte[0])).hasMessageContaining("0 bytes long, too short");
    }

    @Test
    void fileShorterThanEightBytes() throws IOException {
        rejects(Crafted.bytes(file(), new byte[7])).hasMessageContaining("7 bytes long, too short");
    }

    @Test
    void headerLengthZero() throws IOException {
        rejects(Crafted.bytes(file(), new byte[16])).hasMessageContaining("header length is 0");
    }

    @Test
    void headerLengthNegativeAsSignedLong() throws IOException {
        byte[] content = Crafted.withLength(-1L, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        rejects(Crafted.bytes(file(), content))
                .hasMessageContaining("header length 18446744073709551615 bytes exceeds the limit");
    }

    @Test
    void headerLengthOverOneHundredMegabytes() throws IOException {
        byte[] content = Crafted.withLength(200_000_000L, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        rejects(Crafted.bytes(file(), content))
                .hasMessageContaining("header length 200000000 bytes exceeds the limit of 100000000 bytes");
    }

    @Test
    void headerLengthLongerThanTheFile() throws IOException {
        byte[] content = Crafted.withLength(1000L, "{}".getBytes(StandardCharsets.UTF_8), new byte[0]);
        rejects(Crafted.bytes(file(), content))
                .hasMessageContaining("header length 1000 bytes is more than the 2 bytes that follow it");
    }

    // ---- the JSON ----

    @Test
    void headerNotUtf8() throws IOException {
        byte[] json = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '{', '}', '}'};
        rejects(Crafted.file(file(), json, new byte[0])).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void headerNotJson() throws IOException {
        rejects(header("{\"w\": {\"dtype\": ", 0)).hasMessageContaining("header is not valid JSON");
    }

    @Test
    void headerNotStrictJson() throws IOException {
        rejects(header("{w: {}}", 0)).hasMessageContaining("header is not valid JSON");
        rejects(header("{\"w\": {\"shape\": [NaN]}}", 0)).hasMessageContaining("header is not valid JSON");
    }

    @Test
    void headerWithContentAfterTheObject() throws IOException {
        rejects(header("{} {}", 0)).hasMessageContaining("content after its JSON object");
    }

    @Test
    void headerIsNotAnObject() throws IOException {
        rejects(header("[1, 2]", 0)).hasMessageContaining("header must be a JSON object, but it is an array");
    }

    @Test
    void deeplyNestedHeaderIsRejectedWithoutStackOverflow() throws IOException {
        String json = "{\"w\":{\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}}";
        rejects(header(json, 0)).hasMessageContaining("not valid JSON");
    }

    @Test
    void entryIsNotAnObject() throws IOException {
        rejects(header("{\"w\": 5}", 0), "w").hasMessageContaining("entry must be an object");
    }

    @Test
    void entryLacksDtype() throws IOException {
        rejects(header("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "w").hasMessageContaining("lacks dtype");
    }

    @Test
    void entryLacksShape() throws IOException {
        rejects(header("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4), "w").hasMessageContaining("lacks shape");
    }

    @Test
    void entryLacksDataOffsets() throws IOException {
        rejects(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4), "w").hasMessageContaining("lacks data_offsets");
    }

    @Test
    void dtypeNotAString() throws IOException {
        rejects(header("{\"w\":{\"dtype\":4,\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "w")
                .hasMessageContaining("dtype must be a string, but it is a number");
    }

    @Test
    void dtypeNull() throws IOException {
        rejects(header("{\"w\":{\"dtype\":null,\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "w")
                .hasMessageContaining("dtype must be a string, but it is null");
    }

    @Test
    void shapeNotAnArray() throws IOException {
        rejects(header("{\"w\":{\"dtype\":\"F32\",\"shape\":\"[1]\",\"data_offsets\":[0,4]}}", 4), "w")
                .hasMessageContaining("shape must be an array of integers, but it is a string");
    }

    @Test
    void shapeHoldsAString() throws IOException {
        rejects(header(one("F32", "[\"1\"]", 0, 4), 4), "w").hasMessageContaining("shape must hold only integers");
    }

    @Test
    void shapeHoldsANestedArray() throws IOException {
        rejects(header(one("F32", "[[1]]", 0, 4), 4), "w").hasMessageContaining("holds an array");
    }

    @Test
    void dataOffsetsNotAnArray() throws IOException {
        rejects(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":{}}}", 4), "w")
                .hasMessageContaining("data_offsets must be an array of integers, but it is an object");
    }

    @Test
    void unknownDtype() throws IOException {
        rejects(header(one("F8_E4M3", "[1]", 0, 1), 1), "w").hasMessageContaining("unknown dtype 'F8_E4M3'");
    }

    @Test
    void negativeDimension() throws IOException {
        rejects(header(one("F32", "[-1, 4]", 0, 4), 4), "w").hasMessageContaining("shape holds a negative number, -1");
    }

    @Test
    void shapeProductOverflowsLong() throws IOException {
        rejects(header(one("F32", "[4294967296, 4294967296]", 0, 4), 4), "w")
                .hasMessageContaining("more elements than a 64-bit count can hold");
    }

    @Test
    void byteCountOverflowsLong() throws IOException {
        rejects(header(one("F32", "[4611686018427387904]", 0, 4), 4), "w")
                .hasMessageContaining("more elements than a 64-bit count can hold");
    }

    @Test
    void shapeDimensionTooLargeForLong() throws IOException {
        rejects(header(one("F32", "[99999999999999999999]", 0, 4), 4), "w")
                .hasMessageContaining("shape holds 99999999999999999999, which is too large");
    }

    @Test
    void fractionalDimension() throws IOException {
        rejects(header(one("F32", "[3.5]", 0, 14), 14), "w").hasMessageContaining("shape holds 3.5, which is not a whole number");
    }

    @Test
    void hugeExponentDimension() throws IOException {
        rejects(header(one("F32", "[1e400]", 0, 4), 4), "w").hasMessageContaining("shape holds 1e400, which is not a whole number");
    }

    @Test
    void exponentNotationOffset() throws IOException {
        rejects(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4e0]}}", 4), "w")
                .hasMessageContaining("data_offsets holds 4e0, which is not a whole number");
    }

    @Test
    void fractionalOffset() throws IOException {
        rejects(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0.0,4]}}", 4), "w")
                .hasMessageContaining("data_offsets holds 0.0, which is not a whole number");
    }

    // ---- data_offsets against the data section ----

    @Test
    void dataOffsetsWithThreeNumbers() throws IOException {
        rejects(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", 8), "w")
                .hasMessageContaining("data_offsets must be two integers [begin, end], but it holds 3");
    }

    @Test
    void dataOffsetsWithOneNumber() throws IOException {
        rejects(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", 8), "w")
                .hasMessageContaining("but it holds 1");
    }

    @Test
    void negativeOffset() throws IOException {
        rejects(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", 8), "w")
                .hasMessageContaining("data_offsets holds a negative number, -4");
    }

    @Test
    void endBeforeBegin() throws IOException {
        rejects(header(one("F32", "[1]", 8, 4), 8), "w").hasMessageContaining("data_offsets [8, 4] end before they begin");
    }

    @Test
    void endPastTheDataSection() throws IOException {
        rejects(header(one("F32", "[4]", 0, 16), 12), "w")
                .hasMessageContaining("data_offsets [0, 16] reach past the end of the data section (12 bytes)");
    }

    @Test
    void offsetsPastTheDataSectionByAFullLong() throws IOException {
        rejects(header(one("U8", "[1]", Long.MAX_VALUE - 1, Long.MAX_VALUE), 4), "w")
                .hasMessageContaining("reach past the end of the data section");
    }

    @Test
    void byteSizeDoesNotMatchShape() throws IOException {
        Path file = Crafted.file(file(), "{" + Crafted.entry("h.0.attn.c_attn.weight", "F32", "[4, 8]", 0, 100) + "}", 128);
        rejects(file, "h.0.attn.c_attn.weight")
                .hasMessageContaining("data_offsets [0, 100] hold 100 bytes but F32 [4, 8] needs 128 bytes");
    }

    @Test
    void overlappingTensors() throws IOException {
        String json = "{" + Crafted.entry("a", "F32", "[4]", 0, 16) + "," + Crafted.entry("b", "F32", "[2]", 8, 16) + "}";
        rejects(header(json, 16), "b").hasMessageContaining("data_offsets [8, 16] overlap those of tensor 'a' [0, 16]");
    }

    @Test
    void tensorContainedInAnother() throws IOException {
        String json = "{" + Crafted.entry("inner", "F32", "[1]", 4, 8) + "," + Crafted.entry("outer", "F32", "[4]", 0, 16) + "}";
        rejects(header(json, 16), "inner").hasMessageContaining("overlap those of tensor 'outer'");
    }

    @Test
    void duplicateTensorName() throws IOException {
        String json = "{" + Crafted.entry("w", "F32", "[1]", 0, 4) + "," + Crafted.entry("w", "F32", "[1]", 4, 8) + "}";
        rejects(header(json, 8), "w").hasMessageContaining("appears twice in the header");
    }

    @Test
    void duplicateKeyInsideAnEntry() throws IOException {
        rejects(header("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"shape\":[2],\"data_offsets\":[0,4]}}", 8), "w")
                .hasMessageContaining("key 'shape' appears twice");
    }

    // ---- __metadata__ ----

    @Test
    void metadataNotAnObject() throws IOException {
        rejects(header("{\"__metadata__\": [\"pt\"]}", 0)).hasMessageContaining("__metadata__ must be an object");
    }

    @Test
    void metadataValueNotAString() throws IOException {
        rejects(header("{\"__metadata__\": {\"format\": 1}}", 0))
                .hasMessageContaining("__metadata__ key 'format' must be a string, but it is a number");
    }

    @Test
    void duplicateMetadata() throws IOException {
        rejects(header("{\"__metadata__\": {}, \"__metadata__\": {}}", 0)).hasMessageContaining("__metadata__ twice");
    }

    @Test
    void duplicateMetadataKey() throws IOException {
        rejects(header("{\"__metadata__\": {\"a\": \"1\", \"a\": \"2\"}}", 0))
                .hasMessageContaining("__metadata__ holds key 'a' twice");
    }

    // ---- the file itself ----

    @Test
    void missingFile() {
        rejects(dir.resolve("model.safetensors")).hasMessageContaining("file not found");
    }

    @Test
    void folderInsteadOfFile() {
        rejects(dir).hasMessageContaining("is a folder");
    }
}
