package dev.logitscope.ui;

import java.util.Map;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;

/**
 * Binds a segmented control's toggle buttons to an enum property both ways: exactly one button is
 * selected, always the one whose value is in effect.
 */
final class EnumToggles {
    private EnumToggles() {}

    static <E> void bind(ToggleGroup group, Map<ToggleButton, E> buttons, ObjectProperty<E> property) {
        buttons.forEach((button, value) -> {
            button.setUserData(value);
            // ControlsFX's SegmentedButton puts its buttons in its group only when its skin is made
            // (when the window first shows): until then selecting through the group reached no
            // button, so a value restored from the session showed nothing selected. Join now.
            button.setToggleGroup(group);
            // A click on the selected segment would deselect it, leaving the value in effect unshown.
            button.selectedProperty().addListener((obs, was, now) -> {
                if (!now && group.getSelectedToggle() == null && button.getUserData() == property.get()) {
                    button.setSelected(true);
                }
            });
        });
        group.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                // Never end with nothing selected; look again once the group has settled.
                Platform.runLater(() -> select(buttons, property.get()));
            } else {
                @SuppressWarnings("unchecked")
                E value = (E) now.getUserData();
                property.set(value);
            }
        });
        property.addListener((obs, old, value) -> select(buttons, value));
        select(buttons, property.get());
    }

    private static <E> void select(Map<ToggleButton, E> buttons, E value) {
        buttons.forEach((button, v) -> {
            if (v == value && !button.isSelected()) {
                button.setSelected(true);
            }
        });
    }
}
