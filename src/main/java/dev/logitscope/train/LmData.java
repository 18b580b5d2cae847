package dev.logitscope.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Labelled reviews laid out for the causal-LM objective ({@link LmFormat}).
 *
 * @param sequences     what the model reads: blocks or single examples, each from position 0
 * @param targets       per token of {@link #sequences}, whether the loss predicts it (never position 0)
 * @param examples      each formatted example's tokens (the label read in context, for accuracy)
 * @param labelStart    per example, the index of its label's first token
 * @param gold          per example, its class index
 * @param classFirstIds per class, the first token of its label in the template (what accuracy compares)
 */
public record LmData(int[][] sequences, boolean[][] targets, int[][] examples, int[] labelStart, int[] gold,
        int[] classFirstIds) {

    /**
     * Formats and tokenizes {@code reviews} as {@code format} says. Sequences without a single
     * target (a block holding no label, with {@code --loss-on label}) are left out.
     *
     * @param classes class names by index, the words put in for {@code {label}}
     * @throws IllegalArgumentException when the label does not begin a token of its own after the
     *                                  text before it, or the data fill not a single block
     */
    public static LmData of(List<String> reviews, int[] labels, List<String> classes, LmFormat format,
            Function<String, int[]> encode) {
        int n = reviews.size();
        int[][] examples = new int[n][];
        boolean[][] masks = new boolean[n][];
        int[] labelStart = new int[n];
        for (int i = 0; i < n; i++) {
            String prefix = format.prefix(reviews.get(i));
            String name = classes.get(labels[i]);
            int[] before = encode.apply(prefix);
            int[] upToLabelEnd = encode.apply(prefix + format.labelText(name).substring(0,
                    format.labelText(name).indexOf(name) + name.length()));
            int[] full = encode.apply(prefix + format.labelText(name));
            if (!startsWith(full, before) || !startsWith(full, upToLabelEnd) || upToLabelEnd.length == before.length) {
                throw new IllegalArgumentException("in the template the label does not start a token of its own after the"
                        + " text before it (example " + (i + 1) + "); put a space or a line break before {label}");
            }
            examples[i] = full;
            labelStart[i] = before.length;
            masks[i] = new boolean[full.length];
            for (int t = 0; t < full.length; t++) { // position 0 of a sequence is cleared below
                masks[i][t] = format.lossOn() == LmFormat.LossOn.ALL || (t >= before.length && t < upToLabelEnd.length);
            }
        }
        int[] classFirstIds = new int[classes.size()];
        if (n > 0) {
            String prefix = format.prefix(reviews.get(0));
            int at = encode.apply(prefix).length;
            for (int k = 0; k < classes.size(); k++) {
                classFirstIds[k] = encode.apply(prefix + format.labelText(classes.get(k)))[at];
            }
        }
        List<int[]> sequences = new ArrayList<>();
        List<boolean[]> targets = new ArrayList<>();
        if (format.blockSize() == 0) {
            for (int i = 0; i < n; i++) {
                masks[i][0] = false; // nothing before it to predict it from
                add(sequences, targets, examples[i], masks[i]);
            }
        } else {
            block(examples, masks, format.blockSize(), sequences, targets);
        }
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException(format.blockSize() > 0
                    ? "the data do not fill one block of " + format.blockSize() + " tokens with a target in it"
                    : "no example has a token to predict");
        }
        return new LmData(sequences.toArray(int[][]::new), targets.toArray(boolean[][]::new), examples, labelStart,
                labels.clone(), classFirstIds);
    }

    /** run_clm's group_texts: every example's tokens end to end, cut into whole blocks, the rest dropped. */
    private static void block(int[][] examples, boolean[][] masks, int size, List<int[]> sequences, List<boolean[]> targets) {
        int total = 0;
        for (int[] e : examples) {
            total += e.length;
        }
        int[] ids = new int[total];
        boolean[] mask = new boolean[total];
        int at = 0;
        for (int i = 0; i < examples.length; i++) {
            System.arraycopy(examples[i], 0, ids, at, examples[i].length);
            System.arraycopy(masks[i], 0, mask, at, masks[i].length);
            at += examples[i].length;
        }
        for (int from = 0; from + size <= total; from += size) {
            boolean[] m = Arrays.copyOfRange(mask, from, from + size);
            m[0] = false; // the first token of a block has nothing before it to predict it from
            add(sequences, targets, Arrays.copyOfRange(ids, from, from + size), m);
        }
    }

    private static void add(List<int[]> sequences, List<boolean[]> targets, int[] ids, boolean[] mask) {
        for (boolean b : mask) {
            if (b) {
                sequences.add(ids);
                targets.add(mask);
                return;
            }
        }
    }

    private static boolean startsWith(int[] ids, int[] prefix) {
        return ids.length >= prefix.length && Arrays.equals(ids, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Tokens the loss predicts, over every sequence. */
    public long targetCount() {
        long n = 0;
        for (boolean[] mask : targets) {
            for (boolean b : mask) {
                n += b ? 1 : 0;
            }
        }
        return n;
    }
}
