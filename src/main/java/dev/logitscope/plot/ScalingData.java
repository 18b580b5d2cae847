package dev.logitscope.plot;

import java.util.List;

/**
 * Final-layer accuracy against model size, one line per condition (e.g. "4 correct demos",
 * "4 flipped demos").
 *
 * @param models     the x positions, in any order (drawn by parameter count)
 * @param conditions accuracy per model, aligned with {@code models}; NaN where a model was not run
 * @param chance     the accuracy of guessing, NaN for no line
 */
public record ScalingData(String title, List<Model> models, List<Condition> conditions, double chance) {

    /** A model and its parameter count (the x axis is logarithmic in it). */
    public record Model(String name, long parameters) {
        public Model {
            if (parameters <= 0) {
                throw new IllegalArgumentException("model " + name + " needs a positive parameter count");
            }
        }
    }

    public record Condition(String name, double[] accuracy, int colorIndex, Series.Dash dash) {
        public Condition {
            accuracy = accuracy.clone();
        }

        @Override
        public double[] accuracy() {
            return accuracy.clone();
        }

        /** Index of the model with the lowest accuracy, −1 when none has one. */
        public int worst() {
            int worst = -1;
            for (int i = 0; i < accuracy.length; i++) {
                if (!Double.isNaN(accuracy[i]) && (worst < 0 || accuracy[i] < accuracy[worst])) {
                    worst = i;
                }
            }
            return worst;
        }
    }

    public ScalingData {
        models = List.copyOf(models);
        conditions = List.copyOf(conditions);
        for (Condition c : conditions) {
            if (c.accuracy.length != models.size()) {
                throw new IllegalArgumentException("condition '" + c.name() + "' has " + c.accuracy.length
                        + " accuracies for " + models.size() + " models");
            }
        }
    }
}
