package dev.logitscope.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.lens.LensJson;
import dev.logitscope.lens.LensReport;
import dev.logitscope.plot.TokenGridData;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.DemoOrder;
import dev.logitscope.prompt.PromptRecipe;
import dev.logitscope.prompt.Segment;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.prompt.Shots;
import dev.logitscope.prompt.TemplateLibrary;
import dev.logitscope.testing.OptLikeTokenizer;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.tokenize.Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose tokenizer config asks for a BOS (OPT: {@code </s>}, id 2, from vocab.json +
 * merges.txt): the model reads it first, the grid and the JSON show it as a special token, and it
 * is never review text, a label word's token or a demonstration's.
 */
class BosPromptTest {
    @TempDir
    static Path dir;
    static TinyCheckpoint checkpoint;
    static LensEngine engine;
    static PromptAnalyzer analyzer;

    static final String REVIEW = "the acting was fine, the plot was not.";

    @BeforeAll
    static void load() throws Exception {
        checkpoint = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(400).seed(11)
                .write(dir.resolve("opt"));
        Path folder = checkpoint.folder();
        Files.delete(checkpoint.tokenizerFile()); // as OPT's hub repos: vocab.json + merges.txt + configs
        OptLikeTokenizer.writeVocabAndMerges(folder);
        OptLikeTokenizer.writeConfig(folder, true);
        engine = LensEngine.open(folder, "opt-like");
        analyzer = new PromptAnalyzer(engine);
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    static PromptRecipe recipe(int shots) {
        return new PromptRecipe(TemplateLibrary.builtIn("seed-notebook"), new Shots(shots), DemoLabels.CORRECT,
                DemoOrder.ALTERNATING, 7);
    }

    @Test
    void theModelReadsTheBosFirstAndTheVerdictsAreThoseOfThePromptWithIt() throws Exception {
        PromptAnalysis a = analyzer.analyze(AnalysisRequest.of(REVIEW, recipe(2)).withGold(Sentiment.NEGATIVE));
        List<Token> tokens = a.lens().tokens();
        assertThat(tokens.get(0)).isEqualTo(new Token(OptLikeTokenizer.BOS, "", "</s>", -1, -1, true));
        assertThat(tokens.subList(1, tokens.size())).isEqualTo(engine.tokenizer().encode(a.prompt().text()))
                .noneMatch(Token::special);
        assertThat(a.promptTokens()).isEqualTo(tokens.size());

        // Float64 reference on the ids with the BOS: the last layer's label probabilities are the
        // model's output at the last position; without the BOS they differ.
        int[] ids = tokens.stream().mapToInt(Token::id).toArray();
        int[] labels = a.labels().firstIds();
        ReferenceGpt2 reference = new ReferenceGpt2(checkpoint);
        double[] withBos = ReferenceGpt2.softmax(reference.run(ids).logits()[ids.length - 1]);
        LayerVerdict last = a.verdicts().get(a.verdicts().size() - 1);
        assertThat(last.pPositive()).isCloseTo(withBos[labels[0]], within(1e-5 * withBos[labels[0]] + 1e-9));
        assertThat(last.pNegative()).isCloseTo(withBos[labels[1]], within(1e-5 * withBos[labels[1]] + 1e-9));
        int[] withoutBosIds = IntStream.of(ids).skip(1).toArray();
        double[] withoutBos = ReferenceGpt2.softmax(reference.run(withoutBosIds).logits()[withoutBosIds.length - 1]);
        assertThat(Math.abs(withoutBos[labels[0]] - withBos[labels[0]])).isGreaterThan(1e-4 * withBos[labels[0]]);
    }

    @Test
    void labelWordsAreEncodedWithoutTheBos() throws Exception {
        PromptAnalysis a = analyzer.analyze(AnalysisRequest.of(REVIEW, recipe(0)));
        // Ids of " positive" / " negative" by a Python re-implementation of the slow BPE on these files.
        assertThat(a.labels().positive().tokenIds()).containsExactly(283, 82, 86, 274, 76, 89, 72);
        assertThat(a.labels().negative().tokenIds()).containsExactly(224, 81, 72, 74, 269, 76, 89, 72);
        assertThat(a.lens().tracked()).allSatisfy(w -> assertThat(w.tokenIds()[0]).isNotEqualTo(OptLikeTokenizer.BOS));
    }

    @Test
    void theGridAndTheJsonMarkTheBosAndTheQueryStartsAfterIt() throws Exception {
        PromptAnalysis a = analyzer.analyze(AnalysisRequest.of(REVIEW, recipe(2)));
        List<Token> tokens = a.lens().tokens();
        int query = GridPositions.QUERY.firstPosition(a.prompt(), tokens);
        int queryChar = a.prompt().segments().stream().filter(s -> s.kind() == Segment.Kind.QUERY)
                .mapToInt(Segment::start).findFirst().orElseThrow();
        assertThat(query).isPositive();
        assertThat(tokens.get(query).special()).isFalse();
        assertThat(tokens.get(query).start()).isLessThanOrEqualTo(queryChar);
        assertThat(tokens.get(query).end()).isGreaterThan(queryChar);

        LensReport grid = TokenGridReport.read(engine, a, GridPositions.ALL, 3);
        TokenGridData data = TokenGridData.fromReport(grid, TokenGridData.Mode.PROBABILITY);
        assertThat(data.columns().get(0)).isEqualTo(new TokenGridData.Column(0, "</s>", true));
        assertThat(data.columns().subList(1, data.columns().size())).noneMatch(TokenGridData.Column::special);

        JsonArray json = LensJson.report(grid, false).getAsJsonArray("tokens");
        JsonObject bos = json.get(0).getAsJsonObject();
        assertThat(bos.get("id").getAsInt()).isEqualTo(2);
        assertThat(bos.get("text").getAsString()).isEmpty();
        assertThat(bos.get("token").getAsString()).isEqualTo("</s>");
        assertThat(bos.get("special").getAsBoolean()).isTrue();
        assertThat(json.get(1).getAsJsonObject().has("special")).isFalse();
        // The texts still join to the prompt.
        StringBuilder joined = new StringBuilder();
        json.forEach(t -> joined.append(t.getAsJsonObject().get("text").getAsString()));
        assertThat(joined.toString()).isEqualTo(a.prompt().text());
    }

    @Test
    void lossScoringNeverCountsTheBosAsReviewAndScoresEveryTokenAfterIt() throws Exception {
        PromptAnalysis a = analyzer.analyze(AnalysisRequest.of(REVIEW, recipe(0)).withMethod(ScoringMethod.LOSS));
        ReferenceGpt2 reference = new ReferenceGpt2(checkpoint);
        for (Sentiment cls : Sentiment.values()) {
            ClassLoss loss = a.loss().of(cls);
            List<Token> tokens = engine.tokenize(loss.prompt());
            assertThat(tokens.get(0).special()).isTrue();
            int[] ids = tokens.stream().mapToInt(Token::id).toArray();
            // transformers' labels = input_ids with the BOS at 0: tokens 1..n−1, the first text token included.
            assertThat(loss.scoredPositions()).containsExactly(IntStream.range(1, ids.length).toArray());
            assertThat(loss.reviewPositions()).doesNotContain(0).isNotEmpty();
            int reviewAt = loss.prompt().indexOf(REVIEW);
            for (int t : loss.reviewPositions()) {
                assertThat(tokens.get(t).end()).isGreaterThan(reviewAt);
            }
            double[][] logits = reference.run(ids).logits();
            double sum = 0;
            for (int t = 1; t < ids.length; t++) {
                sum -= Math.log(ReferenceGpt2.softmax(logits[t - 1])[ids[t]]);
            }
            double[] perLayer = loss.meanLoss();
            assertThat(perLayer[perLayer.length - 1]).isCloseTo(sum / (ids.length - 1), within(1e-4));
        }
    }

    @Test
    void reviewsAfterSharedDemonstrationsRunTogetherFromTheBos() throws Exception {
        List<AnalysisRequest> requests = new ArrayList<>();
        for (String review : List.of(REVIEW, "Dull.", "A warm, generous film.")) {
            requests.add(AnalysisRequest.of(review, recipe(2)));
        }
        List<AnalysisOutcome> together = analyzer.analyzeAll(requests);
        for (int i = 0; i < requests.size(); i++) {
            PromptAnalysis alone = analyzer.analyze(requests.get(i));
            PromptAnalysis batched = together.get(i).analysis();
            assertThat(batched.lens().tokens()).isEqualTo(alone.lens().tokens());
            assertThat(batched.lens().tokens().get(0).special()).isTrue();
            for (int l = 0; l < alone.verdicts().size(); l++) {
                double p = alone.verdicts().get(l).pPositive();
                assertThat(batched.verdicts().get(l).pPositive()).isCloseTo(p, within(1e-9 + 1e-5 * p));
            }
        }
    }
}
