package dev.logitscope.ui.plot;

import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.plot.AnalysisPlots;
import dev.logitscope.plot.LabelHeatmap;
import dev.logitscope.plot.LabelHeatmapData;
import dev.logitscope.plot.PlotTheme;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.ui.analysis.AnalysisResult;
import java.awt.Dimension;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.Locale;
import java.util.Optional;

/**
 * The layer heatmap of one analysis: P(label) per layer, the two-label P(positive) (calibrated
 * when calibration is on), the prediction, and the overthinking marks. In the window the verdict
 * line above the tabs says what the explanation under the picture would, so it is drawn only in
 * exports ({@link #forExport()}).
 */
public final class HeatmapPlot implements Plot {
    private static final double THIN_ROW = 2;
    private final PromptAnalysis analysis;
    private final String title;
    private final LabelHeatmapData data;
    private final boolean logScale;
    /** Without the per-label columns (see {@link LabelHeatmap}'s compact form). */
    private final boolean compact;

    /** The heatmap as the window shows it, without the explanation line. */
    public HeatmapPlot(AnalysisResult result, boolean logScale) {
        this(result.analysis(), "", logScale, false);
    }

    /** The same, captioned with the model's name (one of two models compared). */
    public HeatmapPlot(AnalysisResult result, boolean logScale, String caption) {
        this(result.analysis(), caption, logScale, false, false);
    }

    /**
     * One lens's heatmap (a panel of {@link LensHeatmapsPlot}).
     *
     * @param title drawn above it (the lens's key), or "" for the analysis's own title
     */
    HeatmapPlot(PromptAnalysis analysis, String title, boolean logScale, boolean explained) {
        this(analysis, title, logScale, explained, false);
    }

    private HeatmapPlot(PromptAnalysis analysis, String title, boolean logScale, boolean explained, boolean compact) {
        this.analysis = analysis;
        this.title = title;
        this.logScale = logScale;
        this.compact = compact;
        LabelHeatmapData full = AnalysisPlots.heatmap(analysis); // the CLI's --png draws the same data
        String heading = title.isEmpty() ? full.title() : full.title().isEmpty() ? title : title + " · " + full.title();
        this.data = new LabelHeatmapData(heading, full.labels(), full.positiveIndex(), full.rows(),
                explained ? full.explanation() : "");
    }

    /** With the explanation under the grid, as the CLI's --png draws it. */
    @Override
    public HeatmapPlot forExport() {
        return new HeatmapPlot(analysis, title, logScale, true, compact);
    }

    /** The narrow form: the renormalised column and the prediction only (hover still tells every number). */
    public HeatmapPlot compact() {
        return new HeatmapPlot(analysis, title, logScale, false, true);
    }

    /** The analysis it draws. */
    public PromptAnalysis analysis() {
        return analysis;
    }

    public LabelHeatmapData data() {
        return data;
    }

    public int rows() {
        return data.rows().size();
    }

    @Override
    public LabelHeatmap renderer(PlotTheme theme) {
        return new LabelHeatmap(data, theme, logScale, compact);
    }

    /** Its columns do not shrink with the canvas: the canvas scales it down a little, or makes room. */
    @Override
    public double naturalWidth(PlotTheme theme) {
        return renderer(theme).preferredSize().getWidth();
    }

    /** Title, header and colour bars whole; the rows may thin to bands of {@value #THIN_ROW} px. */
    @Override
    public double leastHeight(PlotTheme theme) {
        LabelHeatmap heatmap = renderer(theme);
        Dimension natural = heatmap.preferredSize();
        if (rows() == 0) {
            return natural.getHeight();
        }
        double row = heatmap.cellBounds(new Rectangle2D.Double(0, 0, natural.width, natural.height), 0, 0).getHeight();
        return natural.getHeight() - rows() * (row - THIN_ROW);
    }

    @Override
    public Optional<String> describeAt(double x, double y, double width, double height) {
        LabelHeatmap heatmap = renderer(PlotTheme.light());
        var hit = heatmap.hitTest(new Rectangle2D.Double(0, 0, width, height), new Point2D.Double(x, y));
        if (hit.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(describeRow(hit.getAsInt()));
    }

    /** The hover text of a layer: each label's probability and rank, the renormalised value, the verdict, the top 5. */
    String describeRow(int row) {
        LabelTrajectory t = analysis.trajectory();
        PositionReading last = analysis.lens().blockLayers().get(row).last();
        int layer = t.depth(row);
        StringBuilder s = new StringBuilder(layer == 0 ? "Embeddings (layer 0)" : "Layer " + layer).append('\n');
        for (int label = 0; label < t.labels(); label++) {
            s.append(String.format(Locale.ROOT, "P('%s') = %s   rank %d%n", t.words().get(label),
                    TextFormat.prob(t.vocab(row, Sentiment.of(label))), last.trackedRanks()[label] + 1));
        }
        if (t.labels() == 2) {
            s.append(String.format(Locale.ROOT, "P(positive | two labels) = %s   log-odds %+.3f%n",
                    TextFormat.prob(t.normalized(row, Sentiment.POSITIVE)), t.logOdds(row)));
        } else {
            Sentiment p = t.prediction(row);
            s.append(String.format(Locale.ROOT, "P(%s | %d labels) = %s%n", t.labelName(p), t.labels(),
                    TextFormat.prob(t.normalized(row, p))));
        }
        if (t.isCalibrated()) {
            Sentiment c = t.calibratedPrediction(row);
            s.append(String.format(Locale.ROOT, "calibrated = %s → %s%n",
                    TextFormat.prob(t.decisive(row, t.labels() == 2 ? Sentiment.POSITIVE : c)), t.labelName(c)));
        }
        Boolean correct = t.correct(row);
        s.append("prediction: ").append(t.labelName(t.prediction(row)))
                .append(correct == null ? "" : correct ? " (right)" : " (wrong)").append('\n');
        s.append("top-5:\n").append(TextFormat.top(last.top()));
        return s.toString();
    }
}
