package dev.logitscope.ui;

import dev.logitscope.ui.session.ViewSettings;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;

/** Puts the window where it was last time, if that place is still on a screen, and follows it. */
final class WindowPlace {
    /** How much of the window must lie on a screen for the saved place to be used. */
    private static final double VISIBLE = 80;

    interface Listener {
        void moved(double x, double y, double width, double height, boolean maximized);
    }

    private WindowPlace() {}

    static void restore(Stage stage, ViewSettings saved) {
        if (!saved.hasBounds()) {
            return;
        }
        Rectangle2D place = new Rectangle2D(saved.x(), saved.y(), saved.width(), saved.height());
        // A screen unplugged since, or a smaller one: keep the window's own size and place.
        Screen screen = Screen.getScreensForRectangle(place).stream().findFirst().orElse(null);
        if (screen != null) {
            Rectangle2D bounds = screen.getVisualBounds();
            Rectangle2D overlap = intersection(bounds, place);
            if (overlap.getWidth() >= VISIBLE && overlap.getHeight() >= VISIBLE) {
                stage.setWidth(Math.max(stage.getMinWidth(), Math.min(saved.width(), bounds.getWidth())));
                stage.setHeight(Math.max(stage.getMinHeight(), Math.min(saved.height(), bounds.getHeight())));
                stage.setX(saved.x());
                stage.setY(saved.y());
            }
        }
        stage.setMaximized(saved.maximized());
    }

    static void follow(Stage stage, Listener listener) {
        Runnable report = () -> {
            if (!stage.isIconified() && stage.isShowing()) {
                listener.moved(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized());
            }
        };
        stage.xProperty().addListener(o -> report.run());
        stage.yProperty().addListener(o -> report.run());
        stage.widthProperty().addListener(o -> report.run());
        stage.heightProperty().addListener(o -> report.run());
        stage.maximizedProperty().addListener(o -> report.run());
        stage.showingProperty().addListener(o -> report.run());
    }

    private static Rectangle2D intersection(Rectangle2D a, Rectangle2D b) {
        double minX = Math.max(a.getMinX(), b.getMinX());
        double minY = Math.max(a.getMinY(), b.getMinY());
        double maxX = Math.min(a.getMaxX(), b.getMaxX());
        double maxY = Math.min(a.getMaxY(), b.getMaxY());
        return maxX <= minX || maxY <= minY ? Rectangle2D.EMPTY : new Rectangle2D(minX, minY, maxX - minX, maxY - minY);
    }
}
