package dev.logitscope;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command-line arguments exactly as given, whatever the locale.
 *
 * <p>Why: the JVM decodes {@code argv} with the locale's charset. Under {@code LANG=C} or
 * {@code POSIX} (common in containers and CI) that is ASCII, and every other byte becomes U+FFFD,
 * so {@code --prompt "café 日本 😀"} would silently become replacement characters. On Linux the
 * bytes are still in {@code /proc/self/cmdline}; the last {@code args.length} entries are the
 * program's arguments, which are decoded again as UTF-8 — but only when that decoding, turned
 * back into what the JVM made of it, gives exactly the arguments received (so nothing can be
 * matched against the wrong argument).
 */
final class RawArguments {
    private static final Path CMDLINE = Path.of("/proc/self/cmdline");

    private RawArguments() {}

    static String[] recover(String[] args) {
        String jvm = System.getProperty("sun.jnu.encoding", "UTF-8");
        boolean utf8 = Charset.isSupported(jvm) && Charset.forName(jvm).equals(StandardCharsets.UTF_8);
        if (utf8 || args.length == 0 || !Files.isReadable(CMDLINE)) {
            return args;
        }
        try {
            return recover(args, Files.readAllBytes(CMDLINE));
        } catch (IOException | RuntimeException e) {
            return args;
        }
    }

    /** {@code args} re-decoded from the NUL-terminated {@code cmdline}, or {@code args} when they do not match. */
    static String[] recover(String[] args, byte[] cmdline) {
        List<byte[]> entries = split(cmdline);
        if (entries.size() < args.length) {
            return args;
        }
        String[] out = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            byte[] raw = entries.get(entries.size() - args.length + i);
            String decoded = strictUtf8(raw);
            if (decoded == null || !asAsciiLocaleSees(raw).equals(args[i])) {
                return args;
            }
            out[i] = decoded;
        }
        return out;
    }

    private static List<byte[]> split(byte[] cmdline) {
        List<byte[]> entries = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                byte[] entry = new byte[i - start];
                System.arraycopy(cmdline, start, entry, 0, entry.length);
                entries.add(entry);
                start = i + 1;
            }
        }
        return entries;
    }

    private static String strictUtf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** What an ASCII locale makes of these bytes: each byte above 0x7F becomes U+FFFD. */
    private static String asAsciiLocaleSees(byte[] raw) {
        StringBuilder s = new StringBuilder(raw.length);
        for (byte b : raw) {
            s.append(b >= 0 ? (char) b : '\uFFFD');
        }
        return s.toString();
    }
}
