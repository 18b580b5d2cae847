package dev.logitscope.ui;

import javafx.beans.property.DoubleProperty;
import javafx.beans.value.ChangeListener;
import javafx.scene.control.SplitPane;
import javafx.scene.input.MouseEvent;

/** Keeps a split pane's first divider in a property, so the session can remember it. */
final class Splits {
    private Splits() {}

    /** Applies a remembered position (0 = none: the FXML's stays), then follows the divider. */
    static void keep(SplitPane split, DoubleProperty position) {
        SplitPane.Divider divider = split.getDividers().get(0);
        double saved = position.get();
        if (saved > 0 && saved < 1) {
            divider.setPosition(saved);
            // The layouts before the window reaches its size move the divider (a split pane keeps
            // pixel widths when it grows); put it back on every resize until the user takes it.
            ChangeListener<Number> again = (obs, old, width) -> divider.setPosition(saved);
            split.widthProperty().addListener(again);
            split.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> split.widthProperty().removeListener(again));
        }
        position.set(divider.getPosition());
        divider.positionProperty().addListener((obs, old, now) -> position.set(now.doubleValue()));
    }
}
