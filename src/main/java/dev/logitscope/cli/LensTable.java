package dev.logitscope.cli;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.LensTransform;
import dev.logitscope.lens.ModelInfo;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.lens.TopToken;
import dev.logitscope.lens.TrackedWord;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The readable form of {@code inspect --prompt}: one row per layer at the last position (the
 * tracked words' probabilities, entropy, KL, top tokens) and, when every position was read, the
 * token × layer picture.
 */
final class LensTable {
    /** Wide enough for "0.1234", "6.40e-90" and "6.40e-100". */
    static final int PROB_COLUMN = 10;
    static final int LAYER_COLUMN = 9;

    private LensTable() {}

    /** A line naming the lens readout when it is not the usual final norm and unembedding (OPT-350m's). */
    static void printReadout(PrintWriter out, ModelInfo model) {
        if (model.unusualReadout()) {
            out.println("note: lens readout: " + model.readout());
        }
    }

    /** A line naming the lens when it is not the plain logit lens (the default output stays as it was). */
    static void printLens(PrintWriter out, String lens) {
        if (!lens.equals(LensTransform.IDENTITY.name())) {
            out.println("lens: " + lens);
        }
    }

    /** The overthinking line, saying which lens its verdict comes from when it is not the logit lens. */
    static String verdictLine(String summary, String lens) {
        if (lens.equals(LensTransform.IDENTITY.name()) || !summary.startsWith("overthinking:")) {
            return summary;
        }
        return "overthinking by the " + lens + ":" + summary.substring("overthinking:".length());
    }

    static void print(PrintWriter out, LensReport report, boolean allPositions) {
        out.printf(Locale.ROOT, "%s  (%d layers, %d tokens)%n", report.model().source(), report.model().shape().nLayer(),
                report.tokens().size());
        printReadout(out, report.model());
        printLens(out, report.lens());
        for (TrackedWord word : report.tracked()) {
            if (word.isMultiToken()) {
                out.printf(Locale.ROOT, "note: '%s' is %d tokens; the lens reads its first token%n",
                        Cells.token(word.word()), word.tokenIds().length);
            }
        }
        StringBuilder header = new StringBuilder(Cells.left("layer", LAYER_COLUMN));
        for (TrackedWord word : report.tracked()) {
            header.append(' ').append(probabilityHeader(word.word()));
        }
        header.append(String.format(Locale.ROOT, " %8s %8s  %s", "entropy", "KL", "top tokens"));
        out.println(header);
        for (LayerReading layer : report.layers()) {
            PositionReading last = layer.last();
            StringBuilder row = new StringBuilder(Cells.left(layer.name(), LAYER_COLUMN));
            for (int i = 0; i < last.trackedProbs().length; i++) {
                row.append(' ').append(Cells.right(Cells.probability(last.trackedProbs()[i]),
                        columnWidth(report.tracked().get(i).word())));
            }
            row.append(String.format(Locale.ROOT, " %8.3f %8.3f  ", last.entropy(), last.klToFinal()));
            row.append(topTokens(last.top()));
            out.println(row);
        }
        if (allPositions) {
            TokenLayerGrid.print(out, report);
        }
    }

    /** "P(positive)" for the word " positive", right-aligned over its column. */
    static String probabilityHeader(String word) {
        return Cells.right(label(word), columnWidth(word));
    }

    static int columnWidth(String word) {
        return Math.max(PROB_COLUMN, Cells.width(label(word)));
    }

    private static String label(String word) {
        return "P(" + Cells.token(word.strip()) + ")";
    }

    /** "␣the 0.0123 | ␣a 6.40e-05 | …": each token in its display form, so the row stays one line. */
    static String topTokens(List<TopToken> top) {
        return top.stream().map(t -> Cells.token(t.token()) + " " + Cells.probability(t.prob()))
                .collect(Collectors.joining(" | "));
    }
}
