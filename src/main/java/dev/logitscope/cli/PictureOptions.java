package dev.logitscope.cli;

import dev.logitscope.analysis.DemoComparison;
import dev.logitscope.analysis.LensComparison;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.plot.KlChart;
import dev.logitscope.plot.KlData;
import java.util.LinkedHashMap;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.lens.LensReport;
import dev.logitscope.plot.AnalysisPlots;
import dev.logitscope.plot.Figure;
import dev.logitscope.plot.FigureTitle;
import dev.logitscope.plot.LabelHeatmap;
import dev.logitscope.plot.LabelHeatmapData;
import dev.logitscope.plot.PlotExport;
import dev.logitscope.plot.PlotRenderer;
import dev.logitscope.plot.PlotTheme;
import dev.logitscope.plot.TokenGrid;
import dev.logitscope.plot.TokenGridData;
import dev.logitscope.plot.TrajectoryChart;
import dev.logitscope.plot.TrajectoryData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --png/--svg/--pdf}: the app's pictures, drawn by the same renderers and titled with the
 * model, the condition and the review, written from the command line.
 */
final class PictureOptions {

    enum Plot { HEATMAP, GRID, TRAJECTORY, KL }

    @Option(names = "--png", paramLabel = "FILE", description = "Write the picture as PNG (see --plot, --scale).")
    Path png;

    @Option(names = "--svg", paramLabel = "FILE", description = "Write the picture as SVG (see --plot).")
    Path svg;

    @Option(names = "--pdf", paramLabel = "FILE", description = "Write the picture as PDF, vector (see --plot).")
    Path pdf;

    @Option(names = "--plot", defaultValue = "heatmap", paramLabel = "heatmap|grid|trajectory|kl",
            description = "Which picture: the label heatmap, the token x layer grid, the trajectory, or KL to the final"
                    + " layer per layer (one line per --lens; the mean over the positions read, the last for --review)."
                    + " Default: ${DEFAULT-VALUE}.")
    String plot;

    @Option(names = "--grid-mode", defaultValue = "probability", paramLabel = "probability|entropy|rank|kl",
            description = "What the grid's colours show. Default: ${DEFAULT-VALUE}.")
    String gridMode;

    @Option(names = "--scale", defaultValue = "2", description = "PNG pixel scale (2 for print). Default: ${DEFAULT-VALUE}.")
    double scale;

    @Option(names = "--log-scale", description = "Probabilities on a log colour scale in the heatmap.")
    boolean logScale;

    @Option(names = "--dark", description = "Draw with the dark theme.")
    boolean dark;

    boolean wanted() {
        return png != null || svg != null || pdf != null;
    }

