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

    /**
     * A model and its parameter count (the x axis is logarithmic in it).
     *
     * @param family its family as shown ("GPT-2", "OPT"), empty when not known
     * @param note   what sets its lens apart ("post-LN, no final norm"), flagged with † on the axis;
     *               empty for the usual final norm and unembedding
     */
    public record Model(String name, long parameters, String family, String note) {
        public Model {
            if (parameters <= 0) {
                throw new IllegalArgumentException("model " + name + " needs a positive parameter count");
            }
            family = family == null ? "" : family;
            note = note == null ? "" : note;
        }

        public Model(String name, long parameters) {
            this(name, parameters, "", "");
        }
    }

    /**
     * @param examples per model, the examples behind its accuracy (0 when unknown): the tooltip's interval
     * @param family   the family whose models this line joins (one line per family when a run mixes
     *                 families); empty = every model
     */
    public record Condition(String name, double[] accuracy, int colorIndex, Series.Dash dash, Marker marker,
            boolean hollow, int[] examples, String family) {
        public Condition {
            family = family == null ? "" : family;
            accuracy = accuracy.clone();
            examples = examples == null ? new int[accuracy.length] : examples.clone();
            if (examples.length != accuracy.length) {
                throw new IllegalArgumentException("condition '" + name + "' has " + examples.length
                        + " example counts for " + accuracy.length + " accuracies");
            }
        }

        public Condition(String name, double[] accuracy, int colorIndex, Series.Dash dash) {
            this(name, accuracy, colorIndex, dash, Marker.CIRCLE, false, null, "");
        }

        /** A condition in its style ({@link ConditionStyle}). */
        public Condition(String name, double[] accuracy, ConditionStyle style, boolean hollow, int[] examples) {
            this(name, accuracy, style.colorIndex(), style.dash(), style.marker(), hollow, examples, "");
        }

        @Override
        public int[] examples() {
            return examples.clone();
        }

        @Override
        public double[] accuracy() {
            return accuracy.clone();
        }

        /**
         * Index of the model with the lowest accuracy; −1 when fewer than two models have one
         * (nothing to rank) or when several share the lowest (no single worst to point at).
         */
        public int worst() {
            int worst = -1;
            int values = 0;
            boolean tied = false;
            for (int i = 0; i < accuracy.length; i++) {
                if (!Double.isNaN(accuracy[i])) {
                    values++;
                    if (worst < 0 || accuracy[i] < accuracy[worst]) {
                        worst = i;
                        tied = false;
                    } else if (accuracy[i] == accuracy[worst]) {
                        tied = true;
                    }
                }
            }
            return values >= 2 && !tied ? worst : -1;
        }
    }

    /** Whether there is a worst model to ring: some condition ranks at least two models with a single lowest. */
    public boolean rankModels() {
        return conditions.stream().anyMatch(c -> c.worst() >= 0);
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
