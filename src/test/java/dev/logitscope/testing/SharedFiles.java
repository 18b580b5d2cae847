package dev.logitscope.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The files every developer and CI have at {@code ../shared} beside the checkout (see its README).
 * Surefire passes the folder as the system property {@code logitscope.shared}; a fresh clone
 * without it still passes, because tests that need these files skip with a visible message.
 */
public final class SharedFiles {
    public static final String PROPERTY = "logitscope.shared";

    private SharedFiles() {}

    /** The shared folder, if the property is set and the folder exists. */
    public static Optional<Path> root() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path root = Path.of(value).toAbsolutePath().normalize();
        return Files.isDirectory(root) ? Optional.of(root) : Optional.empty();
    }

    /** The real GPT-2 tokenizer folder (tokenizer.json, vocab.json, merges.txt); skips the test if absent. */
    public static Path gpt2TokenizerOrSkip() {
        return folderOrSkip("gpt2-tokenizer", "tokenizer.json", "the real GPT-2 tokenizer");
    }

    /** The SST-2 folder (stsa.binary.train/.dev/.test); skips the test if absent. */
    public static Path sst2OrSkip() {
        return folderOrSkip("datasets/sst2", "stsa.binary.dev", "the SST-2 dataset");
    }

    private static Path folderOrSkip(String relative, String expectedFile, String what) {
        Optional<Path> root = root();
        Path folder = root.map(r -> r.resolve(relative)).orElse(null);
        Assumptions.assumeTrue(folder != null && Files.isRegularFile(folder.resolve(expectedFile)),
                () -> "Skipped: " + what + " is not available (expected " + relative + "/" + expectedFile
                        + " under the shared folder, system property " + PROPERTY + "="
                        + System.getProperty(PROPERTY) + ")");
        return folder;
    }
}
