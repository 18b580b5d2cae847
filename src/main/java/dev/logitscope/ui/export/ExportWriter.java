package dev.logitscope.ui.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.eval.AnalysisProvenance;
import dev.logitscope.eval.FileHashes;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.plot.AnalysisPlots;
import dev.logitscope.plot.Figure;
import dev.logitscope.plot.FigureTitle;
import dev.logitscope.plot.PlotExport;
import dev.logitscope.plot.PlotExportException;
import dev.logitscope.plot.PlotRenderer;
import dev.logitscope.plot.PlotTheme;
import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.ui.analysis.LensAnalyzer;
import dev.logitscope.ui.model.Banner;
import dev.logitscope.plot.ModelComparison;
import dev.logitscope.ui.plot.GridPlot;
import dev.logitscope.ui.plot.PairPlot;
import dev.logitscope.ui.plot.Placeholder;
import dev.logitscope.ui.plot.Plot;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Writes one analysis and its plots, as captured on the FX thread (all immutable), so it can run
 * on a worker thread: PNG encoding of a big grid takes long enough to freeze a window.
 */
public final class ExportWriter {
    /** The picture formats of an "export all". */
    public static final List<String> PICTURE_FORMATS = List.of("png", "svg", "pdf");
    /** PNG exports are twice the on-screen size, for print. */
    public static final double PNG_SCALE = 2.0;
    /** Columns per grid picture: 120 × 72 px at 2× stays far inside the 32767 px a PNG may have. */
    public static final int GRID_PAGE_COLUMNS = 120;

    /** What an export wrote and the banner that says so. */
    public record Outcome(List<Path> files, Banner banner) {
        public Outcome {
            files = List.copyOf(files);
        }
    }

    /** The suffix of the second model's numbers files when two models are compared: layers-compared.csv. */
    public static final String COMPARED_SUFFIX = "-compared";

    private final AnalysisResult result;
    /** The second model's result (two models compared), or null. */
    private final AnalysisResult compared;
    private final Plot heatmap;
    private final Plot grid;
    private final Plot trajectory;

    private JsonObject provenance;
    private JsonObject comparedProvenance;

    public ExportWriter(AnalysisResult result, Plot heatmap, Plot grid, Plot trajectory) {
        this(result, null, heatmap, grid, trajectory);
    }

    /** @param compared the second model's result shown beside {@code result}, or null */
    public ExportWriter(AnalysisResult result, AnalysisResult compared, Plot heatmap, Plot grid, Plot trajectory) {
        this.result = Objects.requireNonNull(result, "result");
        this.compared = compared;
        this.heatmap = heatmap;
        this.grid = grid;
        this.trajectory = trajectory;
    }

    /**
     * Where the analysis came from, as {@code inspect} records it for the same inputs; computed once,
     * on the export's thread (a local model's files are hashed the first time).
     */
    synchronized JsonObject provenance() {
        if (provenance == null) {
            Instant now = Instant.now();
            provenance = AnalysisProvenance.of(result.source(), result.analysis(), FileHashes.user(), now);
            if (compared != null) {
                // each record names its own model and, under "compared_with", the other one
                comparedProvenance = AnalysisProvenance.of(compared.source(), compared.analysis(), FileHashes.user(), now);
                provenance.add(COMPARED_WITH, modelAndLens(comparedProvenance));
                comparedProvenance.add(COMPARED_WITH, modelAndLens(provenance));
            }
            if (result.lenses().several()) {
                // "lens" is the primary one (the verdict's); every lens the pictures show is named here
                JsonArray all = new JsonArray();
                List<LensChoice> keys = result.lensChoice();
                for (int i = 0; i < keys.size(); i++) {
                    JsonObject lens = AnalysisProvenance.lens(result.lenses().sources().get(i), FileHashes.user());
                    lens.addProperty("key", keys.get(i).key());
                    all.add(lens);
                }
                provenance.add("lenses", all);
            }
        }
        return provenance;
    }

    /** Each further lens's own numbers file, its provenance naming that lens ({@code layers-KEY.csv}). */
    private void lensCsvs(Path folder, List<Path> written, List<String> failures) {
        List<LensChoice> keys = result.lensChoice();
        for (int i = 1; i < keys.size(); i++) {
            LensChoice lens = keys.get(i);
            PromptAnalysis analysis = result.lenses().comparison().runs().get(lens);
            JsonObject own = AnalysisProvenance.of(result.lenses().sources().get(i), analysis, FileHashes.user(),
                    Instant.now());
            Path csv = folder.resolve(NumbersFiles.lensCsvName(lens));
            attempt(csv, failures, () -> {
                NumbersFiles.csv(analysis, csv, own);
                written.add(csv);
            });
        }
    }

