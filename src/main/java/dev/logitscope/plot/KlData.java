package dev.logitscope.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * KL(final ‖ layer) per layer, one line per lens: the tuned-lens paper's headline figure (how far
 * each layer's reading is from the model's own output; 0 at the last layer by definition).
 *
 * @param series one line per lens, named by its key
 * @param logY   a log y axis: the values span decades
 */
public record KlData(String title, List<Series> series, boolean logY) {

    public KlData {
        series = List.copyOf(series);
    }

    /** Lines of {@code perLens} (KL per layer 0..L), each lens its own colour and dash; log y when the values span two decades or more. */
    public static KlData of(String title, Map<String, double[]> perLens) {
        List<Series> series = new ArrayList<>();
        Series.Dash[] dashes = Series.Dash.values();
        int i = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (Map.Entry<String, double[]> lens : perLens.entrySet()) {
            series.add(Series.perLayer(lens.getKey(), lens.getValue(), i, dashes[i % dashes.length]));
            for (double v : lens.getValue()) {
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
            i++;
        }
        return new KlData(title, series, hi > 0 && hi / lo >= 100);
    }

    /** The y scale: 0 to a little above the largest value, or whole decades around the positive values on a log axis. */
    ValueScale scale() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (Series s : series) {
            for (int i = 0; i < s.size(); i++) {
                double v = s.yAt(i);
                if (v > 0 && Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(hi > 0)) {
            return ValueScale.linear(0, 1);
        }
        if (logY) {
            // the last layer's 0 is drawn at the floor, a decade under the smallest positive value
            return new ValueScale(Math.pow(10, Math.floor(Math.log10(lo)) - 1), Math.pow(10, Math.ceil(Math.log10(hi))), true);
        }
        double step = ValueScale.niceStep(hi / 4);
        return ValueScale.linear(0, Math.ceil(hi / step) * step);
    }
}
