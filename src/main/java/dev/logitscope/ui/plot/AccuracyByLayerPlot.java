package dev.logitscope.ui.plot;

import dev.logitscope.plot.AccuracyByLayerChart;
import dev.logitscope.plot.AccuracyByLayerData;
import dev.logitscope.plot.PlotTheme;
import dev.logitscope.plot.Series;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.Locale;
import java.util.Optional;

/** An evaluation's accuracy per layer (correct vs. flipped, critical layer marked), as the CLI draws it. */
public record AccuracyByLayerPlot(AccuracyByLayerData data) implements Plot {
    @Override
    public AccuracyByLayerChart renderer(PlotTheme theme) {
        return new AccuracyByLayerChart(data, theme);
    }

    /** The model, the layer nearest the pointer and every condition's accuracy there, with its 95% interval and n. */
    @Override
    public Optional<String> describeAt(double x, double y, double width, double height) {
        return renderer(PlotTheme.light()).hitTest(new Rectangle2D.Double(0, 0, width, height), new Point2D.Double(x, y))
                .map(hit -> {
                    AccuracyByLayerData.Panel panel = data.panels().get(hit.panel());
                    StringBuilder s = new StringBuilder(panel.model()).append('\n')
                            .append(hit.layer() == 0 ? "Embeddings (layer 0)" : "Layer " + hit.layer());
                    if (panel.marker() != null && Math.round(panel.marker().depth()) == hit.layer()) {
                        s.append(" — ").append(panel.marker().label());
                    }
                    for (int k = 0; k < panel.series().size(); k++) {
                        Series series = panel.series().get(k);
                        double[] layers = series.x();
                        double[] accuracy = series.y();
                        for (int i = 0; i < layers.length; i++) {
                            if (layers[i] == hit.layer() && Double.isFinite(accuracy[i])) {
                                s.append(String.format(Locale.ROOT, "%n%s: %.3f", series.name(), accuracy[i]))
                                        .append(TextFormat.interval(accuracy[i], panel.examples().get(k)));
                            }
                        }
                    }
                    if (!panel.note().isEmpty()) {
                        s.append('\n').append(panel.note()).append(": no critical layer");
                    }
                    return s.toString();
                });
    }
}
