package dev.logitscope.tokenize;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The merge rules of {@code merges.txt}, read as transformers' slow {@code GPT2Tokenizer} reads
 * them (its {@code bpe_ranks}, which the converter hands on in order):
 * {@code read().split("\n")[1:-1]}, each line {@code split()} on whitespace. So the first line is
 * the {@code #version} header and is skipped whatever it says, and the last piece after the final
 * line break (empty in a file that ends with one) is dropped. A space inside a token is written
 * {@code Ġ} (byte-level BPE maps every byte to a visible character), so whitespace only ever
 * separates the two halves of a rule.
 *
 * <p>Where the slow tokenizer would keep something the converter then cannot use, this reader
 * says so instead: a line with other than two tokens is refused, blank lines carry no rule and are
 * skipped (the converter fails on them), and a repeated rule keeps its first rank (the slow
 * tokenizer's dict keeps the first position, which the converter's list follows).
 */
final class MergesFile {
    private MergesFile() {}

    /** The rules in rank order, each "left right" (one space), checked against {@code vocab}. */
    static List<String> parse(String text, Map<String, Integer> vocab, Path file) {
        String[] lines = text.split("\n", -1); // Python's split keeps trailing empty pieces
        Set<String> rules = new LinkedHashSet<>();
        for (int i = 1; i < lines.length - 1; i++) {
            List<String> parts = splitOnWhitespace(lines[i]);
            if (parts.isEmpty()) {
                continue;
            }
            int lineNumber = i + 1;
            if (parts.size() != 2) {
                throw bad(file, "line " + lineNumber + " has " + parts.size() + " tokens ('" + lines[i].strip()
                        + "'); a merge rule is two tokens separated by a space");
            }
            String left = parts.get(0);
            String right = parts.get(1);
            for (String piece : List.of(left, right, left + right)) {
                if (!vocab.containsKey(piece)) {
                    throw bad(file, "line " + lineNumber + " merges '" + left + "' and '" + right
                            + "', but vocab.json has no '" + piece + "'; the two files are not from the same tokenizer");
                }
            }
            rules.add(left + " " + right);
        }
        return new ArrayList<>(rules);
    }

    /** Python's {@code str.split()}: runs of whitespace separate, none at either end. */
    static List<String> splitOnWhitespace(String line) {
        List<String> parts = new ArrayList<>(2);
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && isPythonSpace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isPythonSpace(line.charAt(i))) {
                i++;
            }
            if (i > start) {
                parts.add(line.substring(start, i));
            }
        }
        return parts;
    }

    /** Python's {@code str.isspace} for one UTF-16 unit: Java's whitespace plus the no-break spaces and NEL. */
    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    private static TokenizerException bad(Path file, String what) {
        return new TokenizerException("Cannot read the tokenizer's " + file + ": " + what
                + ". Replace vocab.json and merges.txt with those of the model's hub repository.");
    }
}
