package dev.logitscope.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds safetensors files byte by byte, so tests can write headers no writer would produce. */
final class Crafted {
    private Crafted() {}

    /** A file with the given JSON header (its true length in the prefix) and {@code dataBytes} zero bytes of data. */
    static Path file(Path file, String json, int dataBytes) throws IOException {
        return file(file, json.getBytes(StandardCharsets.UTF_8), new byte[dataBytes]);
    }

    static Path file(Path file, byte[] header, byte[] data) throws IOException {
        return bytes(file, withLength(header.length, header, data));
    }

    /** A file whose length prefix says {@code declaredLength}, whatever follows. */
    static byte[] withLength(long declaredLength, byte[] header, byte[] data) {
        ByteBuffer buf = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(declaredLength).put(header).put(data);
        return buf.array();
    }

    static Path bytes(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        return file;
    }

    /** Little-endian 16-bit patterns, as stored for F16 and BF16 tensors. */
    static byte[] shorts(int... patterns) {
        ByteBuffer buf = ByteBuffer.allocate(patterns.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int p : patterns) {
            buf.putShort((short) p);
        }
        return buf.array();
    }

    /** One tensor entry as JSON. */
    static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape
                + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }
}
