package dev.logitscope.ui;

import dev.logitscope.prompt.SampleReview;
import dev.logitscope.ui.prompt.PromptViewModel;
import java.util.List;
import javafx.beans.property.StringProperty;

/**
 * The gold label belongs to the sample review it came with: picking a sample sets it (or clears
 * it, for a sample without one), and a review typed over the sample drops it again, so another
 * review is never judged against it. A gold label the user chose stays while they type.
 */
final class SampleGold {
    private final StringProperty review;
    private final StringProperty gold;
    /** The sample the gold label came with; null when the user chose it (or there is none). */
    private String sample;
    private boolean setting;
    private final java.util.function.Predicate<String> offered;

    SampleGold(StringProperty review, StringProperty gold) {
        this(review, gold, label -> true);
    }

    /**
     * @param offered whether the gold choice offers a label now: the samples are labelled positive or
     *                negative, which a template of another label set does not have, so they come without one
     */
    SampleGold(StringProperty review, StringProperty gold, java.util.function.Predicate<String> offered) {
        this.review = review;
        this.gold = gold;
        this.offered = offered;
        review.addListener((obs, old, text) -> {
            if (sample != null && !sample.equals(text)) {
                sample = null;
                set(PromptViewModel.NO_GOLD);
            }
        });
        gold.addListener((obs, old, g) -> {
            if (!setting) {
                sample = null;
            }
        });
    }

    /** Puts a sample in the editor with its own gold label. */
    void use(SampleReview chosen) {
        sample = null;
        set(chosen.expected().map(label -> label.key()).filter(offered).orElse(PromptViewModel.NO_GOLD));
        sample = chosen.review();
        review.set(chosen.review());
    }

    /** After a restart: a restored sample with its own label keeps it only while it stays that sample. */
    void restored(List<SampleReview> samples) {
        samples.stream().filter(s -> s.review().equals(review.get())
                && s.expected().map(e -> e.key()).orElse(PromptViewModel.NO_GOLD).equals(gold.get()))
                .findFirst().ifPresent(s -> sample = s.review());
    }

    private void set(String value) {
        setting = true;
        try {
            gold.set(value);
        } finally {
            setting = false;
        }
    }
}
