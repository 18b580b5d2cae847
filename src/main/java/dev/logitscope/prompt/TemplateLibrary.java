package dev.logitscope.prompt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The built-in templates (files in {@code sample-prompts/templates/}, on the classpath) and user
 * template files.
 */
public final class TemplateLibrary {

    /**
     * The 15 SST-2 formats of "Overthinking the Truth" in the order of their code's
     * {@code SST2_PROMPT_FORMATS}: format 0 is {@code review-answer}, format i the template
     * {@code overthinking-sst2-i}.
     */
    public static final List<String> OVERTHINKING_SST2 = overthinkingSst2();
    /** A name for all of {@link #OVERTHINKING_SST2} at once, in {@link #expand}. */
    public static final String OVERTHINKING_SST2_GROUP = "overthinking-sst2";
    /** Built-in templates of other label sets than positive/negative (SST-5 style five-way sentiment). */
    public static final List<String> OTHER_LABEL_SETS = List.of("sst5-review");
    /** Built-in two-label (positive/negative) template names, in menu order. */
    private static final List<String> BUILT_IN = builtInNames();
    public static final String DEFAULT_NAME = "seed-notebook";
    static final String RESOURCE_DIR = "/sample-prompts/templates/";
    static final String EXTENSION = ".template";
    /** Where the templates of other label sets live (apart, so the positive/negative folder stays one set). */
    static final String OTHER_RESOURCE_DIR = "/sample-prompts/label-sets/";

    private TemplateLibrary() {}

    /** The built-in positive/negative templates, in menu order. */
    public static List<String> names() {
        return BUILT_IN;
    }

    /** Every built-in template: the positive/negative ones, then those of other label sets. */
    public static List<String> allNames() {
        List<String> all = new ArrayList<>(BUILT_IN);
        all.addAll(OTHER_LABEL_SETS);
        return List.copyOf(all);
    }

    /**
     * What one entry of {@code --templates} stands for: the group name {@value #OVERTHINKING_SST2_GROUP}
     * is the paper's 15 formats, anything else is itself (a built-in name or a file).
     */
    public static List<String> expand(String nameOrGroup) {
        return OVERTHINKING_SST2_GROUP.equals(nameOrGroup) ? OVERTHINKING_SST2 : List.of(nameOrGroup);
    }

    private static List<String> overthinkingSst2() {
        List<String> names = new ArrayList<>(List.of("review-answer"));
        IntStream.rangeClosed(1, 14).forEach(i -> names.add("overthinking-sst2-" + i));
        return List.copyOf(names);
    }

    private static List<String> builtInNames() {
        List<String> names = new ArrayList<>(List.of("seed-notebook", "seed-movie-review", "review-sentiment"));
        names.addAll(OVERTHINKING_SST2);
        return List.copyOf(names);
    }

    /** A built-in template by name. */
    public static PromptTemplate builtIn(String name) {
        if (!BUILT_IN.contains(name) && !OTHER_LABEL_SETS.contains(name)) {
            throw new PromptException("No built-in template '" + name + "'; choose one of " + allNames()
                    + " or give a .template file.");
        }
        String resource = (OTHER_LABEL_SETS.contains(name) ? OTHER_RESOURCE_DIR : RESOURCE_DIR) + name + EXTENSION;
        try (InputStream in = TemplateLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new PromptException("The built-in template " + resource + " is missing from the classpath;"
                        + " the build is incomplete.");
            }
            return TemplateParser.parse(name + EXTENSION, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PromptException("Cannot read the built-in template " + resource + ": " + e.getMessage(), e);
        }
    }

    /** A template file a user wrote (format: {@code sample-prompts/README.md}). */
    public static PromptTemplate load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new PromptException("No template file " + file + "; give a built-in name " + BUILT_IN
                    + " or the path of a .template file.");
        }
        try {
            return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PromptException("Cannot read the template " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses template text; {@code source} names it in error messages. */
    public static PromptTemplate parse(String source, String content) {
        return TemplateParser.parse(source, content);
    }

    /** A built-in name, else a file path: what {@code --template NAME|FILE} accepts. */
    public static PromptTemplate resolve(String nameOrPath) {
        if (BUILT_IN.contains(nameOrPath) || OTHER_LABEL_SETS.contains(nameOrPath)) {
            return builtIn(nameOrPath);
        }
        return load(Path.of(nameOrPath));
    }
}
