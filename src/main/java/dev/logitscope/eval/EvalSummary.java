package dev.logitscope.eval;

import dev.logitscope.analysis.LossSpan;
import java.util.List;

/**
 * The result of a run: every condition with results, their seed aggregates and the models.
 *
 * @param complete false when the run was stopped before every example of every condition was done
 * @param lossSpan the tokens the loss method scored, or null when the run used the next-token method
 */
public record EvalSummary(List<ConditionSummary> conditions, List<SeedAggregate> aggregates, List<ModelStats> models,
        boolean complete, LossSpan lossSpan) {

    public EvalSummary {
        conditions = List.copyOf(conditions);
        aggregates = List.copyOf(aggregates);
        models = List.copyOf(models);
    }

    public EvalSummary(List<ConditionSummary> conditions, List<SeedAggregate> aggregates, List<ModelStats> models,
            boolean complete) {
        this(conditions, aggregates, models, complete, null);
    }

    /** The same summary, saying which span the loss method's conditions scored. */
    public EvalSummary withLossSpan(LossSpan span) {
        return new EvalSummary(conditions, aggregates, models, complete, span);
    }
}
