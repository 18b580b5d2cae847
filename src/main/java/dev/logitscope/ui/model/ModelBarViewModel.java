package dev.logitscope.ui.model;

import dev.logitscope.hub.CatalogEntry;
import dev.logitscope.hub.DownloadCancelledException;
import dev.logitscope.hub.HubCache;
import dev.logitscope.hub.HubException;
import dev.logitscope.hub.HubSettings;
import dev.logitscope.hub.ModelLocator;
import dev.logitscope.hub.ModelCatalog;
import dev.logitscope.hub.ModelRepoFiles;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.ui.session.RecentModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableDoubleValue;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Worker;
import javafx.util.Duration;

/**
 * The model bar: which model is loaded, loading a new one (with progress and cancel), the recent
 * models, and the banner that says what to do when there is no model. A failed load leaves the
 * previous model in place; the old engine is closed only once the new one is up.
 */
public final class ModelBarViewModel {
    private static final String MODEL_FILES = ModelRepoFiles.NEEDS;
    /** The reachability probe's thread: a daemon, so it never holds the app open. */
    private static final Executor PROBES = task -> {
        Thread t = new Thread(task, "hub-probe");
        t.setDaemon(true);
        t.start();
    };
    private final HubSettings hub;
    private final ModelLoadService loader;
    private final ReadOnlyObjectWrapper<LensEngine> engine = new ReadOnlyObjectWrapper<>(this, "engine");
    private final ReadOnlyObjectWrapper<Banner> banner = new ReadOnlyObjectWrapper<>(this, "banner");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "No model loaded");
    private final ReadOnlyObjectWrapper<List<String>> summaryForms = new ReadOnlyObjectWrapper<>(this, "summaryForms",
            List.of("No model loaded"));
    private final ReadOnlyObjectWrapper<List<String>> recent = new ReadOnlyObjectWrapper<>(this, "recent", List.of());
    private final ObservableList<String> choices = FXCollections.observableArrayList();
    private final StringProperty selected = new SimpleStringProperty(this, "selected", "");
    private final ReadOnlyStringWrapper loadedName = new ReadOnlyStringWrapper(this, "loadedName", "");
    private final BooleanBinding busy;
    /** Set by the Cancel button only: a load replaced by another one is cancelled too, silently. */
    private boolean userCancelled;
    /** Looks every few seconds whether a training run saved the loaded checkpoint again. */
    private final Timeline checkpointPoll = new Timeline(new KeyFrame(Duration.seconds(3), e -> checkCheckpoint()));
    /** The engine whose changed checkpoint was already reported (once per loaded model). */
    private LensEngine reportedChange;
    private Runnable folderChooser = () -> { };

    public ModelBarViewModel(HubSettings hub, List<String> recentModels) {
        this.hub = hub;
        this.loader = new ModelLoadService(hub);
        loader.setOnSucceeded(e -> loaded(loader.getValue()));
        loader.setOnFailed(e -> failed(loader.model(), loader.getException()));
        loader.setOnCancelled(e -> cancelled());
        busy = Bindings.createBooleanBinding(() -> loader.getState() == Worker.State.RUNNING
                || loader.getState() == Worker.State.SCHEDULED, loader.stateProperty());
        recent.set(List.copyOf(recentModels));
        refreshChoices();
        checkpointPoll.setCycleCount(Animation.INDEFINITE);
        checkpointPoll.play();
    }

    /** Shows a banner when the loaded model's model.safetensors changed on disk; once per loaded model. */
    public void checkCheckpoint() {
        LensEngine current = engine.get();
        if (current == null || current == reportedChange) {
            return;
        }
        current.checkpoint().notice().ifPresent(notice -> {
            reportedChange = current;
            show(Banner.warning(notice + " Choose " + loadedName.get() + " in the model bar again to load the new one."));
        });
    }

    /**
     * A first start (no model to load): offers the smallest catalog model already in the cache,
     * else the smallest one to download, else (offline) says how to get one later. Never an error:
     * nothing went wrong.
     */
    public void offerFirstModel() {
        Optional<CatalogEntry> cached = ModelCatalog.entries().stream().filter(this::cached).findFirst();
        if (cached.isPresent()) {
            String name = cached.get().shortName();
            show(Banner.info("No model loaded yet. " + name + " is already in your Hugging Face cache (" + hub.cacheDir()
                    + "): load it to begin, or open a model folder of your own.")
                    .withActions(new Banner.Action("Load " + name, () -> load(name)), openFolderAction()));
        } else if (hub.offline()) {
            show(Banner.info("No model yet, and offline mode is on (HF_HUB_OFFLINE is set), so nothing can be"
                    + " downloaded; the Hugging Face cache at " + hub.cacheDir() + " holds no GPT-2 model. To get one"
                    + " later, unset HF_HUB_OFFLINE while connected and pick " + describe(smallest()) + " in the Model"
                    + " box; or set HF_HOME to a cache that holds one and restart. To use a model you already have,"
                    + " open its folder (" + MODEL_FILES + ").").withActions(openFolderAction()));
        } else {
            CatalogEntry first = smallest();
            Banner welcome = Banner.info("Welcome. Logitscope needs a GPT-2 model to look inside: download "
                    + describe(first) + ", the smallest, into the Hugging Face cache at " + hub.cacheDir()
                    + ", and a sample review is analysed as soon as it is in. Or open a model folder you already have.")
                    .withActions(downloadAction(first), openFolderAction());
            show(welcome);
            // Offline, say so now rather than after a click on Download.
            CompletableFuture.supplyAsync(() -> HubProbe.reachable(hub), PROBES).thenAcceptAsync(reachable -> {
                if (!reachable && banner.get() == welcome && engine.get() == null && !busy.get()) {
                    show(offlineAtFirstStart(first));
                }
            }, Platform::runLater);
        }
    }

    private Banner offlineAtFirstStart(CatalogEntry first) {
        return Banner.info("You are offline: " + hub.endpoint().getHost() + " cannot be reached, and no GPT-2 model is"
                + " in the Hugging Face cache at " + hub.cacheDir() + ". To get one later, connect and press Try again"
                + " (it downloads " + describe(first) + "). To use a model you already have, open its folder ("
                + MODEL_FILES + ").").withActions(new Banner.Action("Try again", () -> load(first.shortName())),
                        openFolderAction());
    }

    /** Being offline is a situation, not a fault: say so, and what to do now and later. */
    private Banner offline(String requested) {
        Banner.Action retry = new Banner.Action("Try again", () -> load(requested));
        return Banner.info("You are offline: " + hub.endpoint().getHost() + " cannot be reached, and " + requested
                + " is not in the Hugging Face cache at " + hub.cacheDir() + ". To get it later, connect and press"
                + " Try again (or pick a model in the Model box). To use a model you already have, open its folder ("
                + MODEL_FILES + ")." + keptModel()).withActions(retry, openFolderAction());
    }

    private boolean cached(CatalogEntry entry) {
        return new HubCache(hub.cacheDir()).modelFiles(entry.repoId(), ModelLocator.REVISION).isPresent();
    }

    private static CatalogEntry smallest() {
        return ModelCatalog.entries().get(0);
    }

    /** "distilgpt2 (82 M parameters, 353 MB)". */
    static String describe(CatalogEntry entry) {
        return entry.shortName() + " (" + Math.round(entry.parameters() / 1e6) + " M parameters, "
                + megabytes(entry) + ")";
    }

    private static String megabytes(CatalogEntry entry) {
        return Math.round(entry.downloadBytes() / 1e6) + " MB";
    }

    private Banner.Action downloadAction(CatalogEntry entry) {
        return new Banner.Action("Download " + entry.shortName() + " (" + megabytes(entry) + ")",
                () -> load(entry.shortName()));
    }

    private Banner.Action openFolderAction() {
        return new Banner.Action("Open folder…", () -> folderChooser.run());
    }

    /** What "Open folder…" in a banner runs: the view's folder chooser. */
    public void setFolderChooser(Runnable chooser) {
        folderChooser = Objects.requireNonNull(chooser, "chooser");
    }

    /** Loads a catalog name, a repo id or a folder; the current model keeps working meanwhile. */
    public void load(String model) {
        if (model == null || model.isBlank()) {
            return;
        }
        String name = model.strip();
        if (busy.get() && name.equals(loader.model())) {
            return; // already on its way; restarting would throw the progress away
        }
        loader.setModel(name);
        userCancelled = false;
        banner.set(null);
        loader.restart();
        // After the restart, so a combo box that reacts to its value sees a busy loader.
        selected.set(name);
    }

    public void openFolder(Path folder) {
        load(folder.toAbsolutePath().normalize().toString());
    }

    /** The user's Cancel: stops the load and says what is kept. */
    public void cancel() {
        if (busy.get()) {
            userCancelled = true;
            loader.cancel();
        }
    }

    public void dismissBanner() {
        banner.set(null);
    }

    /**
     * At exit: stops a load and closes the loaded model off the FX thread. Closing waits for a
     * running analysis to give the engine back (and the model thread to end), which would freeze
     * the window while it closes.
     */
    public void close() {
        checkpointPoll.stop();
        userCancelled = false;
        loader.cancel();
        LensEngine current = engine.get();
        engine.set(null);
        if (current != null) {
            closeLater(current);
        }
    }

    /**
     * Lets go of the model: a load in progress stops, and the loaded engine is closed off the FX
     * thread once the analysis using it (if any) gives it back. The bar then holds no model.
     */
    public void unload() {
        userCancelled = false;
        loader.cancel();
        LensEngine current = engine.get();
        engine.set(null);
        loadedName.set("");
        summaryForms.set(List.of("No model loaded"));
        summary.set("No model loaded");
        banner.set(null);
        if (current != null) {
            closeLater(current);
        }
    }

    /** Closes an engine on a daemon thread: queued behind any analysis still running on it. */
    private static void closeLater(LensEngine old) {
        Thread closer = new Thread(old::close, "close-model");
        closer.setDaemon(true);
        closer.start();
    }

    private void loaded(LoadedModel next) {
        LensEngine previous = engine.get();
        loadedName.set(next.name());
        engine.set(next.engine());
        summaryForms.set(ModelSummary.forms(next.engine().info()));
        summary.set(summaryForms.get().get(0));
        recent.set(RecentModels.add(recent.get(), next.name()));
        selected.set(next.name()); // the combo shows what is loaded, whatever was typed meanwhile
        refreshChoices();
        banner.set(null);
        if (previous != null) {
            closeLater(previous);
        }
    }

    private void cancelled() {
        if (userCancelled) {
            show(Banner.info("Cancelled. A partial download stays in the cache and resumes next time." + keptModel()));
        }
        userCancelled = false;
        restoreSelection();
    }

    private void failed(String requested, Throwable error) {
        if (error instanceof DownloadCancelledException) {
            show(Banner.info(error.getMessage() + keptModel()));
            restoreSelection();
            return;
        }
        if (unreachable(error)) {
            show(offline(requested));
            restoreSelection();
            return;
        }
        String message = error instanceof HubException h ? h.message(AppHubWords.INSTANCE)
                : error.getMessage() == null ? error.toString() : error.getMessage();
        // A hub problem says what to do in the app's words already.
        String advice = hub.offline() && engine.get() == null && !(error instanceof HubException)
                ? " You are offline: open a model folder (File ▸ Open model folder…) or set HF_HOME to a cache that holds"
                        + " the model."
                : "";
        show(Banner.error("Could not load " + requested + ": " + capitalise(message) + advice + keptModel()));
        restoreSelection();
    }

    /** The network could not be reached at all (no connection, no route, no name resolution). */
    static boolean unreachable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (HubProbe.isConnectFailure(t)) {
                return true;
            }
        }
        return false;
    }

    /** After a load that did not finish the combo shows the model still in use again. */
    private void restoreSelection() {
        if (engine.get() != null) {
            selected.set(loadedName.get());
        }
    }

    private String keptModel() {
        return engine.get() == null ? "" : " Still using " + engine.get().info().source() + ".";
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private void refreshChoices() {
        List<String> all = new ArrayList<>();
        for (CatalogEntry entry : ModelCatalog.entries()) {
            all.add(entry.shortName());
        }
        for (String r : recent.get()) {
            if (!all.contains(r)) {
                all.add(r);
            }
        }
        String keep = selected.get(); // an editable combo box forgets its value when its items change
        choices.setAll(all);
        selected.set(keep);
    }

    public ReadOnlyObjectProperty<LensEngine> engineProperty() {
        return engine.getReadOnlyProperty();
    }

    public LensEngine engine() {
        return engine.get();
    }

    public ReadOnlyObjectProperty<Banner> bannerProperty() {
        return banner.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The summary, then shorter forms of it for a narrow window (see {@link ModelSummary#forms}). */
    public ReadOnlyObjectProperty<List<String>> summaryFormsProperty() {
        return summaryForms.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<List<String>> recentProperty() {
        return recent.getReadOnlyProperty();
    }

    public ObservableList<String> choices() {
        return choices;
    }

    public StringProperty selectedProperty() {
        return selected;
    }

    public BooleanBinding busyProperty() {
        return busy;
    }

    public ObservableDoubleValue progressProperty() {
        return loader.progressProperty();
    }

    public ObservableStringValue progressTextProperty() {
        return loader.messageProperty();
    }

    /** The name the loaded model was asked for, "" while none is loaded. */
    public ReadOnlyStringProperty loadedNameProperty() {
        return loadedName.getReadOnlyProperty();
    }

    /** The model being loaded (or last asked for). */
    public String loadingName() {
        return loader.model();
    }

    /** The name the loaded model was asked for (what the session remembers). */
    public String loadedName() {
        return engine.get() == null ? "" : loadedName.get();
    }

    /** Re-shows an equal banner too (a property only fires on a change). */
    private void show(Banner next) {
        banner.set(null);
        banner.set(next);
    }
}
