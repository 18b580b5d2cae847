package dev.logitscope.eval;

/**
 * A model as evaluated.
 *
 * @param name       as the user gave it
 * @param parameters its parameter count (the x axis of the scaling plot)
 * @param layers     its number of blocks L (readings at 0..L)
 * @param computed   examples run through it (in every session of the run; copies not counted)
 * @param seconds    time spent on them
 */
public record ModelStats(String name, long parameters, int layers, long computed, double seconds) {

    /** Examples per second, NaN before any was computed. */
    public double examplesPerSecond() {
        return computed > 0 && seconds > 0 ? computed / seconds : Double.NaN;
    }

    public ModelStats plus(long moreComputed, double moreSeconds) {
        return new ModelStats(name, parameters, layers, computed + moreComputed, seconds + moreSeconds);
    }
}
