package dev.logitscope.ui.plot;

import dev.logitscope.plot.PlotTheme;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.util.Optional;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.AccessibleRole;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.util.Duration;
import org.jfree.fx.FXGraphics2D;

/**
 * Shows a {@link Plot} on a JavaFX canvas through FXGraphics2D, redrawn on every resize, with the
 * plot's exact numbers in a tooltip under the pointer. A plot with a natural width (the heatmap's
 * columns do not shrink) is drawn scaled down when the canvas is narrower, to {@link #MIN_SCALE}.
 */
public final class PlotCanvas extends Region {
    /** How far a plot is scaled down before its canvas asks for more room: text stays legible. */
    public static final double MIN_SCALE = 0.8;

    private final Canvas canvas = new Canvas();
    private final FXGraphics2D graphics = new FXGraphics2D(canvas.getGraphicsContext2D());
    private final ObjectProperty<Plot> plot = new SimpleObjectProperty<>(this, "plot", Plot.placeholder(""));
    private final ObjectProperty<PlotTheme> theme = new SimpleObjectProperty<>(this, "plotTheme", PlotTheme.light());
    private final Tooltip tooltip = new Tooltip();

    public PlotCanvas() {
        getStyleClass().add("plot-canvas");
        setAccessibleRole(AccessibleRole.IMAGE_VIEW); // screen readers read its accessibleText, set by the view
        getChildren().add(canvas);
        plot.addListener((obs, old, p) -> {
            requestLayout();
            redraw();
        });
        theme.addListener((obs, old, t) -> {
            requestLayout(); // the natural width follows the theme's fonts
            redraw();
        });
        tooltip.setShowDelay(Duration.millis(120));
        tooltip.setShowDuration(Duration.seconds(30));
        tooltip.getStyleClass().add("plot-tooltip");
        canvas.addEventHandler(MouseEvent.MOUSE_MOVED, this::hover);
        canvas.addEventHandler(MouseEvent.MOUSE_EXITED, e -> tooltip.hide());
    }

    private void hover(MouseEvent e) {
        double s = drawScale();
        Optional<String> text = plot.get().describeAt(e.getX() / s, e.getY() / s, canvas.getWidth() / s,
                canvas.getHeight() / s);
        if (text.isEmpty()) {
            tooltip.hide();
            Tooltip.uninstall(canvas, tooltip);
            return;
        }
        tooltip.setText(text.get());
        Tooltip.install(canvas, tooltip);
        if (tooltip.isShowing()) {
            tooltip.setAnchorX(e.getScreenX() + 14);
            tooltip.setAnchorY(e.getScreenY() + 14);
        }
    }

    @Override
    protected void layoutChildren() {
        double w = snapSizeX(getWidth());
        double h = snapSizeY(getHeight());
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            redraw();
        }
    }

    @Override
    protected double computePrefWidth(double height) {
        double natural = plot.get().naturalWidth(theme.get());
        return plot.get().preferredWidth() > 0 ? plot.get().preferredWidth() : natural > 0 ? natural : 400;
    }

    @Override
    protected double computePrefHeight(double width) {
        return plot.get().preferredHeight() > 0 ? plot.get().preferredHeight() : 300;
    }

    @Override
    protected double computeMinWidth(double height) {
        double natural = plot.get().naturalWidth(theme.get());
        double least = plot.get().leastWidth(theme.get());
        return plot.get().preferredWidth() > 0 ? plot.get().preferredWidth()
                : least > 0 ? least : natural > 0 ? Math.ceil(natural * MIN_SCALE) : 120;
    }

    @Override
    protected double computeMinHeight(double width) {
        return plot.get().preferredHeight() > 0 ? plot.get().preferredHeight()
                : Math.max(120, Math.ceil(plot.get().leastHeight(theme.get())));
    }

    /**
     * The scale the plot is drawn at: 1, or less when the canvas is narrower than the plot's
     * natural width (never below {@link #MIN_SCALE}).
     */
    public double drawScale() {
        double natural = plot.get().naturalWidth(theme.get());
        double w = canvas.getWidth();
        return natural <= 0 || w <= 0 || w >= natural ? 1 : Math.max(MIN_SCALE, w / natural);
    }

    private void redraw() {
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        canvas.getGraphicsContext2D().clearRect(0, 0, w, h);
        if (w > 0 && h > 0) {
            double s = drawScale();
            AffineTransform unscaled = graphics.getTransform();
            graphics.scale(s, s);
            try {
                plot.get().renderer(theme.get()).draw(graphics, new Rectangle2D.Double(0, 0, w / s, h / s));
            } finally {
                graphics.setTransform(unscaled);
            }
        }
    }

    public ObjectProperty<Plot> plotProperty() {
        return plot;
    }

    public ObjectProperty<PlotTheme> plotThemeProperty() {
        return theme;
    }
}
