package dev.logitscope.ui.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.plot.PlotRenderer;
import dev.logitscope.plot.PlotTheme;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A plot with a natural width is drawn scaled down in a narrower canvas — to 0.8 at the least,
 * which is the room the canvas asks of its layout — and the pointer is read at the same scale.
 */
class PlotCanvasScaleTest {
    private static final double NATURAL = 500;

    /** Records what the canvas asks of it: the area it is drawn into, the scale, the hover points. */
    static final class Recording implements Plot {
        final List<double[]> draws = new ArrayList<>();
        final List<double[]> hovers = new ArrayList<>();

        @Override
        public PlotRenderer renderer(PlotTheme theme) {
            return new PlotRenderer() {
                @Override
                public Dimension preferredSize() {
                    return new Dimension((int) NATURAL, 300);
                }

                @Override
                public void draw(Graphics2D g, Rectangle2D area) {
                    draws.add(new double[] {area.getWidth(), area.getHeight(), g.getTransform().getScaleX(),
                            g.getTransform().getScaleY()});
                }
            };
        }

        @Override
        public Optional<String> describeAt(double x, double y, double width, double height) {
            hovers.add(new double[] {x, y, width, height});
            return Optional.empty();
        }

        @Override
        public double naturalWidth(PlotTheme theme) {
            return NATURAL;
        }

        @Override
        public double leastHeight(PlotTheme theme) {
            return 150;
        }
    }

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    private static <T> T fx(java.util.concurrent.Callable<T> action) throws Exception {
        return WaitForAsyncUtils.asyncFx(action).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aNarrowerCanvasDrawsThePlotScaledAndReadsThePointerAtThatScale() throws Exception {
        Recording plot = new Recording();
        PlotCanvas canvas = fx(() -> {
            PlotCanvas c = new PlotCanvas();
            c.plotProperty().set(plot);
            c.resize(450, 200);
            c.layout();
            return c;
        });
        assertThat(fx(canvas::drawScale)).isCloseTo(0.9, within(1e-9));
        double[] drawn = plot.draws.get(plot.draws.size() - 1);
        assertThat(drawn).containsExactly(new double[] {500, 200 / 0.9, 0.9, 0.9}, within(1e-9));

        fx(() -> {
            Node inner = canvas.getChildrenUnmodifiable().get(0);
            Event.fireEvent(inner, new MouseEvent(MouseEvent.MOUSE_MOVED, 90, 45, 90, 45, MouseButton.NONE, 0,
                    false, false, false, false, false, false, false, false, false, false, null));
            return null;
        });
        assertThat(plot.hovers).hasSize(1);
        assertThat(plot.hovers.get(0)).containsExactly(new double[] {100, 50, 500, 200 / 0.9}, within(1e-9));
    }

    @Test
    void theScaleStopsAtMinScaleWhichIsTheRoomTheCanvasAsksFor() throws Exception {
        Recording plot = new Recording();
        PlotCanvas canvas = fx(() -> {
            PlotCanvas c = new PlotCanvas();
            c.plotProperty().set(plot);
            c.resize(300, 200);
            c.layout();
            return c;
        });
        assertThat(fx(canvas::drawScale)).isEqualTo(PlotCanvas.MIN_SCALE);
        assertThat(fx(() -> canvas.minWidth(-1))).isEqualTo(Math.ceil(NATURAL * PlotCanvas.MIN_SCALE));
        assertThat(fx(() -> canvas.minHeight(-1))).isEqualTo(150.0);
        assertThat(fx(() -> canvas.prefWidth(-1))).isEqualTo(NATURAL);

        fx(() -> {
            canvas.resize(640, 200);
            canvas.layout();
            return null;
        });
        assertThat(fx(canvas::drawScale)).isEqualTo(1.0); // wider than natural: full size, the plot fills it
        double[] drawn = plot.draws.get(plot.draws.size() - 1);
        assertThat(drawn).containsExactly(new double[] {640, 200, 1, 1}, within(1e-9));
    }

    @Test
    void aPlotWithoutANaturalWidthFillsAnyCanvasAtFullSize() throws Exception {
        PlotCanvas canvas = fx(() -> {
            PlotCanvas c = new PlotCanvas();
            c.plotProperty().set(Plot.placeholder("nothing yet"));
            c.resize(90, 60);
            c.layout();
            return c;
        });
        assertThat(fx(canvas::drawScale)).isEqualTo(1.0);
        assertThat(fx(() -> canvas.minWidth(-1))).isEqualTo(120.0);
    }
}
