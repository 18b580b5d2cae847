package dev.logitscope;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawArgumentsTest {

    private static byte[] cmdline(String... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String e : entries) {
            out.writeBytes(e.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    /** What the JVM passes to main under an ASCII locale: U+FFFD per byte above 0x7F. */
    private static String asciiLocale(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            b.append(x >= 0 ? (char) x : '\uFFFD');
        }
        return b.toString();
    }

    @Test
    void recoversUtf8ArgumentsThatAnAsciiLocaleMangled() {
        String text = "café 日本 😀";
        String[] mangled = {"inspect", "--prompt", asciiLocale(text)};
        assertThat(mangled[2]).isNotEqualTo(text);
        String[] recovered = RawArguments.recover(mangled,
                cmdline("java", "-Xmx8g", "-jar", "target/logitscope.jar", "inspect", "--prompt", text));
        assertThat(recovered).containsExactly("inspect", "--prompt", text);
    }

    @Test
    void keepsTheArgumentsWhenTheCommandLineDoesNotMatchThem() {
        String[] args = {"inspect", "--prompt", "a?b"};
        assertThat(RawArguments.recover(args, cmdline("java", "-jar", "x.jar", "inspect", "--prompt", "aéb")))
                .containsExactly(args);
        assertThat(RawArguments.recover(args, cmdline("--prompt", "a?b"))).containsExactly(args);
        byte[] invalid = {'j', 0, 'a', (byte) 0xff, 'b', 0};
        assertThat(RawArguments.recover(new String[] {"a\uFFFDb"}, invalid)).containsExactly("a\uFFFDb");
    }
}
