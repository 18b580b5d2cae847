package dev.logitscope.ui;

import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.ui.export.ExportTarget;
import dev.logitscope.ui.export.ExportWriter;
import dev.logitscope.ui.model.Banner;
import dev.logitscope.ui.plot.Plot;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableObjectValue;
import javafx.beans.value.ObservableValue;
import javafx.concurrent.Task;

/**
 * Export commands: one plot as PNG (2×), SVG or PDF, titled with model, condition and review; the
 * numbers as CSV or JSON; or everything into a folder. The shown result and plots are captured on the FX thread and written on a worker
 * thread, one export at a time; the outcome is one banner that names the path and says what to do.
 */
public final class ExportViewModel {
    private final ObservableObjectValue<AnalysisResult> result;
    /** The second model's result shown beside it (comparing two models), or null. */
    private final ObservableObjectValue<AnalysisResult> compared;
    private final ObservableValue<Plot> heatmap;
    private final ObservableValue<Plot> grid;
    private final ObservableValue<Plot> trajectory;

    private final ReadOnlyObjectWrapper<Banner> banner = new ReadOnlyObjectWrapper<>(this, "banner");
    private final ReadOnlyBooleanWrapper exporting = new ReadOnlyBooleanWrapper(this, "exporting");
    private final BooleanBinding canExport;

    ExportViewModel(ObservableObjectValue<AnalysisResult> result, ObservableObjectValue<AnalysisResult> compared,
            ObservableValue<Plot> heatmap, ObservableValue<Plot> grid, ObservableValue<Plot> trajectory) {
        this.result = result;
        this.compared = compared;
        this.heatmap = heatmap;
        this.grid = grid;
        this.trajectory = trajectory;
        this.canExport = Bindings.createBooleanBinding(() -> result.get() != null && !exporting.get(), result, exporting);
    }

    public boolean canExport() {
        return canExport.get();
    }

    /** True while there is a shown result and no export runs (the export menu items follow it). */
    public BooleanBinding canExportProperty() {
        return canExport;
    }

    public ReadOnlyBooleanProperty exportingProperty() {
        return exporting.getReadOnlyProperty();
    }

    /**
     * Writes heatmap, grid and trajectory (PNG, SVG and PDF), layers.csv and analysis.json into a folder.
     * The future completes on the FX thread, after the banner, with the files written.
     */
    public CompletableFuture<List<Path>> exportAll(Path folder) {
        return start(writer -> writer.all(folder));
    }

    /** Writes one file; the extension says the format (png, svg, pdf for the plot; csv, json for the numbers). */
    public CompletableFuture<List<Path>> export(ExportTarget target, Path file) {
        if (result.get() != null && !exporting.get()) {
            String why = writer().notReady(target);
            if (why != null && !file.getFileName().toString().matches("(?i).*\\.(csv|json)")) {
                show(Banner.warning(why)); // never write the "Computing …" placeholder as the picture
                return CompletableFuture.completedFuture(List.of());
            }
        }
        return start(writer -> writer.one(target, file));
    }

    /** False, with a banner saying why, when there is nothing to export yet (or an export runs). */
    public boolean checkReady() {
        if (result.get() == null) {
            show(Banner.warning("Nothing to export yet: load a model and type a review first."));
            return false;
        }
        if (exporting.get()) {
            show(Banner.info("An export is still being written; try again when it has finished."));
            return false;
        }
        return true;
    }

    private CompletableFuture<List<Path>> start(Function<ExportWriter, ExportWriter.Outcome> work) {
        CompletableFuture<List<Path>> done = new CompletableFuture<>();
        if (!checkReady()) {
            done.complete(List.of());
            return done;
        }
        ExportWriter writer = writer();
        Task<ExportWriter.Outcome> task = new Task<>() {
            @Override
            protected ExportWriter.Outcome call() {
                return work.apply(writer);
            }
        };
        task.setOnSucceeded(e -> finish(done, task.getValue()));
        task.setOnFailed(e -> finish(done, new ExportWriter.Outcome(List.of(), Banner.error("The export failed: "
                + task.getException()))));
        exporting.set(true);
        show(Banner.info("Exporting …"));
        Thread thread = new Thread(task, "export");
        thread.setDaemon(true); // files are written atomically: quitting never leaves half a picture
        thread.start();
        return done;
    }

    private void finish(CompletableFuture<List<Path>> done, ExportWriter.Outcome outcome) {
        exporting.set(false);
        show(outcome.banner());
        done.complete(outcome.files());
    }

    /** The shown result and plots, captured on the FX thread (all immutable). */
    private ExportWriter writer() {
        return new ExportWriter(result.get(), compared.get(), heatmap.getValue(), grid.getValue(), trajectory.getValue());
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
