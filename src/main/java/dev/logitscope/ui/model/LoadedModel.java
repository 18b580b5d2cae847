package dev.logitscope.ui.model;

import dev.logitscope.lens.LensEngine;
import java.util.Objects;

/**
 * A finished load: the engine and the name it was asked for, carried together so the name the
 * window records is always the model that was loaded (not whatever the combo box says by then).
 */
public record LoadedModel(String name, LensEngine engine) {
    public LoadedModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(engine, "engine");
    }
}
