package dev.logitscope.analysis;

import dev.logitscope.lens.LensChoice;
import dev.logitscope.model.ModelException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One review read through several lenses, one definition for {@code inspect --lens a,b} and the
 * app: the same request (template, demonstrations, labels, calibration) under each lens. The
 * engine keeps the prompt's KV cache and residuals, so every lens after the first costs a readout,
 * not a forward pass.
 *
 * <p>The plain logit lens is biased at early layers (why the tuned lens exists), so a reversal it
 * alone shows may be the decoder's, not the model's: {@link #plainOnlyReversal} says so when the
 * logit lens overthinks and a learned lens reading the same prompt does not. (The classifier-head
 * lens reads another input — the review alone — and is not counted as agreeing or disagreeing.)
 *
 * @param runs each lens's analysis, in the order asked
 */
public record LensComparison(Map<LensChoice, PromptAnalysis> runs) {

    public LensComparison {
        runs = Collections.unmodifiableMap(new LinkedHashMap<>(runs));
    }

    /** Analyses {@code request} through each of {@code lenses} (duplicates once). */
    public static LensComparison run(PromptAnalyzer analyzer, AnalysisRequest request, List<LensChoice> lenses)
            throws ModelException {
        if (lenses.isEmpty()) {
            throw new IllegalArgumentException("no lens to read through");
        }
        Map<LensChoice, PromptAnalysis> runs = new LinkedHashMap<>();
        for (LensChoice lens : lenses) {
            if (!runs.containsKey(lens)) {
                runs.put(lens, analyzer.analyze(request.withLens(lens)));
            }
        }
        return new LensComparison(runs);
    }

    /** Each lens's trajectory keyed by {@link LensChoice#key()}, in the order asked. */
    public Map<String, LabelTrajectory> trajectories() {
        Map<String, LabelTrajectory> lines = new LinkedHashMap<>();
        runs.forEach((lens, analysis) -> lines.put(lens.key(), analysis.trajectory()));
        return lines;
    }

    /** The verdict each lens gives: calibrated when the request asked for calibration, as the prediction is. */
    public static Overthinking verdict(PromptAnalysis analysis) {
        return analysis.calibratedOverthinking() != null ? analysis.calibratedOverthinking() : analysis.overthinking();
    }

    /**
     * When the logit lens says the model overthinks this review but a learned lens reading the same
     * prompt does not: one sentence naming them, for tables, the JSON and the app.
     */
    public Optional<String> plainOnlyReversal() {
        PromptAnalysis plain = runs.get(LensChoice.LOGIT);
        if (plain == null || !Boolean.TRUE.equals(verdict(plain).overthinks())) {
            return Optional.empty();
        }
        List<String> disagreeing = new ArrayList<>();
        runs.forEach((lens, analysis) -> {
            if (lens.kind() == LensChoice.Kind.FOLDER && Boolean.FALSE.equals(verdict(analysis).overthinks())) {
                disagreeing.add(analysis.lens().lens());
            }
        });
        if (disagreeing.isEmpty()) {
            return Optional.empty();
        }
        Overthinking o = verdict(plain);
        return Optional.of("only the logit lens shows this reversal (correct at layer " + o.lastCorrectLayer()
                + ", wrong from layer " + o.reversalLayer() + "): the " + String.join(" and the ", disagreeing)
                + " reads no reversal, so it may be the plain lens's early-layer bias rather than the model's");
    }
}
