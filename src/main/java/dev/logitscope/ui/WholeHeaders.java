package dev.logitscope.ui;

import java.util.ArrayList;
import java.util.List;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.skin.TableColumnHeader;
import javafx.scene.text.Font;
import javafx.scene.text.Text;

/**
 * Keeps a table's column headers whole at every window size: the columns share the table's width
 * (none hidden past its edge), a header's text may wrap onto more lines (styles: the header label
 * wraps), and no column gets narrower than the longest word of its header.
 */
final class WholeHeaders {
    /** Room for the vertical scroll bar that many rows bring. */
    private static final double SCROLL_BAR = 16;

    private WholeHeaders() {}

    static void keep(TableView<?> table) {
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        // After a layout the headers have their fonts and the rows their cells. The minimums are
        // set just after it, not within it: a size changed while the parents lay out would not
        // reach them (the split pane must see the table's new minimum). A change asks for one
        // more layout, which then changes nothing.
        boolean[] queued = {false};
        table.needsLayoutProperty().addListener((obs, was, needs) -> {
            if (!needs && !queued[0]) {
                queued[0] = true;
                Platform.runLater(() -> {
                    queued[0] = false;
                    fit(table);
                });
            }
        });
    }

    /**
     * Each column's minimum, the table's (all of them: its split pane then keeps that room), and
     * every header as high as the one that needs the most lines at its column's width (a
     * header's own height ignores wrapping).
     */
    private static void fit(TableView<?> table) {
        double height = 0;
        double columns = 0;
        List<TableColumnHeader> headers = new ArrayList<>();
        for (Node node : table.lookupAll(".column-header")) {
            if (node instanceof TableColumnHeader header && header.getTableColumn() instanceof TableColumn<?, ?> column
                    && header.lookup(".label") instanceof Label label) {
                double sides = label.snappedLeftInset() + label.snappedRightInset() + header.snappedLeftInset()
                        + header.snappedRightInset();
                double words = Math.ceil(longestWord(column.getText(), label.getFont()) + sides) + 2;
                double min = words;
                if (column.getMinWidth() != min) {
                    column.setMinWidth(min);
                }
                columns += min;
                double labelWidth = Math.max(min, column.getWidth()) - header.snappedLeftInset() - header.snappedRightInset();
                height = Math.max(height, label.prefHeight(labelWidth) + header.snappedTopInset()
                        + header.snappedBottomInset());
                headers.add(header);
            }
        }
        if (headers.isEmpty()) {
            return;
        }
        double tableMin = Math.ceil(columns + table.snappedLeftInset() + table.snappedRightInset() + SCROLL_BAR);
        if (table.getMinWidth() != tableMin) {
            table.setMinWidth(tableMin);
        }
        double rowHeight = Math.ceil(height);
        for (TableColumnHeader header : headers) {
            if (header.getPrefHeight() != rowHeight) {
                header.setPrefHeight(rowHeight);
            }
        }
    }

    private static double longestWord(String text, Font font) {
        double widest = 0;
        for (String word : (text == null ? "" : text).split("\\s+")) {
            widest = Math.max(widest, textWidth(word, font));
        }
        return widest;
    }

    private static double textWidth(String text, Font font) {
        Text probe = new Text(text);
        probe.setFont(font);
        return probe.getLayoutBounds().getWidth();
    }
}