    /** The key under which a comparison's provenance names the other model (its model and lens records). */
    public static final String COMPARED_WITH = "compared_with";

    private static JsonObject modelAndLens(JsonObject record) {
        JsonObject o = new JsonObject();
        o.add("model", record.get("model").deepCopy());
        o.add("lens", record.get("lens").deepCopy());
        return o;
    }

    /** The second model's numbers files' provenance (naming the first model under "compared_with"). */
    synchronized JsonObject comparedProvenance() {
        provenance();
        return comparedProvenance;
    }

    /** {@code layers.csv} → {@code layers-compared.csv}: where the second model's numbers go beside the first's. */
    public static Path comparedFile(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot < 0 ? name : name.substring(0, dot);
        return file.resolveSibling(stem + COMPARED_SUFFIX + (dot < 0 ? "" : name.substring(dot)));
    }

    /** The numbers of each model: {@code file} for the first, {@link #comparedFile} for the second when comparing. */
    private List<Path> numbers(Path file, boolean json) throws IOException {
        List<Path> written = new ArrayList<>();
        if (json) {
            NumbersFiles.json(result, file, provenance());
        } else {
            NumbersFiles.csv(result, file, provenance());
        }
        written.add(file);
        if (compared != null) {
            Path other = comparedFile(file);
            if (json) {
                NumbersFiles.json(compared, other, comparedProvenance());
            } else {
                NumbersFiles.csv(compared, other, comparedProvenance());
            }
            written.add(other);
        }
        return written;
    }

    /** Why {@code target} cannot be exported now (it shows a placeholder), or null when it can. */
    public String notReady(ExportTarget target) {
        if (plot(target) instanceof PairPlot pair && pair.incomplete()) {
            return "The second model's " + target.fileStem() + " is not drawn yet: wait for its analysis, then export again.";
        }
        if (!(plot(target) instanceof Placeholder)) {
            return null;
        }
        return target == ExportTarget.GRID
                ? "The grid is not computed yet: wait until it shows, then export again."
                : "The " + target.fileStem() + " is not drawn yet: wait for the analysis, then export again.";
    }

