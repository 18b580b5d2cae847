package dev.logitscope.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.analysis.LabelTrajectory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Two models' trajectories on one chart: depths, names, dashes and the legend's key. */
class ModelComparisonTest {
    static final List<String> WORDS = List.of(" positive", " negative");

    /** A two-label trajectory of {@code layers} blocks with random label probabilities. */
    static LabelTrajectory trajectory(int layers, long seed) {
        Random r = new Random(seed);
        int[] depths = new int[layers + 1];
        List<String> names = new ArrayList<>();
        double[][] vocab = new double[layers + 1][];
        for (int i = 0; i <= layers; i++) {
            depths[i] = i;
            names.add(i == 0 ? "embed" : "block " + i);
            vocab[i] = new double[] {r.nextDouble() * 0.01, r.nextDouble() * 0.01};
        }
        return LabelTrajectory.of(WORDS, depths, names, vocab, null, null);
    }

    @Test
    void modelsOfDifferentDepthsShareARelativeDepthAxis() {
        LabelTrajectory base = trajectory(12, 1);
        LabelTrajectory tuned = trajectory(6, 2);
        TrajectoryData data = ModelComparison.trajectory("", new ModelComparison.Model("gpt2", Map.of("this prompt", base)),
                new ModelComparison.Model("gpt2-sst2", Map.of("this prompt", tuned)));
        assertThat(data.relativeX()).isTrue();
        assertThat(data.xTitle()).isEqualTo("relative depth (layer / L)");
        assertThat(data.series()).extracting(Series::name).containsExactly("gpt2 (L = 12)", "gpt2-sst2 (L = 6)");
        assertThat(data.series()).extracting(Series::dash).containsExactly(Series.Dash.SOLID, Series.Dash.DASHED);
        assertThat(data.series().get(0).colorIndex()).isNotEqualTo(data.series().get(1).colorIndex());
        assertThat(data.key()).as("one line per model: the lines are the legend").isEmpty();
        for (int m = 0; m < 2; m++) {
            LabelTrajectory t = m == 0 ? base : tuned;
            int layers = m == 0 ? 12 : 6;
            Series s = data.series().get(m);
            for (int i = 0; i <= layers; i++) {
                assertThat(s.x()[i]).isEqualTo(i / (double) layers);
                // P(positive | labels) = p+ / (p+ + p-), recomputed here
                double[] p = t.vocab()[i];
                assertThat(s.y()[i]).isCloseTo(p[0] / (p[0] + p[1]), within(1e-12));
            }
        }
    }

    @Test
    void modelsOfTheSameDepthKeepTheLayerAxis() {
        TrajectoryData data = ModelComparison.trajectory("", new ModelComparison.Model("a", Map.of("this prompt", trajectory(4, 1))),
                new ModelComparison.Model("b", Map.of("this prompt", trajectory(4, 2))));
        assertThat(data.relativeX()).isFalse();
        assertThat(data.xTitle()).isEqualTo("layer");
        assertThat(data.series()).extracting(Series::name).containsExactly("a", "b");
        assertThat(data.series().get(1).x()).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void severalRunsPerModelGetAKeyOfColoursAndDashes() {
        Map<String, LabelTrajectory> runsA = new LinkedHashMap<>();
        runsA.put("4-shot correct", trajectory(4, 1));
        runsA.put("4-shot flipped", trajectory(4, 2));
        Map<String, LabelTrajectory> runsB = new LinkedHashMap<>();
        runsB.put("4-shot correct", trajectory(4, 3));
        runsB.put("4-shot flipped", trajectory(4, 4));
        TrajectoryData data = ModelComparison.trajectory("", new ModelComparison.Model("a", runsA),
                new ModelComparison.Model("b", runsB));
        assertThat(data.series()).extracting(Series::name)
                .containsExactly("a · 4-shot correct", "a · 4-shot flipped", "b · 4-shot correct", "b · 4-shot flipped");
        assertThat(data.series()).extracting(Series::dash).containsExactly(Series.Dash.SOLID, Series.Dash.SOLID,
                Series.Dash.DASHED, Series.Dash.DASHED);
        // a run has its condition's colour in both models
        assertThat(data.series().get(0).colorIndex()).isEqualTo(ConditionStyle.CORRECT.colorIndex())
                .isEqualTo(data.series().get(2).colorIndex());
        assertThat(data.series().get(1).colorIndex()).isEqualTo(ConditionStyle.FLIPPED.colorIndex());
        assertThat(data.legend()).extracting(Series::name).containsExactly("4-shot correct", "4-shot flipped", "a", "b");
        assertThat(data.legend().get(3).dash()).isEqualTo(Series.Dash.DASHED);
        assertThat(data.legend().get(2).colorIndex()).as("a dash's entry is neutral").isNegative();
    }

    @Test
    void twoModelsThatReadTheSameAreToldApart() {
        assertThat(ModelComparison.names("/a/model", "/b/model")).containsExactly("model (A)", "model (B)");
        assertThat(ModelComparison.names("gpt2", "/runs/gpt2-sst2")).containsExactly("gpt2", "gpt2-sst2");
    }
}
