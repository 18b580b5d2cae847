package dev.logitscope.prompt;

/**
 * The loss method's class-conditioned prompt for one class.
 *
 * @param cls         the class the prompt is conditioned on
 * @param text        the full prompt
 * @param reviewStart start of the review in {@code text} (UTF-16 chars)
 * @param reviewEnd   end of the review (exclusive); the loss is averaged over the tokens in here
 */
public record LossPrompt(Sentiment cls, String text, int reviewStart, int reviewEnd) {
    public LossPrompt {
        if (reviewStart < 0 || reviewEnd < reviewStart || reviewEnd > text.length()) {
            throw new IllegalArgumentException("review range [" + reviewStart + ", " + reviewEnd
                    + ") outside a text of " + text.length() + " chars");
        }
    }
}
