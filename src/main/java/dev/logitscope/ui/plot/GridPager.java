package dev.logitscope.ui.plot;

import dev.logitscope.plot.PlotTheme;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Orientation;
import javafx.scene.control.ScrollBar;
import javafx.scene.input.ScrollEvent;

/**
 * Shows a wide token × layer grid one viewport at a time: the canvas draws only the columns that
 * fit its width, and a horizontal scroll bar (or the mouse wheel) picks the first one. Other
 * plots (placeholders) pass through unchanged and hide the bar.
 */
public final class GridPager {
    private final ObservableValue<Plot> source;
    private final PlotCanvas canvas;
    private final ScrollBar bar;
    private GridPlot last;
    private boolean updating;

    public GridPager(ObservableValue<Plot> source, PlotCanvas canvas, ScrollBar bar) {
        this.source = source;
        this.canvas = canvas;
        this.bar = bar;
        bar.setOrientation(Orientation.HORIZONTAL);
        bar.setMin(0);
        bar.setUnitIncrement(1);
        source.addListener(o -> update());
        canvas.widthProperty().addListener(o -> update());
        canvas.plotThemeProperty().addListener(o -> update());
        bar.valueProperty().addListener(o -> update());
        canvas.addEventHandler(ScrollEvent.SCROLL, this::wheel);
        update();
    }

    /** The first column shown. */
    public int firstColumn() {
        return (int) Math.round(bar.getValue());
    }

    private void update() {
        if (updating) {
            return;
        }
        updating = true;
        try {
            Plot plot = source.getValue();
            if (!(plot instanceof GridPlot grid)) {
                last = null;
                show(false);
                canvas.plotProperty().set(plot);
                return;
            }
            if (!grid.sameReport(last)) {
                bar.setValue(0); // a new review's grid starts at its first column
            }
            last = grid;
            PlotTheme theme = canvas.plotThemeProperty().get();
            int fit = grid.columnsThatFit(canvas.getWidth() > 0 ? canvas.getWidth() : canvas.prefWidth(-1), theme);
            int n = grid.columns();
            int max = Math.max(0, n - fit);
            bar.setMax(Math.max(max, 1e-9));
            bar.setVisibleAmount(n == 0 ? 1 : Math.max(1, (double) max * fit / n));
            bar.setBlockIncrement(Math.max(1, fit - 1));
            int from = (int) Math.max(0, Math.min(max, Math.round(bar.getValue())));
            bar.setValue(from);
            show(max > 0);
            canvas.plotProperty().set(grid.page(from, from + fit));
        } finally {
            updating = false;
        }
    }

    private void wheel(ScrollEvent e) {
        if (!bar.isVisible()) {
            return;
        }
        double delta = e.getDeltaX() != 0 ? e.getDeltaX() : e.isShiftDown() ? e.getDeltaY() : 0;
        if (delta != 0) {
            bar.setValue(Math.max(bar.getMin(), Math.min(bar.getMax(), bar.getValue() - Math.signum(delta))));
            e.consume();
        }
    }

    private void show(boolean visible) {
        bar.setVisible(visible);
        bar.setManaged(visible);
    }
}
