package dev.logitscope.eval;

/**
 * A model as evaluated.
 *
 * @param name       as the user gave it
 * @param family     config.json's {@code model_type} ({@code gpt2}, {@code gpt_neo}, {@code opt}): the
 *                   scaling plot draws one line per family; empty when not recorded (older runs)
 * @param readout    what the lens applies to each layer when it is not the usual final norm and
 *                   unembedding (OPT-350m: "post-LN, no final norm"), else empty
 * @param parameters its parameter count (the x axis of the scaling plot)
 * @param layers     its number of blocks L (readings at 0..L)
 * @param computed   examples run through it (in every session of the run; copies not counted)
 * @param seconds    time spent on them
 */
public record ModelStats(String name, String family, String readout, long parameters, int layers, long computed, double seconds) {

    public ModelStats {
        family = family == null ? "" : family;
        readout = readout == null ? "" : readout;
    }


    /** Examples per second, NaN before any was computed. */
    public double examplesPerSecond() {
        return computed > 0 && seconds > 0 ? computed / seconds : Double.NaN;
    }

    public ModelStats plus(long moreComputed, double moreSeconds) {
        return new ModelStats(name, family, readout, parameters, layers, computed + moreComputed, seconds + moreSeconds);
    }
}
