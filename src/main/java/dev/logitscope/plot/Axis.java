package dev.logitscope.plot;

import java.util.ArrayList;
import java.util.List;

/** A chart axis: its scale and labelled ticks (a tick may carry a second, muted line: a model name). */
record Axis(ValueScale scale, List<Tick> ticks) {

    record Tick(double value, String label, String sublabel) {}

    Axis {
        ticks = List.copyOf(ticks);
    }

    /** Layer depths: whole-number ticks, every 1, 2, 5, 10 … layers so that about 8 show. */
    static Axis layers(double min, double max) {
        double hi = max > min ? max : min + 1;
        ValueScale scale = ValueScale.linear(min, hi);
        double step = Math.max(1, ValueScale.niceStep((hi - min) / 8));
        List<Tick> ticks = new ArrayList<>();
        for (double v = Math.ceil(min / step) * step; v <= hi + 1e-9; v += step) {
            ticks.add(new Tick(v, Numbers.depth(v), ""));
        }
        return new Axis(scale, ticks);
    }

    static Axis of(ValueScale scale, int target) {
        List<Tick> ticks = new ArrayList<>();
        for (double v : scale.ticks(target)) {
            ticks.add(new Tick(v, Numbers.tick(v, scale.log()), ""));
        }
        return new Axis(scale, ticks);
    }

    /** Probabilities or accuracies: 0..1 in quarters, or decades from 1e-6 on a log scale. */
    static Axis probability(boolean log) {
        return of(ValueScale.probability(log), log ? 7 : 5);
    }

    boolean hasSublabels() {
        return ticks.stream().anyMatch(t -> !t.sublabel().isEmpty());
    }
}
