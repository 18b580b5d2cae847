package dev.logitscope.model;

import com.google.gson.JsonObject;

/**
 * The dropout probabilities of a training pass at each {@link Dropout.Site}, as a model's config.json
 * gives them (GPT-2: {@code embd_pdrop}, {@code attn_pdrop}, {@code resid_pdrop}; GPT-Neo:
 * {@code embed_dropout}, {@code attention_dropout}, {@code resid_dropout}; OPT: none on the
 * embeddings, {@code attention_dropout}, {@code dropout}) or as {@code --dropout P} sets them all.
 */
public record DropoutRates(double embeddings, double attention, double residual) {

    /** No dropout anywhere. */
    public static final DropoutRates OFF = new DropoutRates(0, 0, 0);

    public DropoutRates {
        for (double p : new double[] {embeddings, attention, residual}) {
            if (!(p >= 0 && p < 1)) {
                throw new IllegalArgumentException("a dropout probability must be in [0, 1), got " + p);
            }
        }
    }

    /** The same probability at every site. */
    public static DropoutRates all(double p) {
        return new DropoutRates(p, p, p);
    }

    /** The rates a config names by {@code embeddingsKey} (null: no dropout there), {@code attentionKey}, {@code residualKey}, each with its default. */
    public static DropoutRates fromConfig(JsonObject config, String embeddingsKey, double embeddingsDefault, String attentionKey,
            double attentionDefault, String residualKey, double residualDefault) {
        return new DropoutRates(embeddingsKey == null ? 0 : ClassifierConfig.number(config, embeddingsKey, embeddingsDefault),
                ClassifierConfig.number(config, attentionKey, attentionDefault),
                ClassifierConfig.number(config, residualKey, residualDefault));
    }

    /** The probability at {@code site}. */
    public double at(Dropout.Site site) {
        return switch (site) {
            case EMBEDDINGS -> embeddings;
            case ATTENTION -> attention;
            case RESIDUAL -> residual;
        };
    }

    /** Whether no site drops anything. */
    public boolean off() {
        return embeddings == 0 && attention == 0 && residual == 0;
    }
}
