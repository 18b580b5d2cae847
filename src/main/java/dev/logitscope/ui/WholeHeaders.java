package dev.logitscope.ui;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableColumnBase;
import javafx.scene.control.TableView;
import javafx.scene.control.skin.TableColumnHeader;
import javafx.scene.text.Font;
import javafx.scene.text.Text;

/**
 * Keeps a table's column headers and values whole at every window size: the columns share the
 * table's width (none hidden past its edge), a header's text may wrap onto more lines (styles:
 * the header label wraps), no column gets narrower than the longest word of its header or, but
 * for the first column, than its widest value (up to 12 em); the first (a model's name or path)
 * gives way.
 */
final class WholeHeaders {
    /** Room for the vertical scroll bar that many rows bring. */
    private static final double SCROLL_BAR = 16;
    /** A value wider than this many ems may be cut: the other columns need their room too. */
    private static final double VALUE_EMS = 12;

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
        Map<TableColumnBase<?, ?>, Double> values = widestValues(table);
        TableColumnBase<?, ?> first = table.getColumns().isEmpty() ? null : table.getColumns().get(0);
        double height = 0;
        double columns = 0;
        List<TableColumnHeader> headers = new ArrayList<>();
        for (Node node : table.lookupAll(".column-header")) {
            if (node instanceof TableColumnHeader header && header.getTableColumn() instanceof TableColumn<?, ?> column
                    && header.lookup(".label") instanceof Label label) {
                double sides = label.snappedLeftInset() + label.snappedRightInset() + header.snappedLeftInset()
                        + header.snappedRightInset();
                double words = Math.ceil(longestWord(column.getText(), label.getFont()) + sides) + 2;
                double value = Math.min(values.getOrDefault(column, 0.0), VALUE_EMS * label.getFont().getSize());
                double min = column == first ? words : Math.max(words, value);
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

    /** The width each column's widest shown value needs, in its cells' font and padding. */
    private static Map<TableColumnBase<?, ?>, Double> widestValues(TableView<?> table) {
        Map<TableColumnBase<?, ?>, Double> widest = new HashMap<>();
        for (Node node : table.lookupAll(".table-cell")) {
            if (node instanceof TableCell<?, ?> cell && !cell.isEmpty() && cell.getText() != null
                    && cell.getTableColumn() != null) {
                double w = Math.ceil(textWidth(cell.getText(), cell.getFont()) + cell.snappedLeftInset()
                        + cell.snappedRightInset()) + 2;
                widest.merge(cell.getTableColumn(), w, Math::max);
            }
        }
        return widest;
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
