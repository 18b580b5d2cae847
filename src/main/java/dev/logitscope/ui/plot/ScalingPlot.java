package dev.logitscope.ui.plot;

import dev.logitscope.plot.PlotTheme;
import dev.logitscope.plot.ScalingChart;
import dev.logitscope.plot.ScalingData;

/** An evaluation's final accuracy against model size, as the CLI draws it. */
public record ScalingPlot(ScalingData data) implements Plot {
    @Override
    public ScalingChart renderer(PlotTheme theme) {
        return new ScalingChart(data, theme);
    }
}
