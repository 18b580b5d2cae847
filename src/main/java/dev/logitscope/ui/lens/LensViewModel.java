package dev.logitscope.ui.lens;

import dev.logitscope.hub.HubClient;
import dev.logitscope.hub.HubException;
import dev.logitscope.hub.HubSettings;
import dev.logitscope.hub.TunedLensHub;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.model.ModelException;
import dev.logitscope.ui.session.LensSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The lenses of the prompt setup: the logit lens always, the classifier head when the loaded model
 * has one, and learned lenses the user adds (a folder, or a published tuned lens by name). Several
 * can be ticked; {@link #chosenProperty()} is the list the analysis reads through, the first being
 * the primary lens (the grid's default and the verdict's). A learned lens is checked against the
 * loaded model off the FX thread ({@code LensEngine.prepareLens}) before it can be used: a lens
 * that does not fit is refused with the engine's message and nothing changes; after a model
 * change, lenses that no longer fit leave the list. FX thread only, except the checks.
 */
public final class LensViewModel {
    public static final String LOGIT = "logit";
    public static final String CLASSIFIER = "classifier";

    private final HubSettings hub;
    private final ObservableList<LensItem> items = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<List<LensChoice>> chosen =
            new ReadOnlyObjectWrapper<>(this, "chosen", List.of(LensChoice.LOGIT));
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ExecutorService checks = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lens-check");
        t.setDaemon(true);
        return t;
    });
    private LensEngine engine;
    private int running;

    public LensViewModel(HubSettings hub) {
        this.hub = hub;
        LensItem logit = new LensItem(LOGIT, "Logit lens", LensChoice.LOGIT);
        logit.usable(true);
        logit.chosenProperty().set(true);
        add(logit);
        add(new LensItem(CLASSIFIER, "Classifier head", LensChoice.CLASSIFIER));
    }

    private void add(LensItem item) {
        item.chosenProperty().addListener((obs, was, now) -> recompute());
        item.usableProperty().addListener((obs, was, now) -> recompute());
        items.add(item);
        recompute();
    }

    /** The ticked lenses the analysis can read through now, in the list's order; never empty (logit then). */
    private void recompute() {
        List<LensChoice> now = new ArrayList<>();
        for (LensItem item : items) {
            if (item.inUse()) {
                now.add(item.choice());
            }
        }
        if (now.isEmpty()) {
            now.add(LensChoice.LOGIT);
        }
        if (!now.equals(chosen.get())) {
            chosen.set(List.copyOf(now));
        }
    }

    public ObservableList<LensItem> items() {
        return items;
    }

    public ReadOnlyObjectProperty<List<LensChoice>> chosenProperty() {
        return chosen.getReadOnlyProperty();
    }

    public List<LensChoice> chosen() {
        return chosen.get();
    }

    /** Why the last lens could not be added or was taken off the list; "" when all went well. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** A lens is being checked against the model (or fetched). */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /**
     * Adds the learned lens in {@code folder} (a tuned lens in tuned-lens's layout, or a fit-lens
     * folder) ticked, once the loaded model has accepted it; a folder already listed is ticked.
     * The "Fit a lens…" dialog adds its result through this.
     */
    public void addLensFolder(Path folder) {
        Path dir = folder.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            message.set(dir + " is not a folder: choose the folder that holds the lens's config.json.");
            return;
        }
        LensChoice choice = LensChoice.folder(dir);
        addLearned(dir.toString(), choice.key(), () -> choice);
    }

    /**
     * Adds a published tuned lens by the name of the model it was trained for ({@code gpt2}), fetched
     * into the Hugging Face cache as {@code download tuned:NAME} fetches it.
     */
    public void addPublished(String name) {
        String n = name == null ? "" : name.strip();
        if (n.startsWith(TunedLensHub.PREFIX)) {
            n = n.substring(TunedLensHub.PREFIX.length());
        }
        if (n.isEmpty()) {
            message.set("Give the name of the model the tuned lens was trained for, e.g. gpt2.");
            return;
        }
        String spec = TunedLensHub.PREFIX + n;
        String lensName = n;
        addLearned(spec, spec, () -> LensChoice.folder(fetch(lensName)));
    }

    @FunctionalInterface
    private interface Resolve {
        LensChoice lens() throws ModelException, HubException;
    }

    private Path fetch(String name) throws HubException {
        return new TunedLensHub(new HubClient(hub), System.getenv()).fetch(name, progress -> { }, () -> false);
    }

    private void addLearned(String spec, String label, Resolve resolve) {
        LensEngine current = engine;
        if (current == null) {
            message.set("Load a model first: a lens is checked against the model it reads.");
            return;
        }
        check(current, resolve, lens -> {
            LensItem item = find(spec);
            if (item == null) {
                item = new LensItem(spec, label, lens);
                add(item);
            }
            item.resolved(lens);
            item.usable(true);
            item.chosenProperty().set(true);
            recompute();
            message.set("");
        }, why -> message.set(why)); // nothing changes
    }

    /**
     * The model changed: the classifier head is offered when it has a score head (a tick on it is
     * cleared otherwise), and each learned lens is checked against it again — those that do not fit
     * leave the list, saying so.
     */
    public void engineChanged(LensEngine now) {
        engine = now;
        LensItem classifier = find(CLASSIFIER);
        boolean head = now != null && now.classLabels().isPresent();
        classifier.usable(head);
        if (!head && now != null) {
            classifier.chosenProperty().set(false);
        }
        for (LensItem item : List.copyOf(items)) {
            if (!item.learned()) {
                continue;
            }
            item.usable(false);
            if (now == null) {
                continue;
            }
            Resolve resolve = item.spec().startsWith(TunedLensHub.PREFIX)
                    ? () -> LensChoice.folder(fetch(item.spec().substring(TunedLensHub.PREFIX.length())))
                    : () -> LensChoice.folder(Path.of(item.spec()));
            check(now, resolve, lens -> {
                item.resolved(lens);
                item.usable(true);
            }, why -> {
                items.remove(item);
                recompute();
                message.set(item.label() + " was taken off the lens list: " + why);
            });
        }
    }

    /** Resolves and prepares a lens off the FX thread, then tells {@code ok} or {@code failed} on it — if the model is still the same. */
    private void check(LensEngine on, Resolve resolve, java.util.function.Consumer<LensChoice> ok,
            java.util.function.Consumer<String> failed) {
        running++;
        busy.set(true);
        checks.execute(() -> {
            LensChoice lens = null;
            String why = null;
            try {
                lens = resolve.lens();
                on.prepareLens(lens);
            } catch (HubException e) {
                why = sentence(e.message(LensHubWords.INSTANCE));
            } catch (ModelException e) {
                why = e.getMessage();
            } catch (RuntimeException e) {
                why = "The lens could not be read (" + e.getMessage() + ").";
            }
            LensChoice found = lens;
            String reason = why;
            Platform.runLater(() -> {
                if (--running == 0) {
                    busy.set(false);
                }
                if (engine != on) {
                    return; // another model since: its own checks decide
                }
                if (reason == null) {
                    ok.accept(found);
                } else {
                    failed.accept(reason);
                }
            });
        });
    }

    /** The hub's messages start in lower case (they follow "error:" on the command line). */
    private static String sentence(String s) {
        return s == null || s.isEmpty() ? "The lens could not be fetched." : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private LensItem find(String spec) {
        return items.stream().filter(i -> i.spec().equals(spec)).findFirst().orElse(null);
    }

    /** The list and its ticks as the session keeps them. */
    public LensSettings settings() {
        List<String> added = new ArrayList<>();
        List<String> ticked = new ArrayList<>();
        for (LensItem item : items) {
            if (item.learned()) {
                added.add(item.spec());
            }
            if (item.chosenProperty().get()) {
                ticked.add(item.spec());
            }
        }
        return new LensSettings(added, ticked);
    }

    /** The session's list and ticks; learned lenses become usable once the model loaded accepts them. */
    public void restore(LensSettings saved) {
        for (String spec : saved.added()) {
            if (find(spec) != null || LOGIT.equals(spec) || CLASSIFIER.equals(spec)) {
                continue;
            }
            boolean published = spec.startsWith(TunedLensHub.PREFIX);
            LensChoice lens = published ? null : LensChoice.folder(Path.of(spec));
            add(new LensItem(spec, published ? spec : lens.key(), lens));
        }
        for (LensItem item : items) {
            item.chosenProperty().set(saved.chosen().contains(item.spec()));
        }
        recompute();
    }

    /** The lens-check thread ends with the window. */
    public void shutdown() {
        checks.shutdownNow();
    }
}
