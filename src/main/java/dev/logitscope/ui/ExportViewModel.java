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
            for (ExportTarget target : ExportTarget.values()) {
                if (target == ExportTarget.GRID && !(grid.getValue() instanceof GridPlot)) {
                    continue; // the grid was not computed (its tab was never opened)
                }
                for (String format : List.of("png", "svg")) {
                    Path file = folder.resolve(target.fileStem() + "." + format);
                    writePlot(target, file, format);
                    written.add(file);
                }
            }
            Path csv = folder.resolve("layers.csv");
            NumbersFiles.csv(result.get(), csv);
            written.add(csv);
            Path json = folder.resolve("analysis.json");
            NumbersFiles.json(result.get(), json);
            written.add(json);
            show(Banner.info("Exported " + written.size() + " files to " + folder + "."));
        } catch (IOException | RuntimeException e) {
            show(Banner.error(cannotWrite(folder, e)));
        }
        return written;
    }

    /** Writes one file; the extension says the format (png, svg for the plot; csv, json for the numbers). */
    public boolean export(ExportTarget target, Path file) {
        if (!checkReady()) {
            return false;
        }
        String format = ExportTarget.format(file.getFileName().toString());
        try {
            switch (format) {
                case "png", "svg" -> writePlot(target, file, format);
                case "csv" -> NumbersFiles.csv(result.get(), file);
                case "json" -> NumbersFiles.json(result.get(), file);
                default -> {
                    show(Banner.error("Cannot export to " + file.getFileName()
                            + ": give the file a .png, .svg, .csv or .json extension."));
                    return false;
                }
            }
            show(Banner.info("Exported " + file + "."));
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

    /** Exports are drawn in the light theme, at the renderer's preferred size (PNG at 2× for print). */
    private void writePlot(ExportTarget target, Path file, String format) throws IOException {
        var renderer = plot(target).renderer(PlotTheme.light());
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
