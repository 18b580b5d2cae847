package dev.logitscope.ui.analysis;

import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.plot.ModelComparison;
import dev.logitscope.prompt.LabelToken;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Two models compared on one review may have different tokenizers: each builds its own prompt
 * from the same settings, and the same label word can become other tokens. This says so.
 */
public final class LabelTokenization {
    private LabelTokenization() {}

    /**
     * "The label words tokenize differently: ' positive' is [3967] in gpt2, [1313] in opt-125m …",
     * or empty when every label word has the same token ids in both models.
     */
    public static Optional<String> difference(PromptAnalysis a, PromptAnalysis b) {
        if (a.request().lens().isClassifier() || b.request().lens().isClassifier()) {
            return Optional.empty(); // a classifier head reads its classes, not label words
        }
        List<LabelToken> ta = a.labels().tokens();
        List<LabelToken> tb = b.labels().tokens();
        List<String> names = ModelComparison.names(a, b);
        List<String> differing = new ArrayList<>();
        for (int i = 0; i < Math.min(ta.size(), tb.size()); i++) {
            if (!Arrays.equals(ta.get(i).tokenIds(), tb.get(i).tokenIds())) {
                differing.add("'" + ta.get(i).word() + "' is " + Arrays.toString(ta.get(i).tokenIds()) + " in "
                        + names.get(0) + ", " + Arrays.toString(tb.get(i).tokenIds()) + " in " + names.get(1));
            }
        }
        if (differing.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("The label words tokenize differently (each model builds its prompt with its own tokenizer): "
                + String.join("; ", differing));
    }
}
