package dev.logitscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.lens.LensChoice;
import dev.logitscope.lens.LensReport;
import dev.logitscope.prompt.Sentiment;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link LensComparison#plainOnlyReversal}: a reversal only the plain logit lens reads is pointed out, and only then. */
class LensComparisonTest {
    private static final LensChoice TUNED = LensChoice.folder(Path.of("/lenses/tuned-gpt2"));

    /** An analysis whose only meaningful parts are the lens's name and its verdict over P(positive) per layer. */
    private static PromptAnalysis analysis(String lensName, double... positive) {
        Overthinking verdict = Overthinking.analyse(positive, Sentiment.POSITIVE, Overthinking.DEFAULT_MARGIN);
        LensReport report = new LensReport(null, "", List.of(), List.of(), List.of(), lensName);
        return new PromptAnalysis(null, null, null, 0, 0, null, List.of(), report, null, null, verdict, null, null);
    }

    private static LensComparison of(Object... lensesAndAnalyses) {
        Map<LensChoice, PromptAnalysis> runs = new LinkedHashMap<>();
        for (int i = 0; i < lensesAndAnalyses.length; i += 2) {
            runs.put((LensChoice) lensesAndAnalyses[i], (PromptAnalysis) lensesAndAnalyses[i + 1]);
        }
        return new LensComparison(runs);
    }

    @Test
    void aReversalOnlyTheLogitLensReadsIsNamedWithTheLensThatDisagrees() {
        // logit: right with margin at layer 1, wrong from layer 2 to the end → overthinks
        PromptAnalysis logit = analysis("logit lens", 0.5, 0.8, 0.3, 0.2);
        // tuned: right at the end → no overthinking
        PromptAnalysis tuned = analysis("tuned lens (/lenses/tuned-gpt2)", 0.4, 0.55, 0.7, 0.9);
        assertThat(Boolean.TRUE.equals(logit.overthinking().overthinks())).isTrue();
        assertThat(Boolean.FALSE.equals(tuned.overthinking().overthinks())).isTrue();
        String sentence = of(LensChoice.LOGIT, logit, TUNED, tuned).plainOnlyReversal().orElseThrow();
        assertThat(sentence).contains("only the logit lens shows this reversal (correct at layer 1, wrong from layer 2)")
                .contains("the tuned lens (/lenses/tuned-gpt2) reads no reversal");
    }

    @Test
    void whenBothLensesReadTheReversalOrTheLogitLensNoneNothingIsSaid() {
        PromptAnalysis logit = analysis("logit lens", 0.5, 0.8, 0.3, 0.2);
        PromptAnalysis tunedToo = analysis("tuned lens (/lenses/tuned-gpt2)", 0.5, 0.9, 0.4, 0.1);
        assertThat(of(LensChoice.LOGIT, logit, TUNED, tunedToo).plainOnlyReversal()).isEmpty();

        PromptAnalysis logitFine = analysis("logit lens", 0.4, 0.6, 0.7, 0.8);
        PromptAnalysis tunedFine = analysis("tuned lens (/lenses/tuned-gpt2)", 0.4, 0.55, 0.7, 0.9);
        assertThat(of(LensChoice.LOGIT, logitFine, TUNED, tunedFine).plainOnlyReversal()).isEmpty();
        // the classifier-head lens reads another input (the review alone): it neither agrees nor disagrees
        PromptAnalysis classifier = analysis("classifier-head lens", 0.4, 0.55, 0.7, 0.9);
        assertThat(of(LensChoice.LOGIT, logit, LensChoice.CLASSIFIER, classifier).plainOnlyReversal()).isEmpty();
    }
}
