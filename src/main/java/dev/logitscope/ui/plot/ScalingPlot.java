package dev.logitscope.ui.plot;

import dev.logitscope.plot.Numbers;
import dev.logitscope.plot.PlotTheme;
import dev.logitscope.plot.ScalingChart;
import dev.logitscope.plot.ScalingData;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/** An evaluation's final accuracy against model size, as the CLI draws it. */
public record ScalingPlot(ScalingData data) implements Plot {
    @Override
    public ScalingChart renderer(PlotTheme theme) {
        return new ScalingChart(data, theme);
    }

    /** The model nearest the pointer, its size and every condition's final accuracy with its 95% interval and n. */
    @Override
    public Optional<String> describeAt(double x, double y, double width, double height) {
        OptionalInt hit = renderer(PlotTheme.light()).modelAt(new Rectangle2D.Double(0, 0, width, height),
                new Point2D.Double(x, y));
        if (hit.isEmpty()) {
            return Optional.empty();
        }
        int m = hit.getAsInt();
        ScalingData.Model model = data.models().get(m);
        StringBuilder s = new StringBuilder(model.name()).append(" · ").append(Numbers.parameters(model.parameters()))
                .append(" parameters");
        for (ScalingData.Condition c : data.conditions()) {
            double accuracy = c.accuracy()[m];
            if (Double.isFinite(accuracy)) {
                s.append(String.format(Locale.ROOT, "%n%s: %.3f", c.name(), accuracy))
                        .append(TextFormat.interval(accuracy, c.examples()[m]))
                        .append(c.worst() == m ? " (worst model)" : "");
            }
        }
        return Optional.of(s.toString());
    }
}
