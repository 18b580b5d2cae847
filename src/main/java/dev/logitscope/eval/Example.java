package dev.logitscope.eval;

import dev.logitscope.prompt.Sentiment;
import java.util.Objects;

/**
 * One labelled review of a dataset.
 *
 * @param id   stable within the dataset (the line a record starts on, or the file of an IMDB
 *             review), so a resumed run can tell which examples are done
 * @param text the review, stripped
 * @param gold its true label
 */
public record Example(String id, String text, Sentiment gold) {
    public Example {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(gold, "gold");
        text = text == null ? "" : text.strip();
    }
}
