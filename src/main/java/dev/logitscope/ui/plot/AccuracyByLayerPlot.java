package dev.logitscope.ui.plot;

import dev.logitscope.plot.AccuracyByLayerChart;
import dev.logitscope.plot.AccuracyByLayerData;
import dev.logitscope.plot.PlotTheme;

/** An evaluation's accuracy per layer (correct vs. flipped, critical layer marked), as the CLI draws it. */
public record AccuracyByLayerPlot(AccuracyByLayerData data) implements Plot {
    @Override
    public AccuracyByLayerChart renderer(PlotTheme theme) {
        return new AccuracyByLayerChart(data, theme);
    }
}
