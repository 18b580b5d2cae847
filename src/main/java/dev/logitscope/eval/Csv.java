package dev.logitscope.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV: fields separated by a delimiter, records by LF or CRLF; a quoted field may hold
 * delimiters, doubled quotes and line breaks. Lenient only where data in the wild needs it: a
 * quote inside an unquoted field is kept as text. A record that cannot be read (text after a
 * closing quote) comes back with an error, so the caller can stop or skip it.
 */
public final class Csv {

    /**
     * One record.
     *
     * @param line   the line it starts on (1-based)
     * @param fields its fields, empty when {@code error} is set
     * @param error  why it is malformed, or null
     */
    public record Record(int line, List<String> fields, String error) {
        public Record {
            fields = List.copyOf(fields);
        }
    }

    private Csv() {}

    /** Parses a whole document; blank lines are skipped. */
    public static List<Record> parse(String content, char delimiter) {
        List<Record> records = new ArrayList<>();
        int n = content.length();
        int i = content.startsWith("\uFEFF") ? 1 : 0;
        int line = 1;
        while (i < n) {
            int start = line;
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            String error = null;
            boolean endOfRecord = false;
            boolean blank = true;
            while (i < n && !endOfRecord) {
                char c = content.charAt(i);
                if (c == '"' && field.length() == 0) {
                    blank = false;
                    int close = closingQuote(content, i + 1);
                    if (close < 0) {
                        return fail(records, start, "a quoted field is never closed (a missing '\"').");
                    }
                    String quoted = content.substring(i + 1, close);
                    line += count(quoted, '\n');
                    field.append(quoted.replace("\"\"", "\""));
                    i = close + 1;
                    if (i < n && content.charAt(i) != delimiter && content.charAt(i) != '\n' && content.charAt(i) != '\r') {
                        error = "text after a closing quote; quote the whole field and double the quotes inside it.";
                        while (i < n && content.charAt(i) != '\n') {
                            i++; // skip the rest of the line; the loop then ends the record at its newline
                        }
                    }
                } else if (c == delimiter) {
                    blank = false;
                    fields.add(field.toString());
                    field.setLength(0);
                    i++;
                } else if (c == '\r' || c == '\n') {
                    i += c == '\r' && i + 1 < n && content.charAt(i + 1) == '\n' ? 2 : 1;
                    line++;
                    endOfRecord = true;
                } else {
                    if (!Character.isWhitespace(c)) {
                        blank = false;
                    }
                    field.append(c);
                    i++;
                }
            }
            if (error != null) {
                records.add(new Record(start, List.of(), error));
                continue;
            }
            if (blank && fields.isEmpty()) {
                continue;
            }
            fields.add(field.toString());
            records.add(new Record(start, fields, null));
        }
        return records;
    }

    /** A field quoted if it needs it, for writing. */
    public static String quote(String field, char delimiter) {
        if (field.indexOf(delimiter) < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }

    /** The index of the quote that closes a field opened before {@code from}, skipping doubled quotes. */
    private static int closingQuote(String content, int from) {
        int i = from;
        while (true) {
            int q = content.indexOf('"', i);
            if (q < 0) {
                return -1;
            }
            if (q + 1 < content.length() && content.charAt(q + 1) == '"') {
                i = q + 2;
            } else {
                return q;
            }
        }
    }

    private static List<Record> fail(List<Record> records, int line, String error) {
        records.add(new Record(line, List.of(), error));
        return records;
    }

    private static int count(String s, char c) {
        int k = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                k++;
            }
        }
        return k;
    }
}
