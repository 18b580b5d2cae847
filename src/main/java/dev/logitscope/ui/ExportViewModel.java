package dev.logitscope.ui;

import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.ui.export.ExportTarget;
import dev.logitscope.ui.export.NumbersFiles;
import dev.logitscope.plot.PlotExport;
import dev.logitscope.plot.PlotTheme;
import dev.logitscope.ui.model.Banner;
import dev.logitscope.ui.plot.GridPlot;
import dev.logitscope.ui.plot.Plot;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableObjectValue;
import javafx.beans.value.ObservableValue;

/**
 * Export commands: one plot as PNG (2×) or SVG, the numbers as CSV or JSON, or everything into a
 * folder. Failures become one banner that names the path and says what to do.
 */
public final class ExportViewModel {
    private final ObservableObjectValue<AnalysisResult> result;
    private final ObservableValue<Plot> heatmap;
    private final ObservableValue<Plot> grid;
    private final ObservableValue<Plot> trajectory;
    /** PNG exports are twice the on-screen size, for print. */
    public static final double PNG_SCALE = 2.0;
    /** Columns per grid picture: 120 × 72 px at 2× stays far inside the 32767 px a PNG may have. */
    public static final int GRID_PAGE_COLUMNS = 120;

    private final ReadOnlyObjectWrapper<Banner> banner = new ReadOnlyObjectWrapper<>(this, "banner");
    private final BooleanBinding canExport;

    ExportViewModel(ObservableObjectValue<AnalysisResult> result, ObservableValue<Plot> heatmap,
            ObservableValue<Plot> grid, ObservableValue<Plot> trajectory) {
        this.result = result;
        this.canExport = Bindings.isNotNull(result);
        this.heatmap = heatmap;
        this.grid = grid;
        this.trajectory = trajectory;
    }

    public boolean canExport() {
        return canExport.get();
    }

    /** True while there is a shown result to export (the export menu items follow it). */
    public BooleanBinding canExportProperty() {
        return canExport;
    }

    /** Writes heatmap, grid and trajectory (PNG and SVG), layers.csv and analysis.json into a folder. */
    public List<Path> exportAll(Path folder) {
        List<Path> written = new ArrayList<>();
        if (!checkReady()) {
            return written;
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException | RuntimeException e) {
            show(Banner.error(cannotWrite(folder, e)));
            return written;
        }
        // One picture that cannot be written must not cost the user the others or the numbers.
        List<String> failures = new ArrayList<>();
        for (ExportTarget target : ExportTarget.values()) {
            if (target == ExportTarget.GRID && !(grid.getValue() instanceof GridPlot)) {
                continue; // the grid was not computed (its tab was never opened)
            }
            for (String format : List.of("png", "svg")) {
                Path file = folder.resolve(target.fileStem() + "." + format);
                attempt(file, failures, () -> written.addAll(writePlot(target, file, format)));
            }
        }
        Path csv = folder.resolve("layers.csv");
        attempt(csv, failures, () -> {
            NumbersFiles.csv(result.get(), csv);
            written.add(csv);
        });
        Path json = folder.resolve("analysis.json");
        attempt(json, failures, () -> {
            NumbersFiles.json(result.get(), json);
            written.add(json);
        });
        String done = "Exported " + written.size() + " files to " + folder + "." + pagedNote();
        if (failures.isEmpty()) {
            show(Banner.info(done));
        } else {
            show(Banner.warning(done + " Not written: " + String.join(" ", failures)));
        }
        return written;
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
        if (grid.getValue() instanceof GridPlot g && g.columns() > GRID_PAGE_COLUMNS) {
            return " The grid's " + g.columns() + " columns are in " + g.pages(GRID_PAGE_COLUMNS).size()
                    + " pictures of up to " + GRID_PAGE_COLUMNS + " columns (grid-columns-FIRST-LAST).";
        }
        return "";
    }

    /** Writes one file; the extension says the format (png, svg for the plot; csv, json for the numbers). */
    public boolean export(ExportTarget target, Path file) {
        if (!checkReady()) {
            return false;
        }
        String format = ExportTarget.format(file.getFileName().toString());
        try {
            List<Path> pictures = List.of(file);
            switch (format) {
                case "png", "svg" -> pictures = writePlot(target, file, format);
                case "csv" -> NumbersFiles.csv(result.get(), file);
                case "json" -> NumbersFiles.json(result.get(), file);
                default -> {
                    show(Banner.error("Cannot export to " + file.getFileName()
                            + ": give the file a .png, .svg, .csv or .json extension."));
                    return false;
                }
            }
            show(Banner.info(pictures.size() == 1 ? "Exported " + file + "."
                    : "Exported " + pictures.size() + " files to " + file.getParent() + "." + pagedNote()));
            return true;
        } catch (IOException | RuntimeException e) {
            show(Banner.error(cannotWrite(file, e)));
            return false;
        }
    }

    /** False, with a banner saying why, when there is nothing to export yet. */
    public boolean checkReady() {
        if (result.get() == null) {
            show(Banner.warning("Nothing to export yet: load a model and type a review first."));
            return false;
        }
        return true;
    }

    /**
     * Writes one plot, or a grid too wide for one picture as pages named by their columns
     * ({@code grid-columns-1-120.png}, …); returns the files written.
     */
    private List<Path> writePlot(ExportTarget target, Path file, String format) throws IOException {
        Plot plot = plot(target);
        if (!(plot instanceof GridPlot g) || g.columns() <= GRID_PAGE_COLUMNS) {
            write(plot, file, format);
            return List.of(file);
        }
        String name = file.getFileName().toString();
        String stem = name.substring(0, name.length() - format.length() - 1);
        List<Path> files = new ArrayList<>();
        for (GridPlot page : g.pages(GRID_PAGE_COLUMNS)) {
            Path pageFile = file.resolveSibling(stem + "-columns-" + (page.firstColumn() + 1) + "-" + page.endColumn()
                    + "." + format);
            write(page, pageFile, format);
            files.add(pageFile);
        }
        return files;
    }

    /** Exports are drawn in the light theme, at the renderer's preferred size (PNG at 2× for print). */
    private static void write(Plot plot, Path file, String format) throws IOException {
        var renderer = plot.renderer(PlotTheme.light());
        if (format.equals("png")) {
            PlotExport.png(renderer, file, PNG_SCALE);
        } else {
            PlotExport.svg(renderer, file);
        }
    }

    private Plot plot(ExportTarget target) {
        return switch (target) {
            case HEATMAP -> heatmap.getValue();
            case GRID -> grid.getValue();
            case TRAJECTORY -> trajectory.getValue();
        };
    }

    static String cannotWrite(Path path, Exception e) {
        String reason;
        if (e instanceof dev.logitscope.plot.PlotExportException) {
            String m = e.getMessage();
            return m.toLowerCase(java.util.Locale.ROOT).contains("choose") ? m : m + ". Choose a folder you can write to.";
        }
        if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof NoSuchFileException) {
            reason = "the folder does not exist";
        } else if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            reason = fse.getReason();
        } else {
            reason = e.getMessage() == null ? e.toString() : e.getMessage();
        }
        return "Cannot write " + path + " (" + reason + "). Choose a folder you can write to.";
    }

    public ReadOnlyObjectProperty<Banner> bannerProperty() {
        return banner.getReadOnlyProperty();
    }

    /** Re-shows an equal banner too (a property only fires on a change). */
    private void show(Banner next) {
        banner.set(null);
        banner.set(next);
    }
}
