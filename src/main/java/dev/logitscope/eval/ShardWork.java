package dev.logitscope.eval;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The blocks one shard runs ({@link ShardPlan}): per condition, which blocks of {@code block}
 * consecutive examples. An unsharded run owns every block.
 */
public final class ShardWork {
    private final Shard shard;
    private final int block;
    private final int examples;
    private final Map<String, Set<Integer>> blocks = new HashMap<>();

    private ShardWork(Shard shard, int block, int examples) {
        this.shard = shard;
        this.block = block;
        this.examples = examples;
    }

    /** Examples per block by default: about this many, in whole passes. */
    public static final int DEFAULT_BLOCK = 64;

    /**
     * Examples per block: whole passes of {@code perPass} examples, {@code requested} or
     * {@link #DEFAULT_BLOCK} rounded up to a multiple of {@code perPass}.
     */
    public static int blockSize(int perPass, Integer requested) {
        int want = requested == null ? DEFAULT_BLOCK : Math.max(1, requested);
        return (want + perPass - 1) / perPass * perPass;
    }

    /** Every block of every condition. */
    public static ShardWork whole(int block, int examples) {
        return new ShardWork(Shard.WHOLE, block, examples);
    }

    public static ShardWork of(Shard shard, ShardPlan plan, int examples) {
        ShardWork work = new ShardWork(shard, plan.block(), examples);
        for (ShardPlan.Unit u : plan.units(shard)) {
            work.blocks.computeIfAbsent(u.condition().key(), k -> new HashSet<>()).add(u.block());
        }
        return work;
    }

    public Shard shard() {
        return shard;
    }

    /** Examples per block. */
    public int block() {
        return block;
    }

    public boolean owns(Condition c, int blockNumber) {
        return shard.whole() || blocks.getOrDefault(c.key(), Set.of()).contains(blockNumber);
    }

    /** Whether the shard runs any block of these conditions. */
    public boolean ownsAny(List<Condition> conditions) {
        return shard.whole() || conditions.stream().anyMatch(c -> !blocks.getOrDefault(c.key(), Set.of()).isEmpty());
    }

    /** How many examples of {@code c} the shard evaluates. */
    public int examples(Condition c) {
        if (shard.whole()) {
            return examples;
        }
        int n = 0;
        for (int b : blocks.getOrDefault(c.key(), Set.of())) {
            n += Math.min(examples, (b + 1) * block) - b * block;
        }
        return n;
    }
}
