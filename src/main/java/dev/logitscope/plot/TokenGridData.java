package dev.logitscope.plot;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensReport;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.tokenize.Token;
import dev.logitscope.tokenize.TokenDisplay;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The classic logit-lens picture: rows are layers, columns prompt positions; each cell holds the
 * layer's top-1 next token at that position and a value that colours it.
 *
 * @param rowNames  layer names in forward order (embed first)
 * @param columns   the positions read, with their prompt token (whitespace made visible)
 * @param top1      [rows][columns] top-1 token display text, "" when unknown
 * @param values    [rows][columns] the mode's value, NaN when unknown
 * @param wordName  the tracked word a RANK grid is about, "" otherwise
 */
public record TokenGridData(Mode mode, List<String> rowNames, List<Column> columns, String[][] top1,
        double[][] values, String wordName) {

    /** What colours a cell. */
    public enum Mode {
        /** Probability of the top-1 token. */
        PROBABILITY,
        /** Entropy of the layer's distribution, in nats. */
        ENTROPY,
        /** Rank of a tracked (label) token, 1 = most likely. */
        RANK,
        /** KL(final ‖ layer) in nats: how far the layer is from the model's output. */
        KL
    }

    /**
     * One position of the grid.
     *
     * @param special the token is one the tokenizer added (OPT's BOS), not prompt text: drawn apart
     */
    public record Column(int position, String token, boolean special) {
        public Column(int position, String token) {
            this(position, token, false);
        }
    }

    public TokenGridData {
        rowNames = List.copyOf(rowNames);
        columns = List.copyOf(columns);
        if (top1.length != rowNames.size() || values.length != rowNames.size()) {
            throw new IllegalArgumentException("the grid needs one row of cells per layer");
        }
        top1 = top1.clone();
        values = values.clone();
        for (int r = 0; r < rowNames.size(); r++) {
            if (top1[r].length != columns.size() || values[r].length != columns.size()) {
                throw new IllegalArgumentException("layer " + rowNames.get(r) + " needs " + columns.size() + " cells");
            }
            top1[r] = top1[r].clone();
            values[r] = values[r].clone();
        }
    }

    /** A grid of a report read at every position; RANK follows the first tracked word. */
    public static TokenGridData fromReport(LensReport report, Mode mode) {
        return fromReport(report, mode, 0);
    }

    /** A grid of a report; RANK follows tracked word {@code word}. */
    public static TokenGridData fromReport(LensReport report, Mode mode, int word) {
        List<LayerReading> layers = report.layers();
        List<Column> columns = new ArrayList<>();
        if (!layers.isEmpty()) {
            for (PositionReading p : layers.get(0).positions()) {
                int at = p.position();
                boolean special = at >= 0 && at < report.tokens().size() && report.tokens().get(at).special();
                columns.add(new Column(at, tokenText(report.tokens(), at), special));
            }
        }
        String[][] top1 = new String[layers.size()][columns.size()];
        double[][] values = new double[layers.size()][columns.size()];
        List<String> names = new ArrayList<>();
        for (int r = 0; r < layers.size(); r++) {
            LayerReading layer = layers.get(r);
            names.add(LayerNames.of(layer));
            Arrays.fill(top1[r], "");
            Arrays.fill(values[r], Double.NaN);
            for (int c = 0; c < columns.size() && c < layer.positions().size(); c++) {
                PositionReading p = layer.positions().get(c);
                top1[r][c] = p.top().isEmpty() ? "" : TokenDisplay.visible(p.top().get(0).token());
                values[r][c] = value(p, mode, word);
            }
        }
        String wordName = mode == Mode.RANK && word < report.tracked().size()
                ? LayerNames.label(report.tracked().get(word).word()) : "";
        return new TokenGridData(mode, names, columns, top1, values, wordName);
    }

    public int rows() {
        return rowNames.size();
    }

    public String top1(int row, int column) {
        return top1[row][column];
    }

    public double value(int row, int column) {
        return values[row][column];
    }

    /** The colour-bar title: what the colour means. */
    public String valueTitle() {
        return switch (mode) {
            case PROBABILITY -> "top-1 probability";
            case ENTROPY -> "entropy (nats)";
            case RANK -> "rank of " + (wordName.isEmpty() ? "the label" : wordName);
            case KL -> "KL to final layer (nats)";
        };
    }

    /**
     * The scale of the values: probabilities 0..1, ranks 1.. on a log scale, entropy and KL from
     * 0 to the largest value rounded up, so one grid's colours are comparable across its cells.
     */
    public ValueScale scale() {
        double max = 0;
        for (double[] row : values) {
            for (double v : row) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        return switch (mode) {
            case PROBABILITY -> ValueScale.linear(0, 1);
            case RANK -> new ValueScale(1, Math.max(10, Math.pow(10, Math.ceil(Math.log10(Math.max(1, max)) - 1e-9))), true);
            case ENTROPY, KL -> ValueScale.linear(0, Math.max(1, Math.ceil(max)));
        };
    }

    /** Entropy, rank and KL are "lower is more certain": drawn reversed, so bright always means confident. */
    public boolean brightIsLow() {
        return mode != Mode.PROBABILITY;
    }

    private static double value(PositionReading p, Mode mode, int word) {
        return switch (mode) {
            case PROBABILITY -> p.top().isEmpty() ? Double.NaN : p.top().get(0).prob();
            case ENTROPY -> p.entropy();
            case RANK -> word < p.trackedRanks().length ? p.trackedRanks()[word] + 1 : Double.NaN;
            case KL -> p.klToFinal();
        };
    }

    private static String tokenText(List<Token> tokens, int position) {
        return position >= 0 && position < tokens.size() ? tokens.get(position).display() : "";
    }
}
