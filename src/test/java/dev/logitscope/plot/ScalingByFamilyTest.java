package dev.logitscope.plot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.eval.Condition;
import dev.logitscope.eval.EvalSummary;
import dev.logitscope.eval.ExampleResult;
import dev.logitscope.eval.ModelStats;
import dev.logitscope.eval.SummaryBuilder;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.Sentiment;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run that mixes families draws one line per family, as the inverse-scaling comparison reads. */
class ScalingByFamilyTest {

    /** name → (family, parameters, examples right of 4). */
    private static EvalSummary run(List<ModelStats> models, Map<String, Integer> right) {
        List<Condition> plan = new ArrayList<>();
        Map<String, List<ExampleResult>> results = new HashMap<>();
        for (ModelStats m : models) {
            Condition c = new Condition(m.name(), "t", 0, DemoLabels.CORRECT, 0, ScoringMethod.NEXT_TOKEN);
            plan.add(c);
            List<ExampleResult> rs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Sentiment gold = i % 2 == 0 ? Sentiment.POSITIVE : Sentiment.NEGATIVE;
                boolean correct = i < right.get(m.name());
                double pPositive = (gold == Sentiment.POSITIVE) == correct ? 0.8 : 0.2;
                double[] positive = {0.5, pPositive};
                double[] negative = {0.5, 1 - pPositive};
                rs.add(new ExampleResult(c, "r" + i, gold, positive, negative, positive, null));
            }
            results.put(c.key(), rs);
        }
        return SummaryBuilder.build(plan, results, Map.of(), models, 0.1, true);
    }

    @Test
    void eachFamilyIsItsOwnLineWithItsOwnMarker() {
        List<ModelStats> models = List.of(
                new ModelStats("gpt2", "gpt2", "", 124_439_808L, 1, 0, 0),
                new ModelStats("opt-125m", "opt", "", 125_239_296L, 1, 0, 0),
                new ModelStats("gpt2-medium", "gpt2", "", 354_823_168L, 1, 0, 0),
                new ModelStats("opt-350m", "opt", "post-LN, no final norm", 331_196_416L, 1, 0, 0));
        EvalSummary summary = run(models, Map.of("gpt2", 4, "gpt2-medium", 3, "opt-125m", 2, "opt-350m", 3));

        ScalingData data = EvalPlots.scaling(summary, "sst2");

        assertThat(data.conditions()).extracting(ScalingData.Condition::name)
                .containsExactly("0-shot · GPT-2", "0-shot · OPT");
        ScalingData.Condition gpt2 = data.conditions().get(0);
        ScalingData.Condition opt = data.conditions().get(1);
        assertThat(gpt2.accuracy()).containsExactly(1.0, Double.NaN, 0.75, Double.NaN);
        assertThat(opt.accuracy()).containsExactly(Double.NaN, 0.5, Double.NaN, 0.75);
        assertThat(gpt2.colorIndex()).as("one setting: colour free to tell families apart").isNotEqualTo(opt.colorIndex());
        assertThat(gpt2.marker()).as("families told apart by marker").isNotEqualTo(opt.marker());
        // the worst model is ringed within each family: gpt2-medium for GPT-2, opt-125m for OPT
        assertThat(gpt2.worst()).isEqualTo(2);
        assertThat(opt.worst()).isEqualTo(1);
        assertThat(data.models()).extracting(ScalingData.Model::family).containsExactly("GPT-2", "OPT", "GPT-2", "OPT");

        ScalingChart chart = new ScalingChart(data, PlotTheme.light());
        assertThat(chart.legendNames()).contains("0-shot · GPT-2", "0-shot · OPT", "post-LN, no final norm");
        assertThat(data.models().get(3).note()).as("opt-350m flagged").isEqualTo("post-LN, no final norm");
        assertThat(data.models().get(0).note()).isEmpty();
        BufferedImage image = new BufferedImage(620, 420, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        chart.draw(g, new Rectangle2D.Double(0, 0, 620, 420));
        g.dispose();
    }

    @Test
    void aSingleFamilyRunKeepsOneLinePerSetting() {
        List<ModelStats> models = List.of(new ModelStats("gpt2", "gpt2", "", 124_439_808L, 1, 0, 0),
                new ModelStats("gpt2-medium", "gpt2", "", 354_823_168L, 1, 0, 0));

        ScalingData data = EvalPlots.scaling(run(models, Map.of("gpt2", 4, "gpt2-medium", 3)), "sst2");

        assertThat(data.conditions()).extracting(ScalingData.Condition::name).containsExactly("0-shot");
        assertThat(data.conditions().get(0).family()).isEmpty();
    }
}
