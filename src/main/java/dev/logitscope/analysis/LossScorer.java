package dev.logitscope.analysis;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.lens.LensRequest;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.model.ModelException;
import dev.logitscope.prompt.LossPrompt;
import dev.logitscope.prompt.PromptException;
import dev.logitscope.prompt.PromptTemplate;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.tokenize.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Loss-based classification: for each class, the template's loss prompt ("This is an example of
 * {class} text: {review}") is run once, and every layer's lens gives the log-probability of each
 * token at the position before it. The loss is the mean of −ln p over the scored tokens: by
 * default every predicted token of the prompt (tokens 1..n−1, the inverse-scaling seed's loss on
 * the whole prompt, as {@code labels = input_ids} gives in transformers), or the review's only.
 */
public final class LossScorer {
    private final LensEngine engine;

    public LossScorer(LensEngine engine) {
        this.engine = engine;
    }

    /**
     * Scores {@code review} with both class prompts of {@code template}, over the tokens {@code span}
     * names, each layer read through {@code lens} (the logit lens or a learned one).
     */
    public LossScore score(PromptTemplate template, String review, Sentiment gold, double margin, LossSpan span,
            LensChoice lens) throws ModelException {
        Scored scoredPositive = classLoss(template.lossPrompt(Sentiment.POSITIVE, review), span, lens);
        Scored scoredNegative = classLoss(template.lossPrompt(Sentiment.NEGATIVE, review), span, lens);
        ClassLoss positive = scoredPositive.loss();
        ClassLoss negative = scoredNegative.loss();
        List<String> names = scoredPositive.layerNames();
        List<LossLayer> layers = new ArrayList<>(names.size());
        double[] normalized = new double[names.size()];
        for (int l = 0; l < names.size(); l++) {
            LossLayer layer = LossLayer.of(l, names.get(l), positive.loss(l), negative.loss(l), gold);
            layers.add(layer);
            normalized[l] = layer.normalizedPositive();
        }
        return new LossScore(LossScore.METHOD, span, positive, negative, layers,
                Overthinking.analyse(normalized, gold, margin));
    }

    /** One class prompt's losses with the names of the layers they were read at. */
    private record Scored(ClassLoss loss, List<String> layerNames) {}

    private Scored classLoss(LossPrompt prompt, LossSpan span, LensChoice lens) throws ModelException {
        List<Token> tokens = engine.tokenize(prompt.text());
        int[] review = reviewPositions(tokens, prompt.reviewStart(), prompt.reviewEnd());
        if (review.length == 0) {
            throw new PromptException("The loss method scores the review's tokens, but the review is empty:"
                    + " type a review, or use the next-token method.");
        }
        int[] positions = span == LossSpan.WHOLE ? IntStream.range(1, tokens.size()).toArray() : review;
        int[] ids = tokens.stream().mapToInt(Token::id).toArray();
        List<LayerReading> layers = engine.run(ids, LensRequest.allPositions(new int[0], 0, true).withLens(lens));
        double[] meanLoss = new double[layers.size()];
        List<String> names = new ArrayList<>(layers.size());
        for (int l = 0; l < layers.size(); l++) {
            List<PositionReading> readings = layers.get(l).positions();
            double sum = 0;
            for (int t : positions) {
                // Token t is what position t − 1 predicts.
                sum -= readings.get(t - 1).nextTokenLogProb();
            }
            meanLoss[l] = sum / positions.length;
            names.add(layers.get(l).name());
        }
        return new Scored(new ClassLoss(prompt.cls(), prompt.text(), positions, review, meanLoss), names);
    }

    /**
     * The positions of the tokens that overlap the review's characters [start, end). GPT-2 glues
     * the space before a word to it, so the review's first token usually begins one char early;
     * a token with unknown offsets (part of a multi-byte character) goes with the token before it.
     * Position 0 is left out: no position predicts it. Tokens that straddle the review's ends count.
     * A special token (OPT's BOS) is never review text.
     */
    static int[] reviewPositions(List<Token> tokens, int start, int end) {
        if (start >= end) {
            return new int[0]; // an empty review has no tokens, even where a token spans its spot
        }
        List<Integer> out = new ArrayList<>();
        boolean previousInside = false;
        for (int t = 0; t < tokens.size(); t++) {
            Token token = tokens.get(t);
            boolean inside = !token.special()
                    && (token.start() < 0 ? previousInside : token.end() > start && token.start() < end);
            if (inside && t > 0) {
                out.add(t);
            }
            previousInside = inside;
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
