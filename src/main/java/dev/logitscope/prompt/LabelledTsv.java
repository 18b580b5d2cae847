package dev.logitscope.prompt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code LABEL<TAB>REVIEW} files of {@code sample-prompts/}: one review per line, {@code #}
 * comments and blank lines ignored, {@code ?} for "no expected label" where that is allowed.
 */
final class LabelledTsv {

    /** One parsed line; {@code label} is null for {@code ?}. */
    record Row(int line, Sentiment label, String review) {}

    private LabelledTsv() {}

    static List<Row> read(Path file, boolean unlabelledAllowed) {
        return read(file, unlabelledAllowed, null);
    }

    /** As {@link #read(Path, boolean)}, labels read as {@code words} names them (null: positive/negative/1/0). */
    static List<Row> read(Path file, boolean unlabelledAllowed, LabelWords words) {
        if (!Files.isRegularFile(file)) {
            throw new PromptException("No file " + file + ".");
        }
        try {
            return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8), unlabelledAllowed, words);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new PromptException(file + " is not UTF-8 text; convert it (e.g. iconv -f latin1 -t utf-8).", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new PromptException("Cannot read " + file + ": permission denied.", e);
        } catch (IOException e) {
            throw new PromptException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static List<Row> readResource(String resource, boolean unlabelledAllowed) {
        try (InputStream in = LabelledTsv.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new PromptException(resource + " is missing from the classpath; the build is incomplete.");
            }
            String name = resource.substring(resource.lastIndexOf('/') + 1);
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8), unlabelledAllowed, null);
        } catch (IOException e) {
            throw new PromptException("Cannot read " + resource + ": " + e.getMessage(), e);
        }
    }

    static List<Row> parse(String source, String content, boolean unlabelledAllowed) {
        return parse(source, content, unlabelledAllowed, null);
    }

    static List<Row> parse(String source, String content, boolean unlabelledAllowed, LabelWords words) {
        List<Row> rows = new ArrayList<>();
        String[] lines = content.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = i == 0 && lines[i].startsWith("\uFEFF") ? lines[i].substring(1) : lines[i];
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            int tab = line.indexOf('\t');
            if (tab < 0) {
                throw PromptException.at(source, lineNo, "expected 'label<TAB>review', found no tab.");
            }
            String labelText = line.substring(0, tab).strip();
            String review = line.substring(tab + 1).strip();
            if (review.isEmpty()) {
                throw PromptException.at(source, lineNo, "the review is empty.");
            }
            if (review.indexOf('\t') >= 0) {
                throw PromptException.at(source, lineNo, "more than one tab; a review may not contain tabs.");
            }
            Sentiment label = null;
            if (labelText.equals("?") && unlabelledAllowed) {
                label = null;
            } else {
                try {
                    label = words == null ? Sentiment.parse(labelText) : words.parse(labelText);
                } catch (PromptException e) {
                    throw PromptException.at(source, lineNo, e.getMessage());
                }
            }
            rows.add(new Row(lineNo, label, review));
        }
        return rows;
    }
}
