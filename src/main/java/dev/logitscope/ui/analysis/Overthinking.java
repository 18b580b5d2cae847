package dev.logitscope.ui.analysis;

import java.util.List;
import java.util.OptionalInt;

/**
 * The layers' story in one line: where the answer settled, and whether the model was right
 * somewhere in the middle and then talked itself out of it.
 *
 * @param reversalLayer the layer where the final answer was reached for good (the last change), if it changed
 * @param overthinking  true when, with a gold label, some earlier layer was right and the final layer is wrong
 * @param explanation   one sentence for the status line
 */
public record Overthinking(OptionalInt reversalLayer, boolean overthinking, String explanation) {

    public static Overthinking of(List<LayerVerdict> layers) {
        LayerVerdict last = layers.get(layers.size() - 1);
        OptionalInt reversal = OptionalInt.empty();
        for (int i = layers.size() - 1; i > 0; i--) {
            if (layers.get(i).predicted() != layers.get(i - 1).predicted()) {
                reversal = OptionalInt.of(layers.get(i).layer());
                break;
            }
        }
        String answer = last.predicted().key();
        if (last.correct().isPresent()) {
            List<String> right = layers.stream().filter(l -> l.correct().orElse(false)).map(LayerVerdict::name).toList();
            boolean finalRight = last.correct().get();
            if (!finalRight && !right.isEmpty()) {
                return new Overthinking(reversal, true, "Overthinking: " + layerList(right)
                        + " right, but the answer reversed at layer " + reversal.orElse(last.layer())
                        + " and the model ends on " + answer + ".");
            }
            if (finalRight) {
                return new Overthinking(reversal, false, "Correct: the model answers " + answer
                        + reversal.stream().mapToObj(l -> ", settled from layer " + l).findFirst().orElse(" at every layer")
                        + ".");
            }
            return new Overthinking(reversal, false, "Wrong at every layer: the model answers " + answer + ".");
        }
        return new Overthinking(reversal, false, "The model answers " + answer
                + reversal.stream().mapToObj(l -> "; the answer settled at layer " + l).findFirst()
                        .orElse(", the same at every layer") + ". Set a gold label to judge it.");
    }

    /** "layer 3 was", "layers embed, 3 and 4 were". */
    static String layerList(List<String> names) {
        if (names.size() == 1) {
            return "layer " + names.get(0) + " was";
        }
        return "layers " + String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1)
                + " were";
    }
}