    Plot plot() throws UserException {
        try {
            return Plot.valueOf(plot.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserException("--plot must be heatmap, grid, trajectory or kl, not '" + plot + "'.");
        }
    }

    /** The grid needs the lens at every position. */
    boolean needsAllPositions() throws UserException {
        return wanted() && plot() == Plot.GRID;
    }

    /** Checks the options and the output folders before any model work, so mistakes fail fast. */
    void check() throws UserException {
        if (!wanted()) {
            return;
        }
        plot();
        gridMode();
        if (!(scale > 0 && scale <= 8)) {
            throw new UserException("--scale must be above 0 and at most 8, not " + scale + ".");
        }
        for (Path file : new Path[] {png, svg, pdf}) {
            if (file == null) {
                continue;
            }
            Path folder = file.toAbsolutePath().getParent();
            if (!Files.isDirectory(folder)) {
                throw new UserException("Cannot write " + file + ": the folder " + folder + " does not exist.");
            }
            if (!Files.isWritable(folder)) {
                throw new UserException("Cannot write " + file + ": the folder " + folder
                        + " is not writable; choose another location.");
            }
        }
    }

    private TokenGridData.Mode gridMode() throws UserException {
        try {
            return TokenGridData.Mode.valueOf(gridMode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserException("--grid-mode must be probability, entropy, rank or kl, not '" + gridMode + "'.");
        }
    }

    /** Draws the picture of a plain prompt (no verdicts), titled with the model and the prompt. */
    void write(LensReport report, String prompt, Map<String, String> text) throws UserException {
        PlotTheme theme = theme();
        PlotRenderer renderer = switch (plot()) {
            case HEATMAP -> new LabelHeatmap(LabelHeatmapData.fromReport(report), theme, logScale);
            case GRID -> new TokenGrid(TokenGridData.fromReport(report, gridMode()), theme);
            case TRAJECTORY -> new TrajectoryChart(TrajectoryData.fromReport(report, logScale), theme);
            case KL -> new KlChart(KlData.of("", Map.of(report.lens(), report.meanKlToFinal())), theme);
        };
        write(new Figure(AnalysisPlots.title(report, prompt), renderer, theme), text);
    }

    /** The grid's data for --json and the picture: the picture's colour mode. */
    TokenGridData gridData(LensReport grid) throws UserException {
        return TokenGridData.fromReport(grid, gridMode());
    }

    /**
     * Draws the picture of a review analysis; {@code grid} is its token × layer grid (for --plot
     * grid) and {@code overlay}, when given, the demonstration comparison.
     */
    void write(PromptAnalysis analysis, LensReport grid, DemoComparison overlay, Map<String, String> text)
            throws UserException {
        PlotTheme theme = theme();
        PlotRenderer renderer = switch (plot()) {
            case HEATMAP -> new LabelHeatmap(AnalysisPlots.heatmap(analysis), theme, logScale);
            case GRID -> new TokenGrid(gridData(grid), theme);
            case TRAJECTORY -> new TrajectoryChart(overlay == null ? TrajectoryData.fromReport(analysis.lens(), logScale)
                    : AnalysisPlots.overlay("", overlay, null), theme);
            case KL -> new KlChart(KlData.of("", Map.of(analysis.lens().lens(), analysis.lens().lastKlToFinal())), theme);
        };
        FigureTitle title = plot() == Plot.TRAJECTORY && overlay != null ? AnalysisPlots.title(analysis, overlay.runs().keySet())
                : AnalysisPlots.title(analysis);
        write(new Figure(title, renderer, theme), text);
    }

    /** Draws a plain prompt read through several lenses: heatmap column groups, trajectory lines or KL lines per lens. */
    void write(Map<LensChoice, LensReport> reports, String prompt, Map<String, String> text) throws UserException {
        PlotTheme theme = theme();
        Map<String, LensReport> byKey = new LinkedHashMap<>();
        reports.forEach((lens, report) -> byKey.put(lens.key(), report));
        PlotRenderer renderer = switch (plot()) {
            case HEATMAP -> {
                Map<String, LabelHeatmapData> heatmaps = new LinkedHashMap<>();
                byKey.forEach((key, report) -> heatmaps.put(key, LabelHeatmapData.fromReport(report)));
                yield new LabelHeatmap(AnalysisPlots.lensHeatmap(heatmaps), theme, logScale);
            }
            case GRID -> throw new UserException("--plot grid draws one lens: give one --lens with it.");
            case TRAJECTORY -> new TrajectoryChart(AnalysisPlots.lensTrajectories(byKey, logScale), theme);
            case KL -> new KlChart(KlData.of("", klLines(byKey, false)), theme);
        };
        LensReport first = reports.values().iterator().next();
        write(new Figure(AnalysisPlots.titleForLenses(first, prompt, byKey.keySet()), renderer, theme), text);
    }

    /** Draws a review read through several lenses (see {@link #write(Map, String, Map)}); verdict marks are the first lens's. */
    void write(LensComparison comparison, Map<String, String> text) throws UserException {
        PlotTheme theme = theme();
        Map<String, LensReport> byKey = new LinkedHashMap<>();
        comparison.runs().forEach((lens, analysis) -> byKey.put(lens.key(), analysis.lens()));
        PlotRenderer renderer = switch (plot()) {
            case HEATMAP -> {
                Map<String, LabelHeatmapData> heatmaps = new LinkedHashMap<>();
                comparison.runs().forEach((lens, analysis) -> heatmaps.put(lens.key(), AnalysisPlots.heatmap(analysis)));
                yield new LabelHeatmap(AnalysisPlots.lensHeatmap(heatmaps), theme, logScale);
            }
            case GRID -> throw new UserException("--plot grid draws one lens: give one --lens with it.");
            case TRAJECTORY -> new TrajectoryChart(AnalysisPlots.lensTrajectories(byKey, logScale), theme);
            case KL -> new KlChart(KlData.of("", klLines(byKey, true)), theme);
        };
        PromptAnalysis first = comparison.runs().values().iterator().next();
        write(new Figure(AnalysisPlots.titleForLenses(first, byKey.keySet()), renderer, theme), text);
    }

    /** KL to final per layer per lens: at the last position for a review, the mean over the positions read for a prompt. */
    private static Map<String, double[]> klLines(Map<String, LensReport> byKey, boolean lastPosition) {
        Map<String, double[]> lines = new LinkedHashMap<>();
        byKey.forEach((key, report) -> lines.put(key, lastPosition ? report.lastKlToFinal() : report.meanKlToFinal()));
        return lines;
    }

    private PlotTheme theme() {
        return dark ? PlotTheme.dark() : PlotTheme.light();
    }

    /** Writes the picture in each format asked for, carrying {@code text} (the analysis's provenance). */
    private void write(PlotRenderer renderer, Map<String, String> text) throws UserException {
        try {
            if (png != null) {
                PlotExport.png(renderer, png, scale, text);
            }
            if (svg != null) {
                PlotExport.svg(renderer, svg, text);
            }
            if (pdf != null) {
                PlotExport.pdf(renderer, pdf, text);
            }
        } catch (IOException e) {
            throw new UserException(e.getMessage());
        }
    }
}
