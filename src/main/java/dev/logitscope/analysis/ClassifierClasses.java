package dev.logitscope.analysis;

import dev.logitscope.lens.TrackedWord;
import dev.logitscope.model.ClassLabels;
import dev.logitscope.prompt.LabelSet;
import dev.logitscope.prompt.LabelToken;
import dev.logitscope.prompt.LabelWords;
import dev.logitscope.prompt.PromptException;
import dev.logitscope.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which class of a classification head stands for which of the analysis's labels, so the
 * classifier-head lens fills the same trajectory (labels in the template's order, gold by label)
 * as the logit lens. A class matches the label whose word it names (case and spaces aside:
 * {@code negative}/{@code positive} as {@code finetune} writes id2label, {@code NEGATIVE}/{@code
 * POSITIVE} as many hub classifiers do). A two-class head with unnamed classes (transformers'
 * {@code LABEL_0}, {@code LABEL_1}) is read in SST-2's order — 0 negative, 1 positive — and says so.
 *
 * @param labelSet the labels, each "token" being its class index (the lens's vocabulary is the classes)
 * @param tracked  what the lens tracks, in label order
 * @param warnings how the classes were matched, when not by name
 */
public record ClassifierClasses(LabelSet labelSet, List<TrackedWord> tracked, List<String> warnings) {

    public ClassifierClasses {
        tracked = List.copyOf(tracked);
        warnings = List.copyOf(warnings);
    }

    /** Matches {@code classes} to {@code labels} (in the template's order), or says why it cannot. */
    public static ClassifierClasses match(LabelWords labels, ClassLabels classes) {
        List<String> names = classes.names();
        int n = labels.size();
        int[] classOf = new int[n];
        boolean byName = true;
        for (int i = 0; i < n && byName; i++) {
            classOf[i] = indexOf(names, labels.words().get(i));
            byName = classOf[i] >= 0;
        }
        List<String> warnings = new ArrayList<>();
        if (!byName) {
            if (n == 2 && names.size() == 2) { // two labels are positive, negative in that order (Sentiment's indices)
                classOf[0] = 1; // SST-2: label 1 is positive
                classOf[1] = 0;
                warnings.add("the classifier's classes " + names + " do not name the labels; read in SST-2's order:"
                        + " class 0 =" + labels.words().get(1) + ", class 1 =" + labels.words().get(0));
            } else {
                throw new PromptException("The classifier's classes " + names + " do not name the labels "
                        + labels.words().stream().map(String::strip).toList() + ", so the classifier-head lens cannot"
                        + " tell which class is which label; use label words that are the class names.");
            }
        }
        List<LabelToken> tokens = new ArrayList<>();
        List<TrackedWord> tracked = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String word = labels.words().get(i);
            tokens.add(new LabelToken(word, new int[] {classOf[i]}, classOf[i], names.get(classOf[i])));
            tracked.add(new TrackedWord(word, new int[] {classOf[i]}));
        }
        return new ClassifierClasses(new LabelSet(tokens, List.of()), tracked, warnings);
    }

    /**
     * {@code template} reduced to the review alone: the classifier reads the review as it is (no
     * instruction, no query format, no demonstrations), as it was trained.
     */
    public static PromptTemplate bareTemplate(PromptTemplate template) {
        return new PromptTemplate(template.name() + " (review as it is)",
                "the review alone, as the classifier head reads it", "", PromptTemplate.REVIEW + PromptTemplate.LABEL,
                template.separator(), template.labels(), template.lossPrompt(), template.lossClasses());
    }

    private static int indexOf(List<String> names, String word) {
        String w = normal(word);
        for (int j = 0; j < names.size(); j++) {
            if (normal(names.get(j)).equals(w)) {
                return j;
            }
        }
        return -1;
    }

    private static String normal(String s) {
        return s.strip().toLowerCase(Locale.ROOT);
    }
}
