package dev.logitscope.lens;

import dev.logitscope.tokenize.Token;
import java.util.List;

/**
 * Everything the lens says about one prompt: its tokens, the tracked words and, per layer 0..L
 * (with mid-block taps between them when asked), the readings at the requested positions, and
 * which lens read them ({@link LensTransform#name}).
 */
public record LensReport(ModelInfo model, String prompt, List<Token> tokens, List<TrackedWord> tracked,
        List<LayerReading> layers, String lens) {

    public LensReport {
        tokens = List.copyOf(tokens);
        tracked = List.copyOf(tracked);
        layers = List.copyOf(layers);
    }

    /** Read through the plain logit lens. */
    public LensReport(ModelInfo model, String prompt, List<Token> tokens, List<TrackedWord> tracked,
            List<LayerReading> layers) {
        this(model, prompt, tokens, tracked, layers, LensTransform.IDENTITY.name());
    }

    /** The block outputs only (embed, block 1 … block L), without mid-block taps. */
    public List<LayerReading> blockLayers() {
        return layers.stream().filter(l -> !l.midBlock()).toList();
    }

    /** The final layer: the model's own output distribution. */
    public LayerReading finalLayer() {
        List<LayerReading> blocks = blockLayers();
        return blocks.get(blocks.size() - 1);
    }

    /**
     * KL(final ‖ layer) per block layer (embed … block L), averaged over the positions read: the
     * tuned-lens paper's per-layer figure. Zero at the last layer by definition.
     */
    public double[] meanKlToFinal() {
        List<LayerReading> blocks = blockLayers();
        double[] out = new double[blocks.size()];
        for (int i = 0; i < out.length; i++) {
            List<PositionReading> positions = blocks.get(i).positions();
            double sum = 0;
            for (PositionReading p : positions) {
                sum += p.klToFinal();
            }
            out[i] = positions.isEmpty() ? Double.NaN : sum / positions.size();
        }
        return out;
    }

    /** KL(final ‖ layer) per block layer at the last position (where a review's label is read). */
    public double[] lastKlToFinal() {
        List<LayerReading> blocks = blockLayers();
        double[] out = new double[blocks.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = blocks.get(i).positions().isEmpty() ? Double.NaN : blocks.get(i).last().klToFinal();
        }
        return out;
    }
}
