package dev.logitscope.eval;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A file's bytes decoded as UTF-8 line by line, so that one line with invalid bytes (a review
 * pasted from a Latin-1 page) can be named — line and byte offset — and skipped with
 * {@code --skip-bad}, instead of the whole file failing with "Input length = 1". A line break
 * (0x0A) is never part of a multi-byte sequence, so splitting the bytes there is exact.
 *
 * @param text     the decoded text; invalid bytes of a bad line become U+FFFD
 * @param badLines 1-based line number → what is wrong with it
 */
record Utf8Text(String text, Map<Integer, String> badLines) {

    Utf8Text {
        badLines = Map.copyOf(badLines);
    }

    static Utf8Text decode(byte[] bytes) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        StringBuilder text = new StringBuilder(bytes.length);
        Map<Integer, String> bad = new TreeMap<>();
        int line = 1;
        int start = 0;
        while (start <= bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            int invalid = firstInvalid(strict, bytes, start, end);
            if (invalid < 0) {
                text.append(new String(bytes, start, end - start, StandardCharsets.UTF_8));
            } else {
                bad.put(line, String.format("not UTF-8 text: byte 0x%02X at byte offset %d of the file (byte %d of the"
                        + " line) is not valid UTF-8. Convert the file (e.g. iconv -f latin1 -t utf-8).",
                        bytes[invalid] & 0xff, invalid, invalid - start + 1));
                text.append(new String(bytes, start, end - start, StandardCharsets.UTF_8)); // U+FFFD for the bad bytes
            }
            if (end < bytes.length) {
                text.append('\n');
            }
            start = end + 1;
            line++;
        }
        return new Utf8Text(text.toString(), bad);
    }

    /** Offset in {@code bytes} of the first invalid byte of {@code [from, to)}, or −1. */
    private static int firstInvalid(CharsetDecoder decoder, byte[] bytes, int from, int to) {
        decoder.reset();
        ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
        CharBuffer out = CharBuffer.allocate(to - from + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        return result.isError() ? in.position() : -1;
    }

    /** The first problem, for formats that cannot skip a line (it names line and offset). */
    String firstProblem() {
        return badLines.isEmpty() ? null : "line " + badLines.keySet().iterator().next() + ": "
                + badLines.values().iterator().next();
    }
}
