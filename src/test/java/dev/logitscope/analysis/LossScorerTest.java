package dev.logitscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.lens.LensEngine;
import dev.logitscope.prompt.LossPrompt;
import dev.logitscope.prompt.PromptException;
import dev.logitscope.prompt.PromptTemplate;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.prompt.TemplateLibrary;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.tokenize.Token;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loss method on a tiny checkpoint against the float64 reference, and which tokens it scores. */
class LossScorerTest {
    @TempDir
    static Path dir;
    static TinyCheckpoint checkpoint;
    static ReferenceGpt2 reference;
    static LensEngine engine;

    @BeforeAll
    static void load() throws Exception {
        checkpoint = TinyCheckpoint.builder().nLayer(3).nEmbd(24).nHead(4).nPositions(96).seed(5).write(dir.resolve("m"));
        reference = new ReferenceGpt2(checkpoint);
        engine = LensEngine.open(checkpoint.folder(), "tiny");
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    /**
     * The seed's definition: the model's loss on the whole class prompt, i.e. transformers'
     * {@code model(input_ids, labels=input_ids).loss} — logits[:-1] against ids[1:], mean cross-entropy
     * over those n − 1 tokens (GPT-2 adds no BOS: token 0 is "This" and nothing predicts it).
     * Recomputed here in float64 from the reference forward pass, per layer through its lens.
     */
    @Test
    void byDefaultTheLossIsTheMeanOverEveryPredictedTokenOfTheWholePrompt() throws Exception {
        PromptTemplate template = TemplateLibrary.builtIn("seed-notebook");
        String review = "the acting was fine, the plot was not.";
        LossScore score = new LossScorer(engine).score(template, review, Sentiment.NEGATIVE, 0.1, LossSpan.WHOLE, dev.logitscope.lens.LensChoice.LOGIT);

        assertThat(score.span()).isEqualTo(LossSpan.WHOLE);
        assertThat(score.description()).contains("every predicted token");
        for (Sentiment cls : Sentiment.values()) {
            String text = "This is an example of " + cls.key() + " text: " + review;
            ClassLoss loss = score.of(cls);
            assertThat(loss.prompt()).isEqualTo(text);
            int[] ids = engine.tokenize(text).stream().mapToInt(Token::id).toArray();
            ReferenceGpt2.Result run = reference.run(ids);
            // transformers: shift_logits = logits[..., :-1, :], shift_labels = labels[..., 1:], mean
            double modelLoss = 0;
            for (int t = 0; t < ids.length - 1; t++) {
                modelLoss -= Math.log(ReferenceGpt2.softmax(run.logits()[t])[ids[t + 1]]);
            }
            modelLoss /= ids.length - 1;
            assertThat(loss.loss(checkpoint.nLayer())).as(cls + " model loss").isCloseTo(modelLoss, within(1e-4));
            for (int layer = 0; layer <= checkpoint.nLayer(); layer++) {
                double sum = 0;
                for (int t = 0; t < ids.length - 1; t++) {
                    sum -= Math.log(reference.lensProbabilities(run.afterLayer()[layer][t])[ids[t + 1]]);
                }
                assertThat(loss.loss(layer)).as(cls + " layer " + layer).isCloseTo(sum / (ids.length - 1), within(1e-4));
            }
            assertThat(loss.scoredPositions()).hasSize(ids.length - 1);
        }
    }

    @Test
    void theReviewSpanScoresOnlyTheReviewsTokensAgainstTheReference() throws Exception {
        PromptTemplate template = TemplateLibrary.builtIn("seed-notebook");
        String review = "  the acting was fine, the plot was not. ";
        LossScore score = new LossScorer(engine).score(template, review, Sentiment.NEGATIVE, 0.1, LossSpan.REVIEW, dev.logitscope.lens.LensChoice.LOGIT);

        assertThat(score.method()).isEqualTo("loss");
        assertThat(score.span()).isEqualTo(LossSpan.REVIEW);
        assertThat(score.layers()).hasSize(checkpoint.nLayer() + 1);
        for (Sentiment cls : Sentiment.values()) {
            LossPrompt prompt = template.lossPrompt(cls, review);
            ClassLoss loss = score.of(cls);
            assertThat(loss.prompt()).isEqualTo("This is an example of " + cls.key()
                    + " text: the acting was fine, the plot was not.");
            int[] ids = engine.tokenize(prompt.text()).stream().mapToInt(Token::id).toArray();
            int[] positions = positionsFromTokenTexts(engine.tokenizer()::decode, ids, prompt.reviewStart(),
                    prompt.reviewEnd());
            assertThat(loss.reviewPositions()).containsExactly(positions);
            assertThat(loss.scoredPositions()).containsExactly(positions);

            ReferenceGpt2.Result run = reference.run(ids);
            for (int layer = 0; layer <= checkpoint.nLayer(); layer++) {
                double sum = 0;
                for (int t : positions) {
                    sum -= Math.log(reference.lensProbabilities(run.afterLayer()[layer][t - 1])[ids[t]]);
                }
                double want = sum / positions.length;
                assertThat(loss.loss(layer)).as(cls + " layer " + layer).isCloseTo(want, within(1e-3));
            }
            // The final layer is the model's own loss on the review.
            double modelLoss = 0;
            for (int t : positions) {
                modelLoss -= Math.log(ReferenceGpt2.softmax(run.logits()[t - 1])[ids[t]]);
            }
            assertThat(loss.loss(checkpoint.nLayer())).isCloseTo(modelLoss / positions.length, within(1e-3));
        }
        for (LossLayer layer : score.layers()) {
            Sentiment lower = layer.lossPositive() <= layer.lossNegative() ? Sentiment.POSITIVE : Sentiment.NEGATIVE;
            assertThat(layer.prediction()).isEqualTo(lower);
            assertThat(layer.correct()).isEqualTo(lower == Sentiment.NEGATIVE);
        }
        assertThat(score.prediction()).isEqualTo(score.finalLayer().prediction());
        assertThat(score.overthinking().gold()).isEqualTo(Sentiment.NEGATIVE);
    }

    /**
     * The review's token positions found without the tokenizer's offsets: each token's span is
     * the running length of the decoded token texts (the prompt is ASCII).
     */
    private static int[] positionsFromTokenTexts(java.util.function.IntFunction<String> decode, int[] ids, int start,
            int end) {
        List<Integer> out = new ArrayList<>();
        int at = 0;
        for (int t = 0; t < ids.length; t++) {
            int next = at + decode.apply(ids[t]).length();
            if (t > 0 && next > start && at < end) {
                out.add(t);
            }
            at = next;
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void reviewPositionsOverlapTheReviewSkipPositionZeroAndFollowUnknownOffsets() {
        // "ab: cd ef!" with the review "cd ef" at [4, 9): tokens "ab" ":" " cd" " ef" "!"
        List<Token> tokens = List.of(token(0, 2), token(2, 3), token(3, 6), token(6, 9), token(9, 10));
        assertThat(LossScorer.reviewPositions(tokens, 4, 9)).containsExactly(2, 3);
        // A review at the very start: its first token has no position predicting it.
        assertThat(LossScorer.reviewPositions(tokens, 0, 3)).containsExactly(1);
        // A token without offsets (a piece of a multi-byte character) goes with the one before it.
        List<Token> partial = List.of(token(0, 2), token(2, 4), token(-1, -1), token(5, 6));
        assertThat(LossScorer.reviewPositions(partial, 2, 5)).containsExactly(1, 2);
        assertThat(LossScorer.reviewPositions(partial, 5, 6)).containsExactly(3);
        assertThat(LossScorer.reviewPositions(tokens, 4, 4)).isEmpty();
    }

    private static Token token(int start, int end) {
        return new Token(0, "x", "x", start, end);
    }

    @Test
    void anEmptyReviewCannotBeScoredByLoss() {
        PromptTemplate template = TemplateLibrary.builtIn("review-answer");
        assertThatThrownBy(() -> new LossScorer(engine).score(template, "  ", null, 0.1, LossSpan.WHOLE, dev.logitscope.lens.LensChoice.LOGIT))
                .isInstanceOf(PromptException.class).hasMessageContaining("empty");
    }
}
