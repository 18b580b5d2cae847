package dev.logitscope.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Which examples of a dataset are evaluated: a seeded random sample of {@code sample}, then the
 * first {@code limit}; the chosen ones keep their file order.
 *
 * @param limit  at most this many (null: all)
 * @param sample a random sample of this many (null: no sampling)
 * @param seed   the sample's seed: the same seed gives the same sample
 */
public record Selection(Integer limit, Integer sample, long seed) {
    public static final Selection ALL = new Selection(null, null, 0);

    public Selection {
        if (limit != null && limit < 1) {
            throw new EvalException(EvalInput.LIMIT, w -> w.name(EvalInput.LIMIT) + " must be at least 1, not " + limit + ".");
        }
        if (sample != null && sample < 1) {
            throw new EvalException(EvalInput.SAMPLE, w -> w.name(EvalInput.SAMPLE) + " must be at least 1, not " + sample
                    + ".");
        }
    }

    public List<Example> apply(List<Example> examples) {
        List<Example> chosen = examples;
        if (sample != null && sample < examples.size()) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < examples.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(seed));
            chosen = order.subList(0, sample).stream().sorted(Comparator.naturalOrder()).map(examples::get).toList();
        }
        if (limit != null && limit < chosen.size()) {
            chosen = chosen.subList(0, limit);
        }
        return List.copyOf(chosen);
    }
}
