package dev.logitscope.ui.model;

import dev.logitscope.hub.DownloadProgress;
import dev.logitscope.hub.HubClient;
import dev.logitscope.hub.HubSettings;
import dev.logitscope.hub.ModelLocator;
import dev.logitscope.hub.ModelSource;
import dev.logitscope.lens.LensEngine;
import java.util.Objects;
import javafx.concurrent.Service;
import javafx.concurrent.Task;

/**
 * Finds (downloading when needed) and loads one model off the FX thread. Progress goes out
 * through the task's message and progress; cancelling stops a download between chunks.
 */
public final class ModelLoadService extends Service<LoadedModel> {
    private final HubSettings hub;
    private volatile String model = "";

    public ModelLoadService(HubSettings hub) {
        this.hub = Objects.requireNonNull(hub, "hub");
    }

    /** Captured on the FX thread before {@link #restart()}. */
    public void setModel(String model) {
        this.model = model;
    }

    /** The name the last {@link #restart()} was asked to load. */
    public String model() {
        return model;
    }

    @Override
    protected Task<LoadedModel> createTask() {
        String arg = model;
        return new Task<>() {
            /** The engine this task opened, until the service hands it over on success. */
            private volatile LensEngine opened;

            @Override
            protected LoadedModel call() throws Exception {
                updateMessage("Looking for " + arg + " …");
                updateProgress(-1, 1);
                ModelSource source = new ModelLocator(new HubClient(hub)).locate(arg, this::progress, this::isCancelled);
                updateMessage("Loading " + source.name() + " …");
                updateProgress(-1, 1);
                LensEngine engine = LensEngine.open(source.folder(), source.name());
                opened = engine;
                if (isCancelled()) {
                    closeOpened();
                }
                return new LoadedModel(arg, engine);
            }

            /** A cancel that lands after the engine opened must not leak it (its thread, weights, tokenizer). */
            @Override
            protected void cancelled() {
                closeOpened();
            }

            private void closeOpened() {
                LensEngine engine = opened;
                opened = null;
                if (engine != null) {
                    Thread closer = new Thread(engine::close, "close-model");
                    closer.setDaemon(true);
                    closer.start();
                }
            }

            private void progress(DownloadProgress p) {
                updateMessage("Downloading " + p.describe());
                double fraction = p.fraction();
                updateProgress(fraction < 0 ? -1 : fraction, 1);
            }
        };
    }
}
