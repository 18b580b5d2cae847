package dev.logitscope.cli;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.tokenize.Token;
import java.io.PrintWriter;
import java.util.List;

/**
 * The classic logit-lens picture as text: one row per prompt position (its token), one column per
 * layer, each cell the layer's most likely next token there. Columns are measured in terminal
 * cells ({@link Cells}), so CJK, emoji and whitespace tokens keep the rows aligned.
 */
final class TokenLayerGrid {
    private static final int MIN_CELL = 5;
    private static final int MAX_CELL = 10;
    private static final int TOKEN_COLUMN = 12;

    private TokenLayerGrid() {}

    static void print(PrintWriter out, LensReport report) {
        List<LayerReading> layers = report.layers();
        out.println();
        if (layers.isEmpty() || layers.get(0).positions().get(0).top().isEmpty()) {
            out.println("token × layer: no top tokens to show (--top 0); give --top 1 or more, or use --json");
            return;
        }
        int cell = MIN_CELL;
        for (LayerReading layer : layers) {
            cell = Math.max(cell, Cells.width(header(layer)));
            for (PositionReading p : layer.positions()) {
                cell = Math.max(cell, Cells.width(top1(p)));
            }
        }
        cell = Math.min(cell, MAX_CELL);
        int posWidth = Math.max(3, Integer.toString(report.tokens().size() - 1).length());
        out.println("token × layer: the top next token of each layer (columns) at each position (rows);"
                + " --json gives the probabilities");
        StringBuilder head = new StringBuilder(Cells.right("pos", posWidth)).append("  ")
                .append(Cells.left("token", TOKEN_COLUMN)).append(" |");
        for (LayerReading layer : layers) {
            head.append(' ').append(Cells.left(header(layer), cell));
        }
        out.println(head.toString().stripTrailing());
        List<PositionReading> rows = layers.get(0).positions();
        for (int r = 0; r < rows.size(); r++) {
            int position = rows.get(r).position();
            StringBuilder row = new StringBuilder(Cells.right(Integer.toString(position), posWidth)).append("  ")
                    .append(Cells.left(tokenAt(report.tokens(), position), TOKEN_COLUMN)).append(" |");
            for (LayerReading layer : layers) {
                row.append(' ').append(Cells.left(top1(layer.positions().get(r)), cell));
            }
            out.println(row.toString().stripTrailing());
        }
    }

    private static String header(LayerReading layer) {
        if (layer.midBlock() || layer.layer() == 0) {
            return layer.name();
        }
        return Integer.toString(layer.layer());
    }

    private static String top1(PositionReading p) {
        return p.top().isEmpty() ? "" : Cells.token(p.top().get(0).token());
    }

    private static String tokenAt(List<Token> tokens, int position) {
        if (position < 0 || position >= tokens.size()) {
            return "";
        }
        Token token = tokens.get(position);
        return token.special() ? token.display() : Cells.token(token.text()); // a BOS has no text, only its name
    }
}
