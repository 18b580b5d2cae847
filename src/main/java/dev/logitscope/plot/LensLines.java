package dev.logitscope.plot;

import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.prompt.Sentiment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trajectory picture of one review read through several lenses: a line per lens, named by the
 * lens's key. Two labels: P(positive | labels) per lens, each lens its own colour, dash and marker.
 * More labels: a line per label and lens — the label's colour, the lens's dash — so both can be read.
 * Calibrated values when the run was calibrated, as its prediction uses them.
 */
public final class LensLines {
    private static final Series.Dash[] DASHES = {Series.Dash.SOLID, Series.Dash.DASHED, Series.Dash.DOTTED,
        Series.Dash.DASH_DOT, Series.Dash.LONG_DASH, Series.Dash.DASH_DOT_DOT};
    /** Palette entries for lenses, kept apart from the first few conditions' where they can be. */
    private static final int[] COLOURS = {5, 7, 2, 0, 1, 3};
    private static final Marker[] MARKERS = Marker.values();

    private LensLines() {}

    /**
     * @param lenses     each lens's trajectory by key, primary first
     * @param conditions further lines in their condition's style (the primary lens's demo comparison), may be empty
     */
    public static TrajectoryData of(String title, Map<String, LabelTrajectory> lenses,
            Map<String, LabelTrajectory> conditions, LayerMarker marker) {
        LabelTrajectory first = lenses.values().iterator().next();
        List<Series> series = new ArrayList<>();
        int lens = 0;
        if (first.labels() == 2) {
            Sentiment focus = AnalysisPlots.focusLabel(first);
            for (Map.Entry<String, LabelTrajectory> e : lenses.entrySet()) {
                LabelTrajectory t = e.getValue();
                series.add(new Series(e.getKey(), Series.layers(t.taps()), t.column(focus, t.isCalibrated()),
                        COLOURS[lens % COLOURS.length], DASHES[lens % DASHES.length], MARKERS[lens % MARKERS.length],
                        false));
                lens++;
            }
            if (!conditions.isEmpty()) {
                series.addAll(AnalysisPlots.conditionLines(AnalysisPlots.focusLines(conditions)));
            }
            return TrajectoryData.overlay(title, "positive", series, marker);
        }
        for (Map.Entry<String, LabelTrajectory> e : lenses.entrySet()) {
            LabelTrajectory t = e.getValue();
            for (int label = 0; label < t.labels(); label++) {
                series.add(new Series(e.getKey() + ": P(" + t.words().get(label).strip() + ")",
                        Series.layers(t.taps()), t.column(Sentiment.of(label), t.isCalibrated()), label,
                        DASHES[lens % DASHES.length], MARKERS[lens % MARKERS.length], false));
            }
            lens++;
        }
        return new TrajectoryData(title, "P(label | labels)", series, false, marker, Double.NaN);
    }
}
