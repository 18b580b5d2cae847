package dev.logitscope.ui.lens;

import dev.logitscope.lens.LensChoice;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleBooleanProperty;

/**
 * One line of the prompt setup's lens list: a lens the user can tick. A learned lens is usable
 * only once the loaded model has accepted it ({@code LensEngine.prepareLens}); the classifier
 * head only for a model that has one. FX thread only.
 */
public final class LensItem {
    private final String spec;
    private final String label;
    private LensChoice choice;
    private final BooleanProperty chosen = new SimpleBooleanProperty(this, "chosen");
    private final ReadOnlyBooleanWrapper usable = new ReadOnlyBooleanWrapper(this, "usable");

    /**
     * @param spec   how the session names it: logit, classifier, a folder's path or tuned:NAME
     * @param label  what the list shows
     * @param choice the lens it reads through, null until a published lens is found in the cache
     */
    LensItem(String spec, String label, LensChoice choice) {
        this.spec = spec;
        this.label = label;
        this.choice = choice;
    }

    public String spec() {
        return spec;
    }

    public String label() {
        return label;
    }

    /** The lens, or null while a published lens is still being looked up. */
    public LensChoice choice() {
        return choice;
    }

    void resolved(LensChoice lens) {
        choice = lens;
    }

    /** Ticked by the user (a tick on a lens that is not usable now waits until it is). */
    public BooleanProperty chosenProperty() {
        return chosen;
    }

    public ReadOnlyBooleanProperty usableProperty() {
        return usable.getReadOnlyProperty();
    }

    void usable(boolean now) {
        usable.set(now);
    }

    /** Whether the analysis reads through it: ticked, usable and known. */
    boolean inUse() {
        return chosen.get() && usable.get() && choice != null;
    }

    boolean learned() {
        return choice == null || choice.kind() == LensChoice.Kind.FOLDER;
    }
}
