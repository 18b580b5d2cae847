package dev.logitscope.prompt;

/**
 * How a review becomes a prompt.
 *
 * <p>A prompt is {@code [instruction separator] (demo separator)* query}. A demonstration is
 * {@link #demonstration()} with {@code {review}} and {@code {label}} filled in; the query is the
 * same format cut right before {@code {label}}, so the model's next token is the label word and
 * demonstrations and query always share one layout.
 *
 * @param name          short name, e.g. {@code seed-notebook}
 * @param description   one line for menus and help
 * @param instruction   text put once before everything else, or "" for none
 * @param demonstration format with exactly one {@code {review}} followed by one {@code {label}}
 * @param separator     text between the instruction, the demonstrations and the query
 * @param labels        label words per class, each with its leading space
 * @param lossPrompt    the loss method's class-conditioned prompt, with one {@code {class}} and one
 *                      {@code {review}}
 * @param lossClasses   the class names filled into {@code {class}}
 */
public record PromptTemplate(
        String name,
        String description,
        String instruction,
        String demonstration,
        String separator,
        LabelWords labels,
        String lossPrompt,
        LabelWords lossClasses) {

    public static final String REVIEW = "{review}";
    public static final String LABEL = "{label}";
    public static final String CLASS = "{class}";
    public static final String DEFAULT_SEPARATOR = "\n\n";
    public static final String DEFAULT_LOSS_PROMPT = "This is an example of {class} text: {review}";

    public PromptTemplate {
        if (name == null || name.isBlank()) {
            throw new PromptException("A template needs a name.");
        }
        description = description == null ? "" : description;
        instruction = instruction == null ? "" : instruction;
        separator = separator == null ? DEFAULT_SEPARATOR : separator;
        lossPrompt = lossPrompt == null ? DEFAULT_LOSS_PROMPT : lossPrompt;
        if (labels == null) {
            throw new PromptException("Template '" + name + "' declares no label words.");
        }
        lossClasses = lossClasses != null ? lossClasses : labels.size() == 2 ? LabelWords.CLASS_NAMES
                : new LabelWords(labels.words().stream().map(String::strip).toList());
        checkDemonstration(demonstration);
        checkLabelSpacing(demonstration, labels);
        if (lossClasses.size() != labels.size()) {
            throw new PromptException("Template '" + name + "' has " + labels.size() + " label words but "
                    + lossClasses.size() + " loss-method class names.");
        }
        checkLossPrompt(lossPrompt);
    }

    /** The demonstration format cut right before {@code {label}}: what the query looks like. */
    public String queryFormat() {
        return demonstration.substring(0, demonstration.indexOf(LABEL));
    }

    /** The same template with other label words, e.g. a user's override. */
    public PromptTemplate withLabels(LabelWords newLabels) {
        // Another number of labels cannot keep the class names of the loss method: name them by their words.
        LabelWords classes = newLabels.size() == lossClasses.size() ? lossClasses : null;
        return new PromptTemplate(name, description, instruction, demonstration, separator, newLabels,
                lossPrompt, classes);
    }

    /** The same template with another loss prompt (the user may edit it). */
    public PromptTemplate withLossPrompt(String newLossPrompt) {
        return new PromptTemplate(name, description, instruction, demonstration, separator, labels,
                newLossPrompt, lossClasses);
    }

    /**
     * The loss method's prompt for one class, with where the review sits in it, so the scorer can
     * average the loss over exactly the review's tokens when asked to (it scores the whole prompt by default).
     */
    public LossPrompt lossPrompt(Sentiment cls, String review) {
        String text = review.strip();
        String className = lossClasses.word(cls);
        int reviewAt = lossPrompt.indexOf(REVIEW);
        int classAt = lossPrompt.indexOf(CLASS);
        // Fill the later placeholder first so the earlier one's index stays valid.
        String filled;
        int reviewStart;
        if (classAt < reviewAt) {
            filled = lossPrompt.substring(0, reviewAt) + text + lossPrompt.substring(reviewAt + REVIEW.length());
            filled = filled.substring(0, classAt) + className + filled.substring(classAt + CLASS.length());
            reviewStart = reviewAt - CLASS.length() + className.length();
        } else {
            filled = lossPrompt.substring(0, classAt) + className + lossPrompt.substring(classAt + CLASS.length());
            filled = filled.substring(0, reviewAt) + text + filled.substring(reviewAt + REVIEW.length());
            reviewStart = reviewAt;
        }
        return new LossPrompt(cls, filled, reviewStart, reviewStart + text.length());
    }

    // The three literal pieces of the demonstration format; the builder lays out offsets with them.

    String demoBeforeReview() {
        return demonstration.substring(0, demonstration.indexOf(REVIEW));
    }

    String demoBetweenReviewAndLabel() {
        return demonstration.substring(demonstration.indexOf(REVIEW) + REVIEW.length(), demonstration.indexOf(LABEL));
    }

    String demoAfterLabel() {
        return demonstration.substring(demonstration.indexOf(LABEL) + LABEL.length());
    }

    static void checkDemonstration(String format) {
        if (format == null || format.isEmpty()) {
            throw new PromptException("The demonstration format is missing; write e.g. "
                    + "'Review: {review}\\nSentiment:{label}'.");
        }
        int reviews = count(format, REVIEW);
        int labels = count(format, LABEL);
        if (reviews != 1 || labels != 1) {
            throw new PromptException("The demonstration format must contain {review} once and {label} once"
                    + " (found " + reviews + " and " + labels + "): '" + escape(format) + "'.");
        }
        if (format.indexOf(REVIEW) > format.indexOf(LABEL)) {
            // The query is the format cut before {label}; a label first would cut the review away.
            throw new PromptException("In the demonstration format {review} must come before {label}: '"
                    + escape(format) + "'.");
        }
    }

    /**
     * Label words carry their own leading space; a space before {@code {label}} too would put two
     * spaces in the demonstrations and end the query on a space, which GPT-2 almost never sees
     * before a word.
     */
    static void checkLabelSpacing(String format, LabelWords labels) {
        int at = format.indexOf(LABEL);
        boolean spaceBefore = at > 0 && (format.charAt(at - 1) == ' ' || format.charAt(at - 1) == '\t');
        boolean wordsStartWithSpace = labels.words().stream().anyMatch(w -> w.startsWith(" "));
        if (spaceBefore && wordsStartWithSpace) {
            throw new PromptException("The demonstration format has a space right before {label}, and the label"
                    + " words begin with a space: the query would end on a space. Write '...:{label}' (no space);"
                    + " the label word brings its own.");
        }
    }

    static void checkLossPrompt(String format) {
        if (count(format, CLASS) != 1 || count(format, REVIEW) != 1) {
            throw new PromptException("The loss prompt must contain {class} once and {review} once: '"
                    + escape(format) + "'.");
        }
    }

    private static int count(String text, String placeholder) {
        int n = 0;
        for (int i = text.indexOf(placeholder); i >= 0; i = text.indexOf(placeholder, i + placeholder.length())) {
            n++;
        }
        return n;
    }

    /** Shows newlines and tabs as escapes, the way template files write them. */
    static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t");
    }
}
