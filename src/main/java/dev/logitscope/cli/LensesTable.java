package dev.logitscope.cli;

import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.analysis.LensComparison;
import dev.logitscope.analysis.LensesJson;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.TrackedWord;
import dev.logitscope.prompt.Sentiment;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The readable form of one run read through several lenses: the lenses side by side, a column
 * group per lens over the same layer rows (three groups fit in 100 columns; more lenses continue
 * in another block), then each lens's verdict naming it and the plain-only-reversal sentence.
 */
final class LensesTable {
    /** Lens groups per block: three keep a row within 100 columns. */
    private static final int GROUPS_PER_BLOCK = 3;
    private static final String GAP = "  ";

    private LensesTable() {}

    static void print(PrintWriter out, LensComparison comparison, boolean allPositions) {
        List<Map.Entry<LensChoice, PromptAnalysis>> runs = new ArrayList<>(comparison.runs().entrySet());
        PromptAnalysis first = runs.get(0).getValue();
        AnalysisTable.printPreamble(out, first, false);
        for (var run : runs) {
            out.println("lens " + run.getKey().key() + ": " + run.getValue().lens().lens()
                    + (run.getKey().isClassifier() ? " (reads the review as it is)" : ""));
        }
        boolean gold = first.gold() != null;
        for (int from = 0; from < runs.size(); from += GROUPS_PER_BLOCK) {
            List<Map.Entry<LensChoice, PromptAnalysis>> block = runs.subList(from, Math.min(runs.size(), from + GROUPS_PER_BLOCK));
            StringBuilder titles = new StringBuilder(" ".repeat(LensTable.LAYER_COLUMN));
            StringBuilder header = new StringBuilder(Cells.left("layer", LensTable.LAYER_COLUMN));
            for (var run : block) {
                LabelTrajectory t = run.getValue().trajectory();
                String group = reviewGroup(t.labels() == 2 ? (t.isCalibrated() ? "cal+" : "norm+") : (t.isCalibrated() ? "cal" : "norm"),
                        "pred", gold ? "ok" : null, "KL");
                titles.append(GAP).append(Cells.left(Cells.fit(run.getKey().key(), Cells.width(group)), Cells.width(group)));
                header.append(GAP).append(group);
            }
            out.println(titles.toString().stripTrailing());
            out.println(header);
            int taps = block.stream().mapToInt(r -> r.getValue().trajectory().taps()).max().orElse(0);
            for (int tap = 0; tap < taps; tap++) {
                StringBuilder row = new StringBuilder(Cells.left(first.trajectory().name(Math.min(tap, first.trajectory().taps() - 1)),
                        LensTable.LAYER_COLUMN));
                for (var run : block) {
                    row.append(GAP).append(reviewCells(run.getValue(), tap, gold));
                }
                out.println(row.toString().stripTrailing());
            }
        }
        for (var run : runs) {
            out.println(LensesJson.verdictSentence(run.getValue()));
        }
        comparison.plainOnlyReversal().ifPresent(out::println);
        if (allPositions) {
            for (var run : runs) {
                out.println();
                out.println("lens " + run.getKey().key() + ":");
                TokenLayerGrid.print(out, run.getValue().lens());
            }
        }
    }

    private static String reviewGroup(String value, String pred, String ok, String kl) {
        return String.format(Locale.ROOT, "%7s %-8s", value, pred) + (ok == null ? "" : String.format(Locale.ROOT, " %-3s", ok))
                + String.format(Locale.ROOT, " %7s", kl);
    }

