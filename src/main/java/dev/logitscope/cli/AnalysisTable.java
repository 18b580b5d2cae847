package dev.logitscope.cli;

import dev.logitscope.analysis.Calibrated;
import dev.logitscope.analysis.LayerVerdict;
import dev.logitscope.analysis.LossLayer;
import dev.logitscope.analysis.LossScore;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.prompt.UsedDemo;
import java.io.PrintWriter;
import java.util.Locale;

/** The readable form of a prompt analysis: the prompt, one row per layer, the overthinking verdict. */
final class AnalysisTable {
    private AnalysisTable() {}

    static void print(PrintWriter out, PromptAnalysis a, boolean allPositions) {
        var recipe = a.request().recipe();
        out.printf(Locale.ROOT, "%s  (%d layers)  template %s, %s, demo labels %s, seed %d%s%n",
                a.lens().model().source(), a.lens().model().shape().nLayer(), a.template().name(),
                recipe.shots().label(), recipe.demoLabels().key(), recipe.seed(),
                a.gold() == null ? "" : ", gold " + a.gold().key());
        LensTable.printReadout(out, a.lens().model());
        LensTable.printLens(out, a.lens().lens());
        for (UsedDemo demo : a.prompt().demos()) {
            out.printf(Locale.ROOT, "demo: %-8s%s %s%n", demo.shown().key(), demo.flipped() ? " (flipped)" : "",
                    demo.review());
        }
        for (String warning : a.warnings()) {
            out.println("note: " + warning);
        }
        out.printf(Locale.ROOT, "prompt (%d tokens):%n", a.promptTokens());
        for (String line : a.prompt().text().split("\n", -1)) {
            out.println("  | " + line);
        }
        boolean calibrated = a.calibration() != null;
        String pos = a.labels().positive().word();
        String neg = a.labels().negative().word();
        StringBuilder header = new StringBuilder(Cells.left("layer", LensTable.LAYER_COLUMN)).append(' ')
                .append(LensTable.probabilityHeader(pos)).append(' ').append(LensTable.probabilityHeader(neg))
                .append(String.format(Locale.ROOT, " %7s %9s %-8s", "norm+", "log-odds", "pred"));
        if (a.gold() != null) {
            header.append(String.format(Locale.ROOT, " %-3s", "ok"));
        }
        if (calibrated) {
            header.append(String.format(Locale.ROOT, " %7s %-8s", "cal+", "cal"));
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
            StringBuilder row = new StringBuilder(Cells.left(layer.name(), LensTable.LAYER_COLUMN)).append(' ')
                    .append(Cells.right(Cells.probability(last.trackedProbs()[0]), LensTable.columnWidth(pos))).append(' ')
                    .append(Cells.right(Cells.probability(last.trackedProbs()[1]), LensTable.columnWidth(neg)));
            if (layer.midBlock()) {
                row.append(" ".repeat(Math.max(0, verdictColumnsEnd - Cells.width(row.toString()))));
            } else {
                LayerVerdict v = a.verdicts().get(next++);
                row.append(String.format(Locale.ROOT, " %7.4f %9.3f %-8s", v.normalizedPositive(), v.logOdds(),
                        v.prediction().key()));
                if (v.correct() != null) {
                    row.append(String.format(Locale.ROOT, " %-3s", mark(v.correct())));
                }
                if (calibrated) {
                    Calibrated c = v.calibrated();
                    row.append(String.format(Locale.ROOT, " %7.4f %-8s", c.normalizedPositive(), c.prediction().key()));
                    if (c.correct() != null) {
                        row.append(String.format(Locale.ROOT, " %-3s", mark(c.correct())));
                    }
                }
            }
            row.append(String.format(Locale.ROOT, " %8.3f %8.3f  ", last.entropy(), last.klToFinal()));
            row.append(LensTable.topTokens(last.top()));
            out.println(row);
        }
        out.println(LensTable.verdictLine(a.overthinking().summary(), a.lens().lens()));
        if (calibrated) {
            out.println("calibrated " + LensTable.verdictLine(a.calibratedOverthinking().summary(), a.lens().lens()));
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
