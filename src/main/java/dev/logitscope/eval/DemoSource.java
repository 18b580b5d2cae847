package dev.logitscope.eval;

import dev.logitscope.prompt.DemoPool;
import dev.logitscope.prompt.Demonstration;
import dev.logitscope.prompt.Sentiment;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Where demonstrations come from: a pool or a train split, never the evaluated reviews. */
public final class DemoSource {

    private DemoSource() {}

    /** A train split as a demonstration pool. */
    public static DemoPool fromDataset(Dataset train) {
        return fromDataset(train, 2);
    }

    /** A train split, labelled for a template of {@code labels} label words, as a demonstration pool. */
    public static DemoPool fromDataset(Dataset train, int labels) {
        return new DemoPool(train.examples().stream().map(e -> new Demonstration(e.text(), e.gold())).toList(), labels);
    }

    /** {@code pool} without any review that is also evaluated (compared ignoring case and spacing). */
    public static DemoPool excluding(DemoPool pool, List<Example> evaluated) {
        Set<String> texts = new HashSet<>();
        for (Example e : evaluated) {
            texts.add(normalize(e.text()));
        }
        return new DemoPool(pool.all().stream().filter(d -> !texts.contains(normalize(d.review()))).toList(),
                pool.labelCount());
    }

    /** Fails before any model work when the pool cannot give {@code shots} balanced demonstrations. */
    public static void checkEnough(DemoPool pool, int shots) {
        int labels = pool.labelCount();
        // k/N each; the k mod N extra ones go to labels chosen by the seed, so any label may need one more
        int perLabel = (shots + labels - 1) / labels;
        for (Sentiment label : Sentiment.first(labels)) {
            int have = pool.withLabel(label).size();
            if (have < perLabel) {
                String name = labels == 2 ? label.key() : "label-" + label.index();
                String problem = "The demonstration pool has " + have + " " + name + " reviews that are"
                        + " not evaluated, but " + shots + " shots need " + perLabel;
                throw new EvalException(EvalInput.DEMO_POOL, w -> problem + "; choose a bigger "
                        + w.name(EvalInput.DEMO_POOL) + " or " + w.name(EvalInput.TRAIN) + " file, or fewer shots.");
            }
        }
    }

    static String normalize(String review) {
        return review.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
