package dev.logitscope.prompt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Chooses demonstrations from a pool: deterministic for a seed, balanced across labels, and never
 * the query review itself.
 *
 * <p>Each label's list is shuffled with the seed and read from the front, skipping the query; so
 * for one seed every query gets the same demonstrations except where one of them is the query.
 */
public final class DemoSelector {

    private DemoSelector() {}

    /**
     * Picks {@code shots.k()} demonstrations: k/2 of each label; for an odd k the extra one goes to
     * positive for an even seed and to negative for an odd seed, so consecutive seeds balance out.
     */
    public static List<Demonstration> select(DemoPool pool, String queryReview, Shots shots, DemoOrder order,
            long seed) {
        return select(pool, queryReview, shots, order, seed, 2);
    }

    /**
     * As {@link #select(DemoPool, String, Shots, DemoOrder, long)} for a template of {@code labels}
     * label words: k/N of each label, the k mod N extra ones to the labels from (seed mod N) on,
     * cyclically; alternating order goes round the labels. Two labels choose exactly as before.
     */
    public static List<Demonstration> select(DemoPool pool, String queryReview, Shots shots, DemoOrder order,
            long seed, int labels) {
        int k = shots.k();
        if (k == 0) {
            return List.of();
        }
        if (pool.labelCount() != labels) {
            throw new PromptException("The template has " + labels + " label words but the demonstration pool's"
                    + " labels are for " + pool.labelCount() + (pool.labelCount() == 2 ? " (positive/negative)" : "")
                    + "; give a demonstration pool labelled with the template's labels, or use zero shots.");
        }
        if (labels != 2) {
            return selectAmong(pool, queryReview, k, order, seed, labels);
        }
        Sentiment extra = Math.floorMod(seed, 2) == 0 ? Sentiment.POSITIVE : Sentiment.NEGATIVE;
        int positives = k / 2 + (k % 2 == 1 && extra == Sentiment.POSITIVE ? 1 : 0);
        int negatives = k - positives;
        Random random = new Random(seed);
        String query = normalize(queryReview);
        List<Demonstration> pos = take(pool, Sentiment.POSITIVE, positives, query, random);
        List<Demonstration> neg = take(pool, Sentiment.NEGATIVE, negatives, query, random);
        return order == DemoOrder.SHUFFLED ? shuffled(pos, neg, random) : alternating(pos, neg);
    }

    private static List<Demonstration> selectAmong(DemoPool pool, String queryReview, int k, DemoOrder order,
            long seed, int labels) {
        Random random = new Random(seed);
        String query = normalize(queryReview);
        int start = (int) Math.floorMod(seed, (long) labels);
        List<List<Demonstration>> perLabel = new ArrayList<>(labels);
        for (int i = 0; i < labels; i++) {
            int extra = Math.floorMod(i - start, labels) < k % labels ? 1 : 0;
            perLabel.add(take(pool, Sentiment.of(i), k / labels + extra, query, random));
        }
        List<Demonstration> out = new ArrayList<>(k);
        if (order == DemoOrder.SHUFFLED) {
            perLabel.forEach(out::addAll);
            Collections.shuffle(out, random);
            return List.copyOf(out);
        }
        for (int round = 0; out.size() < k; round++) {
            for (int j = 0; j < labels; j++) {
                List<Demonstration> list = perLabel.get((start + j) % labels);
                if (round < list.size()) {
                    out.add(list.get(round));
                }
            }
        }
        return List.copyOf(out);
    }

    private static List<Demonstration> take(DemoPool pool, Sentiment label, int n, String query, Random random) {
        List<Demonstration> candidates = new ArrayList<>(pool.withLabel(label));
        Collections.shuffle(candidates, random);
        List<Demonstration> chosen = new ArrayList<>(n);
        for (Demonstration d : candidates) {
            if (chosen.size() == n) {
                break;
            }
            if (!normalize(d.review()).equals(query)) {
                chosen.add(d);
            }
        }
        if (chosen.size() < n) {
            throw new PromptException("The demonstration pool has only " + chosen.size() + " usable " + (pool.labelCount() == 2 ? label.key() : "label-" + label.index())
                    + " reviews, but " + n + " are needed; use fewer shots or a bigger pool.");
        }
        return chosen;
    }

    private static List<Demonstration> alternating(List<Demonstration> pos, List<Demonstration> neg) {
        List<Demonstration> first = pos.size() >= neg.size() ? pos : neg;
        List<Demonstration> second = first == pos ? neg : pos;
        List<Demonstration> out = new ArrayList<>(pos.size() + neg.size());
        for (int i = 0; i < first.size(); i++) {
            out.add(first.get(i));
            if (i < second.size()) {
                out.add(second.get(i));
            }
        }
        return List.copyOf(out);
    }

    private static List<Demonstration> shuffled(List<Demonstration> pos, List<Demonstration> neg, Random random) {
        List<Demonstration> out = new ArrayList<>(pos);
        out.addAll(neg);
        Collections.shuffle(out, random);
        return List.copyOf(out);
    }

    /** Same review despite case or spacing differences. */
    static String normalize(String review) {
        return review == null ? "" : review.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
