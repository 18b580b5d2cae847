package dev.logitscope.ui;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/** Where a file or folder chooser opens: the nearest existing folder of what the field holds. */
final class ChooserStart {
    private ChooserStart() {}

    /** The nearest existing folder of a typed path, empty when none (or the text is no path). */
    static Optional<File> near(String text) {
        try {
            Path p = text == null || text.isBlank() ? null : Path.of(text).toAbsolutePath();
            while (p != null && !Files.isDirectory(p)) {
                p = p.getParent();
            }
            return Optional.ofNullable(p).map(Path::toFile);
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }
}
