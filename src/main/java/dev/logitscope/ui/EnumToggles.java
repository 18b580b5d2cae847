package dev.logitscope.ui;

import java.util.Map;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;

/** Binds a group of toggle buttons to an enum property both ways; one button is always selected. */
final class EnumToggles {
    private EnumToggles() {}

    static <E> void bind(ToggleGroup group, Map<ToggleButton, E> buttons, ObjectProperty<E> property) {
        buttons.forEach((button, value) -> button.setUserData(value));
        group.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                // A segmented toggle never ends with nothing selected; null also passes by while
                // the group moves from one button to the next, so look again once that settles.
                Platform.runLater(() -> {
                    if (group.getSelectedToggle() == null) {
                        select(group, property.get());
                    }
                });
            } else {
                @SuppressWarnings("unchecked")
                E value = (E) now.getUserData();
                property.set(value);
            }
        });
        property.addListener((obs, old, value) -> select(group, value));
        select(group, property.get());
    }

    private static void select(ToggleGroup group, Object value) {
        for (Toggle t : group.getToggles()) {
            if (t.getUserData() == value) {
                group.selectToggle(t);
            }
        }
    }
}
