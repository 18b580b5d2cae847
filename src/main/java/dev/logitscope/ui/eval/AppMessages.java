package dev.logitscope.ui.eval;

import dev.logitscope.eval.EvalException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The evaluation's messages name command-line options ("choose a writable --out"); in the app
 * they name the Evaluate tab's fields instead.
 */
public final class AppMessages {
    private static final Pattern OPTION = Pattern.compile("--([a-z][a-z-]*)");
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("out", "output folder"),
            Map.entry("resume", "Resume"),
            Map.entry("skip-bad", "“Skip bad lines”"),
            Map.entry("limit", "Limit"),
            Map.entry("sample", "Sample"),
            Map.entry("seeds", "Seeds"),
            Map.entry("format", "Format"),
            Map.entry("method", "Method"),
            Map.entry("calibrate", "Calibrate"),
            Map.entry("models", "Models"),
            Map.entry("template", "Template"),
            Map.entry("train", "“Demonstrations from”"),
            Map.entry("demo-pool", "demonstration pool"),
            Map.entry("text-col", "Text column"),
            Map.entry("label-col", "label column"),
            Map.entry("label-map", "Label values"),
            Map.entry("shots", "Shots"),
            Map.entry("demo-labels", "Demonstration labels"),
            Map.entry("demo-order", "Order"));
    /** A command to type, in backticks, e.g. {@code `./logitscope download gpt2`}. */
    private static final Pattern DOWNLOAD = Pattern.compile("run `\\./logitscope download (\\S+)`");

    private AppMessages() {}

    /** An error's message in the app's words: the thrower's own app wording when it gave one. */
    public static String forApp(Throwable error) {
        if (error instanceof EvalException e && e.appMessage() != null) {
            return e.appMessage();
        }
        return forApp(error.getMessage() == null ? error.toString() : error.getMessage());
    }

    public static String forApp(String message) {
        if (message == null || message.isBlank()) {
            return "";
        }
        String s = DOWNLOAD.matcher(message).replaceAll("pick $1 in the model bar to download it")
                .replace("pass --model /path/to/folder", "open the folder with Open folder…")
                .replace("pass --resume", "press Resume").replace("pass --skip-bad", "tick “Skip bad lines”")
                .replace("pass --", "fill in --").replace("give --", "fill in --");
        Matcher m = OPTION.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(FIELDS.getOrDefault(m.group(1), m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
