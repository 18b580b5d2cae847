package dev.logitscope.ui;

import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.text.Text;

/**
 * A one-line label that shows the longest of its forms that fits its width instead of cutting
 * the text with an ellipsis. The first form is the whole text (and the tooltip while a shorter
 * one is shown), each next one shorter. It asks for the whole text's width and can shrink to
 * the shortest form's. With no forms it is a plain label.
 */
public final class FittedLabel extends Label {
    private final ObjectProperty<List<String>> forms = new SimpleObjectProperty<>(this, "forms", List.of());
    private final Tooltip whole = new Tooltip();

    public FittedLabel() {
        whole.setWrapText(true);
        whole.setMaxWidth(640);
        forms.addListener((obs, old, f) -> {
            whole.setText(f.isEmpty() ? "" : f.get(0));
            pick(getWidth());
            requestLayout();
        });
        fontProperty().addListener(o -> requestLayout());
    }

    public ObjectProperty<List<String>> formsProperty() {
        return forms;
    }

    @Override
    protected double computePrefWidth(double height) {
        List<String> f = forms.get();
        return f.isEmpty() ? super.computePrefWidth(height) : widthOf(f.get(0));
    }

    @Override
    protected double computeMinWidth(double height) {
        List<String> f = forms.get();
        return f.isEmpty() ? super.computeMinWidth(height) : widthOf(f.get(f.size() - 1));
    }

    @Override
    protected void layoutChildren() {
        pick(getWidth());
        super.layoutChildren();
    }

    private void pick(double width) {
        List<String> f = forms.get();
        if (f.isEmpty()) {
            return;
        }
        String chosen = f.get(f.size() - 1);
        for (String form : f) {
            if (widthOf(form) <= width + 0.5) {
                chosen = form;
                break;
            }
        }
        if (!chosen.equals(getText())) {
            setText(chosen);
        }
        setTooltip(chosen.equals(f.get(0)) ? null : whole);
    }

    /** The width this label needs to show {@code text} whole, in its own font and insets. */
    private double widthOf(String text) {
        Text probe = new Text(text);
        probe.setFont(getFont());
        return Math.ceil(probe.getLayoutBounds().getWidth()) + snappedLeftInset() + snappedRightInset() + 1;
    }
}
