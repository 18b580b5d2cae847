package dev.logitscope.cli;

import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.analysis.LossLayer;
import dev.logitscope.analysis.LossScore;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.prompt.UsedDemo;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** The readable form of a prompt analysis: the prompt, one row per layer, the overthinking verdict. */
final class AnalysisTable {
    private AnalysisTable() {}

    static void print(PrintWriter out, PromptAnalysis a, boolean allPositions) {
        printPreamble(out, a, true);
        printLayers(out, a, allPositions);
    }

    /** The model, the condition, the demonstrations, the notes and the prompt: what every lens of a run shares. */
    static void printPreamble(PrintWriter out, PromptAnalysis a, boolean nameLens) {
        var recipe = a.request().recipe();
        out.printf(Locale.ROOT, "%s  (%d layers)  template %s, %s, demo labels %s, seed %d%s%n",
                a.lens().model().source(), a.lens().model().shape().nLayer(), a.template().name(),
                recipe.shots().label(), recipe.demoLabels().key(), recipe.seed(),
                a.gold() == null ? "" : ", gold " + a.trajectory().labelName(a.gold()));
        LensTable.printReadout(out, a.lens().model());
        if (nameLens) {
            LensTable.printLens(out, a.lens().lens());
        }
        for (UsedDemo demo : a.prompt().demos()) {
            out.printf(Locale.ROOT, "demo: %-8s%s %s%n", a.trajectory().labelName(demo.shown()),
                    demo.flipped() ? " (flipped)" : "",
                    demo.review());
        }
        for (String warning : a.warnings()) {
            out.println("note: " + warning);
        }
        out.printf(Locale.ROOT, "prompt (%d tokens):%n", a.promptTokens());
        for (String line : a.prompt().text().split("\n", -1)) {
            out.println("  | " + line);
        }
    }

    private static void printLayers(PrintWriter out, PromptAnalysis a, boolean allPositions) {
        boolean calibrated = a.calibration() != null;
        LabelTrajectory t = a.trajectory();
        boolean two = t.labels() == 2;
        List<String> words = t.words();
        StringBuilder header = new StringBuilder(Cells.left("layer", LensTable.LAYER_COLUMN));
        for (String word : words) {
            header.append(' ').append(LensTable.probabilityHeader(word));
        }
        // Two labels: P(positive | labels) and the log-odds, as always; more: P(predicted | labels).
        header.append(two ? String.format(Locale.ROOT, " %7s %9s %-8s", "norm+", "log-odds", "pred")
                : String.format(Locale.ROOT, " %7s %-8s", "norm", "pred"));
        if (a.gold() != null) {
            header.append(String.format(Locale.ROOT, " %-3s", "ok"));
        }
        if (calibrated) {
            header.append(String.format(Locale.ROOT, " %7s %-8s", two ? "cal+" : "cal", "cal"));
            if (a.gold() != null) {
                header.append(String.format(Locale.ROOT, " %-3s", "ok"));
            }
        }
        int verdictColumnsEnd = Cells.width(header.toString()); // mid-block rows have no verdict: pad them to here
        header.append(String.format(Locale.ROOT, " %8s %8s  %s", "entropy", "KL", "top tokens"));
        out.println(header);
        int next = 0;
        for (LayerReading layer : a.lens().layers()) {
            PositionReading last = layer.last();
            StringBuilder row = new StringBuilder(Cells.left(layer.name(), LensTable.LAYER_COLUMN));
            for (int w = 0; w < words.size(); w++) {
                row.append(' ').append(Cells.right(Cells.probability(last.trackedProbs()[w]),
                        LensTable.columnWidth(words.get(w))));
            }
            if (layer.midBlock()) {
                row.append(" ".repeat(Math.max(0, verdictColumnsEnd - Cells.width(row.toString()))));
            } else {
                int tap = next++;
                Sentiment prediction = t.prediction(tap);
                if (two) {
                    row.append(String.format(Locale.ROOT, " %7.4f %9.3f %-8s", t.normalized(tap, Sentiment.POSITIVE),
                            t.logOdds(tap), t.labelName(prediction)));
                } else {
                    row.append(String.format(Locale.ROOT, " %7.4f %-8s", t.normalized(tap, prediction),
                            t.labelName(prediction)));
                }
                if (t.correct(tap) != null) {
                    row.append(String.format(Locale.ROOT, " %-3s", mark(t.correct(tap))));
                }
                if (calibrated) {
                    Sentiment c = t.calibratedPrediction(tap);
                    row.append(String.format(Locale.ROOT, " %7.4f %-8s",
                            t.decisive(tap, two ? Sentiment.POSITIVE : c), t.labelName(c)));
                    if (t.calibratedCorrect(tap) != null) {
                        row.append(String.format(Locale.ROOT, " %-3s", mark(t.calibratedCorrect(tap))));
                    }
                }
            }
            row.append(String.format(Locale.ROOT, " %8.3f %8.3f  ", last.entropy(), last.klToFinal()));
            row.append(LensTable.topTokens(last.top()));
            out.println(row);
        }
        out.println(LensTable.verdictLine(a.overthinking().summary(a.trajectory()::labelName), a.lens().lens()));
        if (calibrated) {
            out.println("calibrated " + LensTable.verdictLine(a.calibratedOverthinking().summary(a.trajectory()::labelName), a.lens().lens()));
        }
        if (a.loss() != null) {
            printLoss(out, a.loss());
        }
        if (allPositions) {
            TokenLayerGrid.print(out, a.lens());
        }
    }

    private static void printLoss(PrintWriter out, LossScore loss) {
        out.println();
        out.println("loss method (" + loss.description() + ")");
        out.println("  positive prompt: " + loss.positive().prompt().replace("\n", "\\n"));
        out.println("  negative prompt: " + loss.negative().prompt().replace("\n", "\\n"));
        boolean gold = loss.overthinking().gold() != null;
        out.printf(Locale.ROOT, "%-9s %12s %12s %7s %-8s%s%n", "layer", "loss(pos)", "loss(neg)", "norm+", "pred",
                gold ? " ok" : "");
        for (LossLayer layer : loss.layers()) {
            out.printf(Locale.ROOT, "%-9s %12.4f %12.4f %7.4f %-8s%s%n", layer.name(), layer.lossPositive(),
                    layer.lossNegative(), layer.normalizedPositive(), layer.prediction().key(),
                    layer.correct() == null ? "" : " " + mark(layer.correct()));
        }
        out.println("loss method " + loss.overthinking().summary());
    }

    private static String mark(boolean correct) {
        return correct ? "yes" : "no";
    }
}
