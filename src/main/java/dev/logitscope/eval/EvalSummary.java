package dev.logitscope.eval;

import java.util.List;

/**
 * The result of a run: every condition with results, their seed aggregates and the models.
 *
 * @param complete false when the run was stopped before every example of every condition was done
 */
public record EvalSummary(List<ConditionSummary> conditions, List<SeedAggregate> aggregates, List<ModelStats> models,
        boolean complete) {

    public EvalSummary {
        conditions = List.copyOf(conditions);
        aggregates = List.copyOf(aggregates);
        models = List.copyOf(models);
    }
}
