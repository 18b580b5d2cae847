package dev.logitscope.ui;

import java.util.ArrayList;
import java.util.List;
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
        // The headers' fonts are known once CSS has reached them, before the table is first laid out.
        table.widthProperty().addListener(o -> fit(table));
        for (TableColumn<?, ?> column : table.getColumns()) {
            column.widthProperty().addListener(o -> fit(table));
        }
    }

    /**
     * Each column at least as wide as its header's longest word, and the table at least as wide
     * as all of them (its split pane then keeps that room); every header as high as the one that
     * needs the most lines at its column's width (a header's own height ignores wrapping).
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
                double min = Math.ceil(longestWord(column.getText(), label.getFont()) + sides) + 2;
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
        double tableMin = Math.ceil(columns + table.snappedLeftInset() + table.snappedRightInset() + SCROLL_BAR);
        if (!headers.isEmpty() && table.getMinWidth() != tableMin) {
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
            Text probe = new Text(word);
            probe.setFont(font);
            widest = Math.max(widest, probe.getLayoutBounds().getWidth());
        }
        return widest;
    }
}
