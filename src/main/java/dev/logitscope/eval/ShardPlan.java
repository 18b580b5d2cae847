package dev.logitscope.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a run is cut into shards. The unit of work is a block: {@code block} consecutive examples
 * (in the evaluated order) of one condition, whole passes of examples side by side, each block
 * computed from an empty KV cache by sharded and unsharded runs alike ({@link EvalRunner}), so a
 * shard computes every block exactly as the unsharded run does. Units are laid
 * out in run order (model, then condition, then block) and the sequence is cut into {@code count}
 * contiguous pieces of about equal estimated cost ({@link WorkCost}): a unit goes to the shard
 * its cost midpoint falls in. The same plan, dataset and models give the same pieces every time;
 * each shard touches few models and conditions (it loads a model once and runs each condition's
 * demonstrations once), and no shard is longer than an equal share by more than one block.
 */
public final class ShardPlan {
    /**
     * One block of one condition.
     *
     * @param block the block's number within its condition: examples {@code from} (inclusive) to {@code to}
     */
    public record Unit(Condition condition, int block, int from, int to, double cost) {}

    private final List<Unit> units;
    private final int[] shardOf;
    private final int block;
    private final int count;

    private ShardPlan(List<Unit> units, int[] shardOf, int block, int count) {
        this.units = units;
        this.shardOf = shardOf;
        this.block = block;
        this.count = count;
    }

    /**
     * @param conditions every condition, in run order
     * @param examples   how many examples each condition evaluates
     * @param block      examples per unit ({@link ShardWork#blockSize})
     */
    public static ShardPlan of(List<Condition> conditions, int examples, int block, int count, WorkCost cost) {
        if (block < 1) {
            throw new IllegalArgumentException("block < 1");
        }
        List<Unit> units = new ArrayList<>();
        double total = 0;
        for (Condition c : conditions) {
            for (int from = 0, b = 0; from < examples; from += block, b++) {
                int to = Math.min(examples, from + block);
                double unitCost = 0;
                for (int i = from; i < to; i++) {
                    unitCost += cost.of(c, i);
                }
                units.add(new Unit(c, b, from, to, unitCost));
                total += unitCost;
            }
        }
        int[] shardOf = new int[units.size()];
        double before = 0;
        for (int u = 0; u < units.size(); u++) {
            double mid = before + units.get(u).cost() / 2;
            int s = total > 0 ? (int) Math.floor(mid / total * count) : (int) ((long) u * count / units.size());
            shardOf[u] = Math.max(0, Math.min(count - 1, s));
            before += units.get(u).cost();
        }
        return new ShardPlan(List.copyOf(units), shardOf, block, count);
    }

    public List<Unit> units() {
        return units;
    }

    public int block() {
        return block;
    }

    public int count() {
        return count;
    }

    /** The shard that runs unit {@code u} (an index into {@link #units()}). */
    public int shardOf(int u) {
        return shardOf[u];
    }

    /** The units of one shard, in run order. */
    public List<Unit> units(Shard shard) {
        if (shard.count() != count) {
            throw new IllegalArgumentException("a plan for " + count + " shards, not " + shard.count());
        }
        List<Unit> out = new ArrayList<>();
        for (int u = 0; u < units.size(); u++) {
            if (shardOf[u] == shard.index()) {
                out.add(units.get(u));
            }
        }
        return out;
    }

    /** Estimated cost of each shard, for the log line and tests. */
    public double[] costs() {
        double[] costs = new double[count];
        for (int u = 0; u < units.size(); u++) {
            costs[shardOf[u]] += units.get(u).cost();
        }
        return costs;
    }

    /** Per condition key, the numbers of the blocks a shard owns. */
    public static Map<String, List<Integer>> blocks(List<Unit> owned) {
        Map<String, List<Integer>> out = new java.util.LinkedHashMap<>();
        for (Unit u : owned) {
            out.computeIfAbsent(u.condition().key(), k -> new ArrayList<>()).add(u.block());
        }
        return out;
    }
}
