package dev.logitscope.eval;

import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.Sentiment;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code examples.csv}: one row per example × condition × layer. A condition without
 * demonstrations leaves {@code demo_labels} and {@code seed} empty. Numbers are written with
 * {@link Double#toString}, which reads back to the same double, so a resumed run's summary is the
 * summary of an uninterrupted one. A run read through lenses other than the logit lens ({@code eval
 * --lens}) ends every row with a {@code lens} column (the lens's key); other runs keep the columns
 * they always had.
 */
public final class ExamplesCsv {
    public static final String HEADER = "model,template,shots,demo_labels,seed,method,id,gold,layer,p_positive,"
            + "p_negative,normalized,prediction,calibrated";
    private static final int COLUMNS = 14;

    private ExamplesCsv() {}

    /** The columns before the per-layer numbers, in every layout. */
    private static final String KEY_COLUMNS = "model,template,shots,demo_labels,seed,method,id,gold,layer";

    /**
     * The header for a run whose templates have these label names: {@link #HEADER} for two labels;
     * for more, per label {@code p_NAME}, then {@code normalized_NAME}, the prediction, and {@code
     * calibrated_NAME}, with gold and prediction written as label names.
     */
    public static String header(List<String> labelNames) {
        if (labelNames.size() == 2) {
            return HEADER;
        }
        StringBuilder h = new StringBuilder(KEY_COLUMNS);
        labelNames.forEach(n -> h.append(",p_").append(n));
        labelNames.forEach(n -> h.append(",normalized_").append(n));
        h.append(",prediction");
        labelNames.forEach(n -> h.append(",calibrated_").append(n));
        return h.toString();
    }

    /** The header of the file these results go into (the first result's labels; two labels for none). */
    public static String header(java.util.Collection<ExampleResult> results) {
        return results.isEmpty() ? HEADER : header(results.iterator().next().trajectory().labelNames());
    }

    /** As {@link #header(List)}, with the trailing {@code lens} column when {@code lensColumn}. */
    public static String header(List<String> labelNames, boolean lensColumn) {
        return header(labelNames) + (lensColumn ? "," + LENS : "");
    }

    /** The name of the trailing lens column. */
    public static final String LENS = "lens";

    /** Whether a header ends with the lens column. */
    public static boolean hasLensColumn(String header) {
        return header.endsWith("," + LENS);
    }

    /** The rows of one example, each ending in a newline. */
    public static String rows(ExampleResult r) {
        return rows(r, false);
    }

    /** The rows of one example, each ending in a newline, with the lens column when {@code lensColumn}. */
    public static String rows(ExampleResult r, boolean lensColumn) {
        String end = lensColumn ? "," + Csv.quote(r.condition().lens(), ',') + "\n" : "\n";
        StringBuilder out = new StringBuilder();
        Condition c = r.condition();
        LabelTrajectory t = r.trajectory();
        String prefix = Csv.quote(c.model(), ',') + ',' + Csv.quote(c.template(), ',') + ',' + c.shots() + ','
                + (c.hasDemonstrations() ? c.demoLabels().key() + ',' + c.seed() : ",") + ','
                + c.method().key() + ',' + Csv.quote(r.id(), ',') + ',' + t.labelName(r.gold()) + ',';
        if (t.labels() == 2) {
            double[] pPositive = r.pPositive();
            double[] pNegative = r.pNegative();
            double[] normalized = r.normalized();
            double[] contextual = r.contextual();
            for (int l = 0; l < r.layers(); l++) {
                out.append(prefix).append(l).append(',')
                        .append(pPositive[l]).append(',')
                        .append(pNegative[l]).append(',')
                        .append(normalized[l]).append(',')
                        .append(r.prediction(l).key()).append(',')
                        .append(contextual == null ? "" : Double.toString(contextual[l]))
                        .append(end);
            }
            return out.toString();
        }
        double[][] vocab = t.vocab();
        double[][] normalized = t.normalized();
        double[][] calibrated = t.calibrated();
        for (int l = 0; l < r.layers(); l++) {
            out.append(prefix).append(l);
            for (double v : vocab[l]) {
                out.append(',').append(v);
            }
            for (double v : normalized[l]) {
                out.append(',').append(v);
            }
            out.append(',').append(t.labelName(t.prediction(l)));
            for (int k = 0; k < t.labels(); k++) {
                out.append(',').append(calibrated == null ? "" : Double.toString(calibrated[l][k]));
            }
            out.append(end);
        }
        return out.toString();
    }

    /** What a file holds: its complete examples, and how many rows of a cut-off example were dropped. */
    public record Contents(List<ExampleResult> results, int droppedRows) {
        public Contents {
            results = List.copyOf(results);
        }
    }

    /**
     * Reads a file back. Rows come in runs of layers 0..L per example; a run cut short (the process
     * killed while writing) is dropped, to be computed again.
     */
    public static Contents parse(String source, String content) {
        List<Csv.Record> records = Csv.parse(content, ',');
        List<ExampleResult> results = new ArrayList<>();
        if (records.isEmpty()) {
            return new Contents(results, 0);
        }
        List<String> headerFields = records.get(0).fields();
        boolean lensColumn = !headerFields.isEmpty() && headerFields.get(headerFields.size() - 1).equals(LENS);
        List<String> labels = labelNames(lensColumn ? headerFields.subList(0, headerFields.size() - 1) : headerFields);
        if (labels == null) {
            throw EvalException.at(source, 1, EvalInput.OUT, w -> "not an examples.csv of this version (header "
                    + records.get(0).fields() + "); choose another " + w.name(EvalInput.OUT) + ".");
        }
        int dropped = 0;
        List<Csv.Record> rows = records.subList(1, records.size());
        if (!content.endsWith("\n") && !rows.isEmpty()) {
            // Every row is written with its newline, so a last line without one was cut while
            // being written; it may still parse (a number cut to fewer digits), so never trust it.
            rows = rows.subList(0, rows.size() - 1);
            dropped++;
        }
        List<Row> run = new ArrayList<>();
        for (Csv.Record record : rows) {
            Row row = Row.of(record, labels, lensColumn);
            if (row == null) {
                dropped++; // a torn last line
                continue;
            }
            boolean continues = !run.isEmpty() && row.sameExample(run.get(0)) && row.layer == run.size();
            if (!continues) {
                dropped += closeRun(run, results, labels);
                run.clear();
                if (row.layer != 0) {
                    dropped++;
                    continue;
                }
            }
            run.add(row);
        }
        dropped += closeRun(run, results, labels);
        return new Contents(results, dropped);
    }

    /** The label names a header stands for, or null when it is no examples.csv header of this version. */
    private static List<String> labelNames(List<String> header) {
        if (String.join(",", header).equals(HEADER)) {
            return ExampleResult.TWO_LABELS;
        }
        int fixed = KEY_COLUMNS.split(",").length;
        int rest = header.size() - fixed - 1;
        if (rest < 9 || rest % 3 != 0) {
            return null;
        }
        int n = rest / 3;
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String p = header.get(fixed + i);
            if (!p.startsWith("p_")) {
                return null;
            }
            names.add(p.substring(2));
        }
        return header(names).equals(String.join(",", header)) ? List.copyOf(names) : null;
    }

    /**
     * Turns a run of rows into a result. A run cut short still parses; the caller drops results
     * whose layer count is not the model's ({@link RunFolder}).
     */
    private static int closeRun(List<Row> run, List<ExampleResult> results, List<String> labels) {
        if (run.isEmpty()) {
            return 0;
        }
        int n = run.size();
        double[][] vocab = new double[n][];
        double[][] norm = new double[n][];
        double[][] cal = run.get(0).calibrated == null ? null : new double[n][];
        for (int l = 0; l < n; l++) {
            Row r = run.get(l);
            vocab[l] = r.vocab;
            norm[l] = r.normalized;
            if (cal != null) {
                if (r.calibrated == null) {
                    return n;
                }
                cal[l] = r.calibrated;
            }
        }
        Row first = run.get(0);
        try {
            results.add(new ExampleResult(first.condition, first.id, new LabelTrajectory(labels,
                    ExampleResult.depths(n), ExampleResult.names(n), vocab, null, norm, null, cal, first.gold)));
        } catch (IllegalArgumentException e) {
            return n; // numbers that are no probabilities: computed again
        }
        return 0;
    }

    /** One row: per label its probability, renormalised and calibrated (null without) value. */
    private record Row(Condition condition, String id, Sentiment gold, int layer, double[] vocab, double[] normalized,
            double[] calibrated) {

        boolean sameExample(Row other) {
            return condition.equals(other.condition) && id.equals(other.id);
        }

        static Row of(Csv.Record record, List<String> labels, boolean lensColumn) {
            List<String> f = record.fields();
            String lens = Condition.LOGIT;
            if (lensColumn) {
                if (f.isEmpty() || f.get(f.size() - 1).isEmpty()) {
                    return null;
                }
                lens = f.get(f.size() - 1);
                f = f.subList(0, f.size() - 1);
            }
            int n = labels.size();
            boolean two = n == 2;
            int columns = two ? COLUMNS : KEY_COLUMNS.split(",").length + 3 * n + 1;
            if (record.error() != null || f.size() != columns) {
                return null;
            }
            try {
                int shots = Integer.parseInt(f.get(2));
                boolean none = f.get(3).isEmpty() && f.get(4).isEmpty();
                if (none != (shots == 0)) {
                    return null; // demo labels and seed belong to a prompt with demonstrations, and only there
                }
                Condition c = new Condition(f.get(0), f.get(1), shots, none ? DemoLabels.CORRECT : DemoLabels.parse(f.get(3)),
                        none ? 0 : Long.parseLong(f.get(4)), ScoringMethod.parse(f.get(5)), lens);
                int layer = Integer.parseInt(f.get(8));
                if (two) {
                    double normalized = Double.parseDouble(f.get(11));
                    return new Row(c, f.get(6), Sentiment.parse(f.get(7)), layer,
                            new double[] {Double.parseDouble(f.get(9)), Double.parseDouble(f.get(10))},
                            new double[] {normalized, 1 - normalized},
                            f.get(13).isEmpty() ? null : pair(Double.parseDouble(f.get(13))));
                }
                int gold = labels.indexOf(f.get(7));
                if (gold < 0) {
                    return null;
                }
                double[] vocab = numbers(f, 9, n);
                double[] normalized = numbers(f, 9 + n, n);
                boolean calibrated = !f.get(10 + 2 * n).isEmpty();
                return new Row(c, f.get(6), Sentiment.of(gold), layer, vocab, normalized,
                        calibrated ? numbers(f, 10 + 2 * n, n) : null);
            } catch (RuntimeException e) {
                return null;
            }
        }

        private static double[] pair(double positive) {
            return new double[] {positive, 1 - positive};
        }

        private static double[] numbers(List<String> f, int from, int n) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = Double.parseDouble(f.get(from + i));
            }
            return out;
        }
    }
}
