package dev.logitscope.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.DemoPool;
import dev.logitscope.prompt.PromptTemplate;
import dev.logitscope.prompt.TemplateLibrary;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The grid of conditions: every distinct prompt set once, nothing twice. */
class EvalPlanTest {
    static final ModelRef A = new ModelRef("a", Path.of("a"));
    static final ModelRef B = new ModelRef("b", Path.of("b"));
    static final PromptTemplate SEED = TemplateLibrary.builtIn("seed-notebook");
    static final PromptTemplate PAPER = TemplateLibrary.builtIn("review-answer");

    static EvalPlan plan(List<PromptTemplate> templates, List<Integer> shots, List<DemoLabels> labels, int seeds,
            ScoringMethod method) {
        List<Long> seedList = java.util.stream.LongStream.range(0, seeds).boxed().toList();
        return new EvalPlan(List.of(A, B), shots, labels, seedList, templates, null, DemoPool.builtIn(), method, false,
                0.1, false, 16, null);
    }

    @Test
    void zeroShotIsOneConditionWhateverTheLabelsAndSeeds() {
        EvalPlan p = plan(List.of(SEED), List.of(0, 4), List.of(DemoLabels.CORRECT, DemoLabels.FLIPPED), 3,
                ScoringMethod.NEXT_TOKEN);
        List<Condition> a = p.conditions(A);
        assertThat(a).hasSize(1 + 2 * 3).doesNotHaveDuplicates();
        assertThat(a.stream().filter(c -> c.shots() == 0)).singleElement()
                .satisfies(c -> assertThat(c.hasDemonstrations()).isFalse());
        assertThat(p.conditions()).hasSize(2 * 7);
        // a zero-shot condition is one condition however it is spelled
        assertThat(new Condition("a", "t", 0, DemoLabels.FLIPPED, 2, ScoringMethod.NEXT_TOKEN))
                .isEqualTo(new Condition("a", "t", 0, DemoLabels.CORRECT, 0, ScoringMethod.NEXT_TOKEN));
        assertThat(plan(List.of(SEED), List.of(0), List.of(DemoLabels.RANDOM), 5, ScoringMethod.NEXT_TOKEN)
                .conditions(A)).hasSize(1);
    }

    @Test
    void lossIsOneConditionPerModelAndLossPrompt() {
        EvalPlan p = plan(List.of(SEED, PAPER), List.of(0, 4), List.of(DemoLabels.CORRECT, DemoLabels.FLIPPED), 3,
                ScoringMethod.LOSS);
        assertThat(p.conditions(A)).singleElement().satisfies(c -> {
            assertThat(c.shots()).isZero();
            assertThat(c.template()).isEqualTo("seed-notebook"); // review-answer has the same loss prompt
        });
        assertThat(p.maxShots()).isZero();
        EvalPlan own = plan(List.of(SEED, PAPER.withLossPrompt("Review ({class}): {review}")), List.of(4),
                List.of(DemoLabels.CORRECT), 1, ScoringMethod.LOSS);
        assertThat(own.conditions(A)).extracting(Condition::template).containsExactly("seed-notebook", "review-answer");
    }

    @Test
    void templatesMultiplyTheGridAndMustHaveDistinctNames() {
        EvalPlan p = plan(List.of(SEED, PAPER), List.of(0, 2), List.of(DemoLabels.CORRECT, DemoLabels.FLIPPED), 1,
                ScoringMethod.NEXT_TOKEN);
        assertThat(p.conditions(A)).hasSize(2 * 3).doesNotHaveDuplicates();
        assertThat(p.conditions(A)).extracting(Condition::template).containsExactly("seed-notebook", "seed-notebook",
                "seed-notebook", "review-answer", "review-answer", "review-answer");
        assertThat(p.template("review-answer")).isSameAs(PAPER);
        assertThatThrownBy(() -> plan(List.of(SEED, SEED), List.of(0), List.of(DemoLabels.CORRECT), 1,
                ScoringMethod.NEXT_TOKEN)).isInstanceOf(EvalException.class).hasMessageContaining("named 'seed-notebook'");
    }
}
