package dev.logitscope.eval;

import dev.logitscope.analysis.LossSpan;
import java.util.List;

/**
 * The result of a run: every condition with results, their seed aggregates, the means over
 * templates and the models.
 *
 * @param templateMeans per model and demonstration setting, the mean over templates (empty with one template)
 * @param complete false when the run was stopped before every example of every condition was done
 * @param lossSpan the tokens the loss method scored, or null when the run used the next-token method
 */
public record EvalSummary(List<ConditionSummary> conditions, List<Aggregate> aggregates,
        List<Aggregate> templateMeans, List<ModelStats> models, boolean complete, LossSpan lossSpan) {

    public EvalSummary {
        conditions = List.copyOf(conditions);
        aggregates = List.copyOf(aggregates);
        templateMeans = List.copyOf(templateMeans);
        models = List.copyOf(models);
    }

    public EvalSummary(List<ConditionSummary> conditions, List<Aggregate> aggregates,
            List<Aggregate> templateMeans, List<ModelStats> models, boolean complete) {
        this(conditions, aggregates, templateMeans, models, complete, null);
    }

    /** The same summary, saying which span the loss method's conditions scored. */
    public EvalSummary withLossSpan(LossSpan span) {
        return new EvalSummary(conditions, aggregates, templateMeans, models, complete, span);
    }
}
