package dev.logitscope.analysis;

import dev.logitscope.prompt.Sentiment;
import java.util.List;

/** The layers' story in one sentence, for the verdict line and under the heatmap. */
public final class Explanation {
    private Explanation() {}

    public static String of(Overthinking o, List<LayerVerdict> verdicts, boolean calibrated) {
        LayerVerdict last = verdicts.get(verdicts.size() - 1);
        Sentiment answer = calibrated && last.calibrated() != null ? last.calibrated().prediction() : last.prediction();
        String settled = o.flips().isEmpty() ? "the same at every layer"
                : "settled at layer " + o.flips().get(o.flips().size() - 1);
        if (o.gold() == null) {
            return "The model answers " + answer.key() + ", " + settled + ". Set a gold label to judge it.";
        }
        if (Boolean.TRUE.equals(o.overthinks())) {
            return "Overthinking: layer " + name(o.lastCorrectLayer()) + " was right (" + o.gold().key()
                    + ") with margin, but the answer reversed at layer " + o.reversalLayer() + " and the model ends on "
                    + answer.key() + ".";
        }
        if (Boolean.TRUE.equals(o.finalCorrect())) {
            return "Correct: the model answers " + answer.key() + ", " + settled + ".";
        }
        return "Wrong: the model answers " + answer.key() + ", and no earlier layer was confidently right.";
    }

    private static String name(Integer layer) {
        return layer == 0 ? "0 (embed)" : Integer.toString(layer);
    }
}
