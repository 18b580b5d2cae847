package dev.logitscope.analysis;

import dev.logitscope.lens.LensChoice;
import dev.logitscope.lens.LensRequest;
import dev.logitscope.prompt.DemoPool;
import dev.logitscope.prompt.LabelWords;
import dev.logitscope.prompt.PromptRecipe;
import dev.logitscope.prompt.Sentiment;
import java.util.Objects;

/**
 * Everything {@link PromptAnalyzer} needs for one review, captured as a value (the app builds it
 * on the UI thread and hands it to the model thread).
 *
 * @param review    the review (may be empty: the query format is then left bare)
 * @param recipe    template, shots, demo labels, order and seed
 * @param pool      where demonstrations come from
 * @param labels    label words overriding the template's, or null
 * @param gold      the review's true label, or null
 * @param calibrate also run the content-free prompts and add calibrated verdicts
 * @param method    {@link ScoringMethod#LOSS} adds the loss method's result; the next-token
 *                  verdicts are always computed (they are what the lens reads)
 * @param topK      top tokens per layer in the lens report
 * @param positions which positions the lens report holds (verdicts always use the last)
 * @param midBlock  also read the mid-block taps (verdicts use block outputs only)
 * @param margin    δ of the overthinking analysis
 * @param lossSpan  which tokens the loss method scores (null: {@link LossSpan#WHOLE})
 * @param lens      which lens reads the layers (null: the logit lens). Under the classifier-head lens
 *                  the review is read as it is — no template, no demonstrations — as the classifier
 *                  was trained, and the labels are its classes
 */
public record AnalysisRequest(String review, PromptRecipe recipe, DemoPool pool, LabelWords labels, Sentiment gold,
        boolean calibrate, ScoringMethod method, int topK, LensRequest.Positions positions, boolean midBlock,
        double margin, LossSpan lossSpan, LensChoice lens) {

    public static final int DEFAULT_TOP_K = 5;

    public AnalysisRequest {
        review = review == null ? "" : review;
        Objects.requireNonNull(recipe, "recipe");
        pool = pool == null ? BuiltInPool.POOL : pool;
        method = method == null ? ScoringMethod.NEXT_TOKEN : method;
        positions = positions == null ? LensRequest.Positions.LAST : positions;
        lossSpan = lossSpan == null ? LossSpan.WHOLE : lossSpan;
        lens = lens == null ? LensChoice.LOGIT : lens;
        if (topK < 0 || topK > 1000) {
            throw new IllegalArgumentException("top-k must be between 0 and 1000, got " + topK);
        }
        if (!(margin >= 0 && margin < 0.5)) {
            throw new IllegalArgumentException("the overthinking margin must be in [0, 0.5), got " + margin);
        }
    }

    /** The built-in pool, template labels, no gold, no calibration, next-token, top 5, last position. */
    public static AnalysisRequest of(String review, PromptRecipe recipe) {
        return new AnalysisRequest(review, recipe, null, null, null, false, null, DEFAULT_TOP_K, null, false,
                Overthinking.DEFAULT_MARGIN, null, null);
    }

    public AnalysisRequest withRecipe(PromptRecipe newRecipe) {
        return new AnalysisRequest(review, newRecipe, pool, labels, gold, calibrate, method,
                topK, positions, midBlock, margin, lossSpan, lens);
    }

    public AnalysisRequest withPool(DemoPool newPool) {
        return new AnalysisRequest(review, recipe, newPool, labels, gold, calibrate, method,
                topK, positions, midBlock, margin, lossSpan, lens);
    }

    public AnalysisRequest withLabels(LabelWords newLabels) {
        return new AnalysisRequest(review, recipe, pool, newLabels, gold, calibrate, method,
                topK, positions, midBlock, margin, lossSpan, lens);
    }

    public AnalysisRequest withGold(Sentiment newGold) {
        return new AnalysisRequest(review, recipe, pool, labels, newGold, calibrate, method,
                topK, positions, midBlock, margin, lossSpan, lens);
    }

    public AnalysisRequest withCalibration(boolean on) {
        return new AnalysisRequest(review, recipe, pool, labels, gold, on, method,
                topK, positions, midBlock, margin, lossSpan, lens);
    }

    public AnalysisRequest withMethod(ScoringMethod newMethod) {
        return new AnalysisRequest(review, recipe, pool, labels, gold, calibrate, newMethod,
                topK, positions, midBlock, margin, lossSpan, lens);
    }

    public AnalysisRequest withTopK(int k) {
        return new AnalysisRequest(review, recipe, pool, labels, gold, calibrate, method,
                k, positions, midBlock, margin, lossSpan, lens);
    }

    public AnalysisRequest withPositions(LensRequest.Positions which, boolean withMidBlock) {
        return new AnalysisRequest(review, recipe, pool, labels, gold, calibrate, method,
                topK, which, withMidBlock, margin, lossSpan, lens);
    }

    public AnalysisRequest withMargin(double delta) {
        return new AnalysisRequest(review, recipe, pool, labels, gold, calibrate, method,
                topK, positions, midBlock, delta, lossSpan, lens);
    }

    public AnalysisRequest withLossSpan(LossSpan span) {
        return new AnalysisRequest(review, recipe, pool, labels, gold, calibrate, method,
                topK, positions, midBlock, margin, span, lens);
    }

    public AnalysisRequest withLens(LensChoice other) {
        return new AnalysisRequest(review, recipe, pool, labels, gold, calibrate, method,
                topK, positions, midBlock, margin, lossSpan, other);
    }

    /** The shipped pool, read once (requests are built on every keystroke in the app). */
    private static final class BuiltInPool {
        static final DemoPool POOL = DemoPool.builtIn();
    }
}
