package dev.logitscope.prompt;

/**
 * A piece of a built prompt, for previews: {@code [start, end)} in UTF-16 chars of the text.
 * A prompt's segments are in order and cover its text exactly.
 */
public record Segment(Kind kind, int start, int end) {

    public enum Kind { INSTRUCTION, DEMO, SEPARATOR, QUERY }

    public Segment {
        if (kind == null || start < 0 || end <= start) {
            throw new IllegalArgumentException("bad segment " + kind + " [" + start + ", " + end + ")");
        }
    }

    public String text(String prompt) {
        return prompt.substring(start, end);
    }
}
