package dev.logitscope.eval;

import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.Sentiment;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code examples.csv}: one row per example × condition × layer. A condition without
 * demonstrations leaves {@code demo_labels} and {@code seed} empty. Numbers are written with
 * {@link Double#toString}, which reads back to the same double, so a resumed run's summary is the
 * summary of an uninterrupted one.
 */
public final class ExamplesCsv {
    public static final String HEADER = "model,template,shots,demo_labels,seed,method,id,gold,layer,p_positive,"
            + "p_negative,normalized,prediction,calibrated";
    private static final int COLUMNS = 14;

    private ExamplesCsv() {}

    /** The rows of one example, each ending in a newline. */
    public static String rows(ExampleResult r) {
        StringBuilder out = new StringBuilder();
        Condition c = r.condition();
        String prefix = Csv.quote(c.model(), ',') + ',' + Csv.quote(c.template(), ',') + ',' + c.shots() + ','
                + (c.hasDemonstrations() ? c.demoLabels().key() + ',' + c.seed() : ",") + ','
                + c.method().key() + ',' + Csv.quote(r.id(), ',') + ',' + r.gold().key() + ',';
        for (int l = 0; l < r.layers(); l++) {
            out.append(prefix).append(l).append(',')
                    .append(r.pPositive()[l]).append(',')
                    .append(r.pNegative()[l]).append(',')
                    .append(r.normalized()[l]).append(',')
                    .append(r.prediction(l).key()).append(',')
                    .append(r.contextual() == null ? "" : Double.toString(r.contextual()[l]))
                    .append('\n');
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
        if (!String.join(",", records.get(0).fields()).equals(HEADER)) {
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
            Row row = Row.of(source, record);
            if (row == null) {
                dropped++; // a torn last line
                continue;
            }
            boolean continues = !run.isEmpty() && row.sameExample(run.get(0)) && row.layer == run.size();
            if (!continues) {
                dropped += closeRun(run, results);
                run.clear();
                if (row.layer != 0) {
                    dropped++;
                    continue;
                }
            }
            run.add(row);
        }
        dropped += closeRun(run, results);
        return new Contents(results, dropped);
    }

    /**
     * Turns a run of rows into a result. A run cut short still parses; the caller drops results
     * whose layer count is not the model's ({@link RunFolder}).
     */
    private static int closeRun(List<Row> run, List<ExampleResult> results) {
        if (run.isEmpty()) {
            return 0;
        }
        int n = run.size();
        double[] pos = new double[n];
        double[] neg = new double[n];
        double[] norm = new double[n];
        double[] cal = run.get(0).calibrated == null ? null : new double[n];
        for (int l = 0; l < n; l++) {
            Row r = run.get(l);
            pos[l] = r.pPositive;
            neg[l] = r.pNegative;
            norm[l] = r.normalized;
            if (cal != null) {
                if (r.calibrated == null) {
                    return n;
                }
                cal[l] = r.calibrated;
            }
        }
        Row first = run.get(0);
        results.add(new ExampleResult(first.condition, first.id, first.gold, pos, neg, norm, cal));
        return 0;
    }

    private record Row(Condition condition, String id, Sentiment gold, int layer, double pPositive, double pNegative,
            double normalized, Double calibrated) {

        boolean sameExample(Row other) {
            return condition.equals(other.condition) && id.equals(other.id);
        }

        static Row of(String source, Csv.Record record) {
            List<String> f = record.fields();
            if (record.error() != null || f.size() != COLUMNS) {
                return null;
            }
            try {
                int shots = Integer.parseInt(f.get(2));
                boolean none = f.get(3).isEmpty() && f.get(4).isEmpty();
                if (none != (shots == 0)) {
                    return null; // demo labels and seed belong to a prompt with demonstrations, and only there
                }
                Condition c = new Condition(f.get(0), f.get(1), shots, none ? DemoLabels.CORRECT : DemoLabels.parse(f.get(3)),
                        none ? 0 : Long.parseLong(f.get(4)), ScoringMethod.parse(f.get(5)));
                return new Row(c, f.get(6), Sentiment.parse(f.get(7)), Integer.parseInt(f.get(8)),
                        Double.parseDouble(f.get(9)), Double.parseDouble(f.get(10)), Double.parseDouble(f.get(11)),
                        f.get(13).isEmpty() ? null : Double.parseDouble(f.get(13)));
            } catch (RuntimeException e) {
                return null;
            }
        }
    }
}