    /** The decisive value (calibrated when asked), prediction, verdict and KL of one lens at one layer. */
    private static String reviewCells(PromptAnalysis a, int tap, boolean gold) {
        LabelTrajectory t = a.trajectory();
        if (tap >= t.taps()) {
            return reviewGroup("", "", gold ? "" : null, "");
        }
        boolean two = t.labels() == 2;
        Sentiment prediction = t.decisivePrediction(tap);
        double value = t.decisive(tap, two ? Sentiment.POSITIVE : prediction);
        Boolean correct = t.isCalibrated() ? t.calibratedCorrect(tap) : t.correct(tap);
        double kl = a.lens().lastKlToFinal()[tap];
        return String.format(Locale.ROOT, "%7.4f %-8s", value, Cells.fit(t.labelName(prediction), 8))
                + (gold ? String.format(Locale.ROOT, " %-3s", correct == null ? "" : correct ? "yes" : "no") : "")
                + String.format(Locale.ROOT, " %7.3f", kl);
    }

    /** An exact prompt through several lenses: per lens the tracked words' probabilities and KL, side by side. */
    static void print(PrintWriter out, Map<LensChoice, LensReport> reports, boolean allPositions) {
        List<Map.Entry<LensChoice, LensReport>> runs = new ArrayList<>(reports.entrySet());
        LensReport first = runs.get(0).getValue();
        out.printf(Locale.ROOT, "%s  (%d layers, %d tokens)%n", first.model().source(), first.model().shape().nLayer(),
                first.tokens().size());
        LensTable.printReadout(out, first.model());
        for (var run : runs) {
            out.println("lens " + run.getKey().key() + ": " + run.getValue().lens());
        }
        for (TrackedWord word : first.tracked()) {
            if (word.isMultiToken()) {
                out.printf(Locale.ROOT, "note: '%s' is %d tokens; the lens reads its first token%n",
                        Cells.token(word.word()), word.tokenIds().length);
            }
        }
        for (int from = 0; from < runs.size(); from += GROUPS_PER_BLOCK) {
            List<Map.Entry<LensChoice, LensReport>> block = runs.subList(from, Math.min(runs.size(), from + GROUPS_PER_BLOCK));
            StringBuilder titles = new StringBuilder(" ".repeat(LensTable.LAYER_COLUMN));
            StringBuilder header = new StringBuilder(Cells.left("layer", LensTable.LAYER_COLUMN));
            for (var run : block) {
                StringBuilder group = new StringBuilder();
                for (TrackedWord word : run.getValue().tracked()) {
                    group.append(group.length() == 0 ? "" : " ").append(LensTable.probabilityHeader(word.word()));
                }
                group.append(String.format(Locale.ROOT, " %7s", "KL"));
                titles.append(GAP).append(Cells.left(Cells.fit(run.getKey().key(), group.length()), group.length()));
                header.append(GAP).append(group);
            }
            out.println(titles.toString().stripTrailing());
            out.println(header);
            List<dev.logitscope.lens.LayerReading> rows = first.blockLayers();
            for (int i = 0; i < rows.size(); i++) {
                StringBuilder row = new StringBuilder(Cells.left(rows.get(i).name(), LensTable.LAYER_COLUMN));
                for (var run : block) {
                    LensReport r = run.getValue();
                    double[] probs = r.blockLayers().get(i).last().trackedProbs();
                    StringBuilder group = new StringBuilder();
                    for (int w = 0; w < probs.length; w++) {
                        group.append(w == 0 ? "" : " ").append(Cells.right(Cells.probability(probs[w]),
                                LensTable.columnWidth(r.tracked().get(w).word())));
                    }
                    group.append(String.format(Locale.ROOT, " %7.3f", r.meanKlToFinal()[i]));
                    row.append(GAP).append(group);
                }
                out.println(row);
            }
        }
        if (runs.size() > 0 && first.blockLayers().get(0).positions().size() > 1) {
            out.println("KL: KL(final ‖ layer) in nats, the mean over the " + first.blockLayers().get(0).positions().size()
                    + " positions read");
        }
        if (allPositions) {
            for (var run : runs) {
                out.println();
                out.println("lens " + run.getKey().key() + ":");
                TokenLayerGrid.print(out, run.getValue());
            }
        }
    }
}
