package dev.logitscope.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.Sentiment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cut of a run into shards: whole blocks, every block once, contiguous, balanced by cost. */
class ShardPlanTest {

    private static List<Example> examples(int n, long seed) {
        Random r = new Random(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Example("ex" + i, "x".repeat(5 + r.nextInt(400)), i % 2 == 0 ? Sentiment.POSITIVE : Sentiment.NEGATIVE));
        }
        return out;
    }

    private static List<Condition> conditions(String... models) {
        List<Condition> out = new ArrayList<>();
        for (String m : models) {
            out.add(new Condition(m, "t", 0, DemoLabels.CORRECT, 0, ScoringMethod.NEXT_TOKEN));
            for (DemoLabels l : List.of(DemoLabels.CORRECT, DemoLabels.FLIPPED)) {
                out.add(new Condition(m, "t", 4, l, 0, ScoringMethod.NEXT_TOKEN));
            }
        }
        return out;
    }

    @Test
    void everyBlockIsInExactlyOneShardAndEachShardIsAContiguousRun() {
        List<Example> ex = examples(1000, 1);
        ShardPlan plan = ShardPlan.of(conditions("small", "big"), ex.size(), 16, 7,
                WorkCost.byLength(Map.of("small", 82_000_000L, "big", 1_560_000_000L), ex));
        assertThat(plan.units()).hasSize(6 * 63); // 1000 / 16 rounded up, per condition
        int previous = 0;
        for (int u = 0; u < plan.units().size(); u++) {
            assertThat(plan.shardOf(u)).isBetween(previous, previous + 1);
            previous = plan.shardOf(u);
        }
        int total = 0;
        for (int s = 0; s < 7; s++) {
            total += plan.units(new Shard(s, 7)).size();
        }
        assertThat(total).isEqualTo(plan.units().size());
        assertThat(plan.units().get(plan.units().size() - 1).to()).isEqualTo(1000);
        assertThat(plan.units().get(plan.units().size() - 1).from()).isEqualTo(992);
    }

    @Test
    void shardsAreBalancedByCostNotByCount() {
        List<Example> ex = examples(2000, 2);
        Map<String, Long> params = Map.of("small", 82_000_000L, "big", 1_560_000_000L);
        WorkCost cost = WorkCost.byLength(params, ex);
        ShardPlan plan = ShardPlan.of(conditions("small", "big"), ex.size(), 16, 8, cost);
        double[] costs = plan.costs();
        double total = 0;
        double maxUnit = 0;
        for (ShardPlan.Unit u : plan.units()) {
            total += u.cost();
            maxUnit = Math.max(maxUnit, u.cost());
            // the cost is recomputed here independently: parameters × (characters + 1) of each example
            double expected = 0;
            for (int i = u.from(); i < u.to(); i++) {
                expected += (double) params.get(u.condition().model()) * (ex.get(i).text().length() + 1);
            }
            assertThat(u.cost()).isEqualTo(expected);
        }
        for (double c : costs) {
            assertThat(Math.abs(c - total / 8)).isLessThanOrEqualTo(maxUnit);
        }
        // by count the big model's shards would hold ~19× the work; by cost they hold as many blocks as fit a share
        long smallBlocksInShard0 = plan.units(new Shard(0, 8)).stream().filter(u -> u.condition().model().equals("small")).count();
        long bigBlocksInShard7 = plan.units(new Shard(7, 8)).stream().filter(u -> u.condition().model().equals("big")).count();
        assertThat(smallBlocksInShard0).isGreaterThan(5 * bigBlocksInShard7);
    }

    @Test
    void theSameInputsGiveTheSamePlan() {
        List<Example> ex = examples(500, 3);
        WorkCost cost = WorkCost.byLength(Map.of("a", 124_000_000L), ex);
        ShardPlan one = ShardPlan.of(conditions("a"), ex.size(), 8, 3, cost);
        ShardPlan two = ShardPlan.of(conditions("a"), ex.size(), 8, 3, WorkCost.byLength(Map.of("a", 124_000_000L), ex));
        for (int u = 0; u < one.units().size(); u++) {
            assertThat(one.shardOf(u)).isEqualTo(two.shardOf(u));
        }
    }

    @Test
    void moreShardsThanBlocksLeavesSomeEmpty() {
        List<Example> ex = examples(3, 4);
        ShardPlan plan = ShardPlan.of(List.of(conditions("a").get(0)), ex.size(), 16, 4,
                WorkCost.byLength(Map.of("a", 1L), ex));
        assertThat(plan.units()).hasSize(1);
        int nonEmpty = 0;
        for (int s = 0; s < 4; s++) {
            nonEmpty += plan.units(new Shard(s, 4)).isEmpty() ? 0 : 1;
        }
        assertThat(nonEmpty).isEqualTo(1);
    }
}