    /** Heatmap, grid (when computed) and trajectory as PNG, SVG and PDF, layers.csv and analysis.json. */
    public Outcome all(Path folder) {
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(folder);
        } catch (IOException | RuntimeException e) {
            return new Outcome(written, Banner.error(cannotWrite(folder, e)));
        }
        // One picture that cannot be written must not cost the user the others or the numbers.
        List<String> failures = new ArrayList<>();
        for (ExportTarget target : ExportTarget.values()) {
            if (notReady(target) != null) {
                continue; // the grid was not computed (its tab was never opened)
            }
            for (String format : PICTURE_FORMATS) {
                Path file = folder.resolve(target.fileStem() + "." + format);
                attempt(file, failures, () -> written.addAll(writePlot(target, file, format)));
            }
        }
        Path csv = folder.resolve("layers.csv");
        attempt(csv, failures, () -> written.addAll(numbers(csv, false)));
        lensCsvs(folder, written, failures);
        Path json = folder.resolve("analysis.json");
        attempt(json, failures, () -> written.addAll(numbers(json, true)));
        String done = "Exported " + written.size() + " files to " + folder + "." + pagedNote();
        return new Outcome(written, failures.isEmpty() ? Banner.info(done)
                : Banner.warning(done + " Not written: " + String.join(" ", failures)));
    }

    /** One file; the extension says the format (png, svg, pdf for the plot; csv, json for the numbers). */
    public Outcome one(ExportTarget target, Path file) {
        String format = ExportTarget.format(file.getFileName().toString());
        try {
            List<Path> written = switch (format) {
                case "png", "svg", "pdf" -> {
                    String why = notReady(target);
                    if (why != null) {
                        yield null;
                    }
                    yield writePlot(target, file, format);
                }
                case "csv" -> numbers(file, false);
                case "json" -> numbers(file, true);
                default -> List.of();
            };
            if (written == null) {
                return new Outcome(List.of(), Banner.warning(notReady(target)));
            }
            if (written.isEmpty()) {
                return new Outcome(written, Banner.error("Cannot export to " + file.getFileName()
                        + ": give the file a .png, .svg, .pdf, .csv or .json extension."));
            }
            return new Outcome(written, Banner.info(written.size() == 1 ? "Exported " + file + "."
                    : "Exported " + written.size() + " files to " + file.getParent() + "." + pagedNote()));
        } catch (IOException | RuntimeException e) {
            return new Outcome(List.of(), Banner.error(cannotWrite(file, e)));
        }
    }

    private interface FileWrite {
        void run() throws IOException;
    }

    private static void attempt(Path file, List<String> failures, FileWrite write) {
        try {
            write.run();
        } catch (IOException | RuntimeException e) {
            failures.add(cannotWrite(file, e));
        }
    }

    /** Says where the grid went when it was too wide for one picture. */
    private String pagedNote() {
        if (grid instanceof GridPlot g && g.columns() > GRID_PAGE_COLUMNS) {
            return " The grid's " + g.columns() + " columns are in " + g.pages(GRID_PAGE_COLUMNS).size()
                    + " pictures of up to " + GRID_PAGE_COLUMNS + " columns (grid-columns-FIRST-LAST).";
        }
        return "";
    }

    /**
     * Writes one plot, or a grid too wide for one picture as pages named by their columns
     * ({@code grid-columns-1-120.png}, …); returns the files written.
     */
    private List<Path> writePlot(ExportTarget target, Path file, String format) throws IOException {
        Plot plot = plot(target);
        if (!(plot instanceof GridPlot g) || g.columns() <= GRID_PAGE_COLUMNS) {
            write(target, plot, file, format);
            return List.of(file);
        }
        String name = file.getFileName().toString();
        String stem = name.substring(0, name.length() - format.length() - 1);
        List<Path> files = new ArrayList<>();
        for (GridPlot page : g.pages(GRID_PAGE_COLUMNS)) {
            Path pageFile = file.resolveSibling(stem + "-columns-" + (page.firstColumn() + 1) + "-" + page.endColumn()
                    + "." + format);
            write(target, page, pageFile, format);
            files.add(pageFile);
        }
        return files;
    }

    /**
     * Exports are drawn in the light theme, at the renderer's preferred size (PNG at 2× for print),
     * under a title saying which model, condition and review they show.
     */
    private void write(ExportTarget target, Plot plot, Path file, String format) throws IOException {
        PlotTheme theme = PlotTheme.light();
        PlotRenderer renderer = new Figure(title(target), plot.forExport().renderer(theme), theme);
        Map<String, String> text = AnalysisProvenance.pictureText(provenance());
        switch (format) {
            case "png" -> PlotExport.png(renderer, file, PNG_SCALE, text);
            case "pdf" -> PlotExport.pdf(renderer, file, text);
            default -> PlotExport.svg(renderer, file, text);
        }
    }

    /** The figure title of a picture: the trajectory with several runs names them (as its legend does). */
    FigureTitle title(ExportTarget target) {
        FigureTitle title;
        if (compared != null && target != ExportTarget.GRID) { // the grid is the first model's only
            title = ModelComparison.title(result.analysis(), compared.analysis());
        } else if (target == ExportTarget.TRAJECTORY && result.trajectories().size() > 1 && !result.lenses().several()) {
            title = AnalysisPlots.title(result.analysis(), result.trajectories().keySet());
        } else {
            title = AnalysisPlots.title(result.analysis());
        }
        return new FigureTitle(title.headline().replace("· " + AnalysisPlots.LENS, "· " + lensesShown(target)),
                title.detail());
    }

    /** The lenses a picture shows: every chosen one, or the one the grid read through. */
    private String lensesShown(ExportTarget target) {
        if (target == ExportTarget.GRID || !result.lenses().several()) {
            LensChoice lens = target == ExportTarget.GRID ? result.lenses().gridLens() : result.lensChoice().get(0);
            int i = result.lensChoice().indexOf(lens);
            return LensAnalyzer.shortName(lens, result.lenses().sources().get(Math.max(i, 0)).lens());
        }
        return String.join(" vs. ", result.lensChoice().stream().map(LensChoice::key).toList()) + " lenses";
    }

    private Plot plot(ExportTarget target) {
        return switch (target) {
            case HEATMAP -> heatmap;
            case GRID -> grid;
            case TRAJECTORY -> trajectory;
        };
    }

    static String cannotWrite(Path path, Exception e) {
        String reason;
        if (e instanceof PlotExportException) {
            String m = e.getMessage();
            return m.toLowerCase(Locale.ROOT).contains("choose") ? m : m + ". Choose a folder you can write to.";
        }
        if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            reason = "the folder does not exist";
        } else if (e instanceof FileSystemException fse && fse.getReason() != null) {
            reason = fse.getReason();
        } else {
            reason = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        return "Cannot write " + path + " (" + reason + "). Choose a folder you can write to.";
    }
}
