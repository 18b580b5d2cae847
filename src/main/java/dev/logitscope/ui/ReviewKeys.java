package dev.logitscope.ui;

import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;

/**
 * Keyboard users leave the review with Tab and Shift+Tab, as in every other field: a TextArea
 * would insert a tab character (and re-analyse) instead. The TextArea moves focus on Ctrl+Tab, so
 * a plain Tab is re-sent as that.
 */
final class ReviewKeys {
    private ReviewKeys() {}

    static void tabMovesFocus(TextArea area) {
        area.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.TAB && !e.isControlDown() && !e.isAltDown() && !e.isMetaDown()) {
                e.consume();
                area.fireEvent(new KeyEvent(e.getSource(), e.getTarget(), KeyEvent.KEY_PRESSED, e.getCharacter(),
                        e.getText(), KeyCode.TAB, e.isShiftDown(), true, false, false));
            }
        });
    }
}
