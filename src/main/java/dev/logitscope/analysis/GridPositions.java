package dev.logitscope.analysis;

import dev.logitscope.prompt.BuiltPrompt;
import dev.logitscope.prompt.Segment;
import dev.logitscope.tokenize.Token;
import java.util.List;
import java.util.Locale;

/**
 * Which positions of a review's prompt the token × layer grid reads: the query only (the review
 * and what follows it; the demonstrations before it are left out) or every position.
 */
public enum GridPositions {
    QUERY("query"),
    ALL("all");

    private final String key;

    GridPositions(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /** "query" or "all"; null for anything else. */
    public static GridPositions parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (GridPositions p : values()) {
            if (p.key.equals(t)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The first position read: 0 for {@link #ALL}; for {@link #QUERY} the token that holds the
     * query's first character (a token may straddle the boundary: it is read, so no query text is lost).
     * A special token (OPT's BOS) holds no text, so it is never the query's.
     */
    public int firstPosition(BuiltPrompt prompt, List<Token> tokens) {
        if (this == ALL) {
            return 0;
        }
        int queryChar = prompt.segments().stream().filter(s -> s.kind() == Segment.Kind.QUERY)
                .mapToInt(Segment::start).findFirst().orElse(0);
        int from = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (!t.special() && t.start() >= 0 && t.start() <= queryChar) {
                from = i;
            }
        }
        return from;
    }
}
