package dev.logitscope.plot;

import java.awt.Color;

/** A map from [0, 1] to colours; values outside are clamped. */
@FunctionalInterface
public interface ColorScale {

    Color at(double t);

    /** The perceptually uniform sequential map for probabilities, entropies, ranks. */
    static ColorScale viridis() {
        return Viridis.INSTANCE;
    }

    /** Red (0) – near-white (0.5) – blue (1): for the renormalised P(positive), centred at 0.5. */
    static ColorScale diverging() {
        return RdBu.INSTANCE;
    }

    /** The same colours in the opposite direction. */
    default ColorScale reversed() {
        return t -> at(1 - t);
    }
}
