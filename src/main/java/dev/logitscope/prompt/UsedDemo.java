package dev.logitscope.prompt;

/**
 * A demonstration as it appears in a built prompt.
 *
 * @param review     the review text
 * @param shown      the label written in the prompt
 * @param truth      the review's true label
 * @param labelStart start of the shown label word in the prompt text (UTF-16 chars)
 * @param labelEnd   end of the label word (exclusive)
 */
public record UsedDemo(String review, Sentiment shown, Sentiment truth, int labelStart, int labelEnd) {

    /** True when the prompt shows the wrong label for this review. */
    public boolean flipped() {
        return shown != truth;
    }
}
