package dev.logitscope.analysis;


/** The layers' story in one sentence, for the verdict line and under the heatmap. */
public final class Explanation {
    private Explanation() {}

    public static String of(Overthinking o, LabelTrajectory trajectory, boolean calibrated) {
        int last = trajectory.taps() - 1;
        String answer = trajectory.labelName(calibrated && trajectory.isCalibrated()
                ? trajectory.calibratedPrediction(last) : trajectory.prediction(last));
        String gold = o.gold() == null ? null : trajectory.labelName(o.gold());
        String settled = o.flips().isEmpty() ? "the same at every layer"
                : "settled at layer " + o.flips().get(o.flips().size() - 1);
        if (o.gold() == null) {
            return "The model answers " + answer + ", " + settled + ". Set a gold label to judge it.";
        }
        if (Boolean.TRUE.equals(o.overthinks())) {
            return "Overthinking: layer " + name(o.lastCorrectLayer()) + " was right (" + gold
                    + ") with margin, but the answer reversed at layer " + o.reversalLayer() + " and the model ends on "
                    + answer + ".";
        }
        if (Boolean.TRUE.equals(o.finalCorrect())) {
            return "Correct: the model answers " + answer + ", " + settled + ".";
        }
        return "Wrong: the model answers " + answer + ", and no earlier layer was confidently right.";
    }

    private static String name(Integer layer) {
        return layer == 0 ? "0 (embed)" : Integer.toString(layer);
    }
}
