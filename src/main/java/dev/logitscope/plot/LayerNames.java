package dev.logitscope.plot;

import dev.logitscope.lens.LayerReading;
import dev.logitscope.tokenize.TokenDisplay;

/** Short layer and label names for row headers and legends. */
final class LayerNames {
    private LayerNames() {}

    /** "embed", "1" … "L", and "2.5" for the mid-block tap of block 3. */
    static String of(LayerReading layer) {
        if (!layer.midBlock() && layer.layer() == 0) {
            return "embed";
        }
        return Numbers.depth(layer.depth());
    }

    /** A label word as a column title: " positive" → "positive"; whitespace-only words made visible. */
    static String label(String word) {
        String trimmed = word.strip();
        return trimmed.isEmpty() ? TokenDisplay.visible(word) : trimmed;
    }
}
