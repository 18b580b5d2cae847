package dev.logitscope.ui;

import javafx.application.Platform;
import javafx.event.ActionEvent;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextFormatter;
import javafx.util.StringConverter;

/**
 * Makes an editable integer spinner safe to type into: only digits get in, and text that is not
 * a number (an empty field) keeps the current value. The stock converter throws
 * NumberFormatException on the FX thread instead.
 */
final class IntegerSpinners {
    private IntegerSpinners() {}

    static void keepValueOnBadInput(Spinner<Integer> spinner) {
        SpinnerValueFactory<Integer> factory = spinner.getValueFactory();
        StringConverter<Integer> converter = new StringConverter<>() {
            @Override
            public String toString(Integer value) {
                return value == null ? "" : value.toString();
            }

            @Override
            public Integer fromString(String text) {
                try {
                    return Integer.valueOf(text == null ? "" : text.strip());
                } catch (NumberFormatException e) {
                    return factory.getValue();
                }
            }
        };
        factory.setConverter(converter);
        spinner.getEditor().setTextFormatter(new TextFormatter<String>(
                change -> change.getControlNewText().matches("\\d{0,6}") ? change : null));
        // An unchanged value does not rewrite the text: show the kept value after Enter or leaving the field.
        Runnable resync = () -> Platform.runLater(() -> spinner.getEditor().setText(converter.toString(factory.getValue())));
        spinner.getEditor().addEventHandler(ActionEvent.ACTION, e -> resync.run());
        spinner.getEditor().focusedProperty().addListener((obs, was, now) -> {
            if (!now) {
                resync.run();
            }
        });
    }
}
