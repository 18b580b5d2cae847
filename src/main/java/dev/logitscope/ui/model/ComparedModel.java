package dev.logitscope.ui.model;

import dev.logitscope.hub.HubSettings;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.lens.LensEngine;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;

/**
 * The second model of a before-vs-after comparison: a model bar of its own (the same loading,
 * progress, cancel and error banners as the first model's: {@link ModelBarViewModel}) that is
 * open only while the user compares. Stopping closes its engine, so its memory is freed.
 */
public final class ComparedModel {
    private final ModelBarViewModel bar;
    private final ReadOnlyBooleanWrapper comparing = new ReadOnlyBooleanWrapper(this, "comparing", false);
    /** The second model's lens; null reads it through the first model's (the request's) lens. */
    private final ObjectProperty<LensChoice> lens = new SimpleObjectProperty<>(this, "lens");
    /** The lenses the second model offers: the first model's, the logit lens, and its classifier head when it has one. */
    private final ObservableList<LensChoice> lenses = FXCollections.observableArrayList();

    public ComparedModel(HubSettings hub, List<String> recentModels) {
        this.bar = new ModelBarViewModel(hub, recentModels);
        // A fine-tuned classifier is read through its own head by default: the seeds' before-vs-after.
        bar.engineProperty().addListener((obs, old, engine) -> offerLenses(engine));
        offerLenses(null);
    }

    private void offerLenses(LensEngine engine) {
        boolean head = engine != null && engine.classLabels().isPresent();
        List<LensChoice> offered = new java.util.ArrayList<>();
        offered.add(null);
        offered.add(LensChoice.LOGIT);
        if (head) {
            offered.add(LensChoice.CLASSIFIER);
        }
        lenses.setAll(offered);
        lens.set(head ? LensChoice.CLASSIFIER : null);
    }

    /** Opens the comparison: the bar to pick the second model shows (nothing loads yet). */
    public void start() {
        comparing.set(true);
    }

    /** Opens the comparison and loads {@code model} (a catalog name, a repo id or a folder) as the second model. */
    public void compareWith(String model) {
        start();
        bar.load(model);
    }

    /** Ends the comparison: a load in progress stops and the second engine is closed. */
    public void stop() {
        comparing.set(false);
        bar.unload();
    }

    /** The engine to analyse beside the first model's, or null (not comparing, or nothing loaded yet). */
    public LensEngine engine() {
        return comparing.get() ? bar.engine() : null;
    }

    /** True while a second model is being fetched or loaded. */
    public boolean loading() {
        return comparing.get() && bar.busyProperty().get();
    }

    /** The lens the second model is read through, or null for the first model's. */
    public LensChoice lens() {
        return lens.get();
    }

    public ObjectProperty<LensChoice> lensProperty() {
        return lens;
    }

    public ObservableList<LensChoice> lenses() {
        return lenses;
    }

    public ModelBarViewModel bar() {
        return bar;
    }

    public boolean comparing() {
        return comparing.get();
    }

    public ReadOnlyBooleanProperty comparingProperty() {
        return comparing.getReadOnlyProperty();
    }

    /** At exit: stops a load and closes the second model. */
    public void close() {
        bar.close();
    }
}
