package dev.logitscope.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layers clean by scanning the sources: JavaFX only in {@code ui}, DJL's NDArrays only
 * in {@code model} and {@code lens}, and each package importing only what DESIGN.md allows.
 */
class LayeringTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/logitscope");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)", Pattern.MULTILINE);

    /** package → packages of ours it must not import. */
    private static final Map<String, List<String>> FORBIDDEN = Map.ofEntries(
            Map.entry("json", List.of("numerics", "safetensors", "hub", "model", "tokenize", "lens", "prompt", "analysis", "eval", "plot", "cli", "ui")),
            Map.entry("numerics", List.of("safetensors", "hub", "model", "tokenize", "lens", "prompt", "analysis", "eval", "plot", "cli", "ui")),
            Map.entry("safetensors", List.of("numerics", "hub", "model", "tokenize", "lens", "prompt", "analysis", "eval", "plot", "cli", "ui")),
            Map.entry("hub", List.of("numerics", "safetensors", "model", "tokenize", "lens", "prompt", "analysis", "eval", "plot", "cli", "ui")),
            Map.entry("model", List.of("hub", "tokenize", "lens", "prompt", "analysis", "eval", "plot", "cli", "ui")),
            Map.entry("tokenize", List.of("safetensors", "hub", "model", "lens", "prompt", "analysis", "eval", "plot", "cli", "ui")),
            Map.entry("lens", List.of("hub", "prompt", "analysis", "eval", "plot", "cli", "ui")),
            Map.entry("prompt", List.of("safetensors", "hub", "model", "lens", "analysis", "eval", "plot", "cli", "ui")),
            Map.entry("analysis", List.of("hub", "eval", "plot", "cli", "ui")),
            Map.entry("eval", List.of("plot", "cli", "ui")),
            Map.entry("plot", List.of("hub", "cli", "ui")),
            Map.entry("cli", List.of("ui")));

    @Test
    void javafxIsImportedOnlyInTheUiPackage() throws IOException {
        assertThat(violations((pkg, imported) -> !pkg.equals("ui") && imported.startsWith("javafx."))).isEmpty();
    }

    @Test
    void ndArraysStayInsideTheModelAndLensPackages() throws IOException {
        assertThat(violations((pkg, imported) -> !pkg.equals("model") && !pkg.equals("lens")
                && imported.startsWith("ai.djl.") && !imported.startsWith("ai.djl.huggingface."))).isEmpty();
    }

    @Test
    void packagesDependOnlyOnWhatTheDesignAllows() throws IOException {
        assertThat(violations((pkg, imported) -> FORBIDDEN.getOrDefault(pkg, List.of()).stream()
                .anyMatch(other -> imported.startsWith("dev.logitscope." + other + ".")))).isEmpty();
    }

    @Test
    void theScanSeesTheSources() throws IOException {
        // A scan that finds nothing would pass every rule above.
        assertThat(imports()).extracting(Import::pkg).contains("model", "lens", "ui", "cli");
    }

    private record Import(String file, String pkg, String imported) {}

    private interface Rule {
        boolean violates(String pkg, String imported);
    }

    private static List<String> violations(Rule rule) throws IOException {
        return imports().stream().filter(i -> rule.violates(i.pkg(), i.imported()))
                .map(i -> i.file() + " imports " + i.imported()).toList();
    }

    private static List<Import> imports() throws IOException {
        List<Import> result = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file);
                String pkg = relative.getNameCount() > 1 ? relative.getName(0).toString() : "";
                Matcher m = IMPORT.matcher(Files.readString(file));
                while (m.find()) {
                    result.add(new Import(relative.toString(), pkg, m.group(1)));
                }
            }
        }
        return result;
    }
}
