package dev.logitscope.ui.plot;

import dev.logitscope.plot.PlotTheme;
import dev.logitscope.plot.Series;
import dev.logitscope.plot.TrajectoryChart;
import dev.logitscope.plot.TrajectoryData;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Two models' trajectories of the same review on one chart ({@link dev.logitscope.plot.ModelComparison}):
 * hover gives every line's value at the layer (or relative depth) under the pointer, and on a
 * relative axis which layer of its model that is.
 */
public record ComparisonTrajectoryPlot(TrajectoryData data) implements Plot {

    @Override
    public TrajectoryChart renderer(PlotTheme theme) {
        return new TrajectoryChart(data, theme);
    }

    /** Room for the legend's two model names and the axis titles: the chart never thins to a sliver. */
    @Override
    public double leastWidth(PlotTheme theme) {
        return 200;
    }

    @Override
    public Optional<String> describeAt(double x, double y, double width, double height) {
        OptionalDouble at = renderer(PlotTheme.light()).xAt(new Rectangle2D.Double(0, 0, width, height),
                new Point2D.Double(x, y));
        if (at.isEmpty()) {
            return Optional.empty();
        }
        double where = data.relativeX() ? at.getAsDouble() : Math.rint(at.getAsDouble());
        StringBuilder s = new StringBuilder(data.relativeX()
                ? String.format(Locale.ROOT, "Relative depth %.2f", where)
                : where == 0 ? "Embeddings" : "Layer " + (int) where);
        for (Series line : data.series()) {
            double[] xs = line.x();
            int nearest = -1;
            for (int i = 0; i < xs.length; i++) {
                if (Double.isFinite(xs[i]) && (nearest < 0 || Math.abs(xs[i] - where) < Math.abs(xs[nearest] - where))) {
                    nearest = i;
                }
            }
            if (nearest < 0 || (!data.relativeX() && xs[nearest] != where)) {
                continue;
            }
            s.append(String.format(Locale.ROOT, "%n%s  %s", line.name(), TextFormat.prob(line.y()[nearest])));
            if (data.relativeX()) {
                s.append(nearest == 0 ? "  (embeddings)" : "  (layer " + nearest + ")");
            }
        }
        return Optional.of(s.toString());
    }
}
