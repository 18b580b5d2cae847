package dev.logitscope.eval;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.logitscope.analysis.LossSpan;
import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.json.JsonText;
import java.util.List;

/**
 * {@code summary.json}: the shape ({@code conditions} with model, template, shots,
 * demo_labels, seed, method, examples, layers, final_accuracy, best_layer, critical_layer), plus
 * seed aggregates, the means over templates (with several), model sizes and throughput. Undefined
 * numbers are null, never NaN; so are demo_labels and seed of a prompt without demonstrations.
 */
public final class EvalJson {

    private EvalJson() {}

    public static String write(EvalSummary summary) {
        return JsonText.pretty(summary(summary)) + "\n";
    }

    public static JsonObject summary(EvalSummary summary) {
        JsonObject root = new JsonObject();
        JsonArray conditions = new JsonArray();
        summary.conditions().forEach(c -> conditions.add(condition(c, summary.lossSpan())));
        root.add("conditions", conditions);
        JsonArray aggregates = new JsonArray();
        summary.aggregates().forEach(a -> aggregates.add(aggregate(a, summary.lossSpan())));
        root.add("aggregates", aggregates);
        JsonArray means = new JsonArray();
        summary.templateMeans().forEach(m -> means.add(templateMean(m)));
        root.add("template_means", means);
        JsonArray models = new JsonArray();
        long computed = 0;
        double seconds = 0;
        for (ModelStats m : summary.models()) {
            JsonObject o = new JsonObject();
            o.addProperty("name", m.name());
            o.addProperty("family", m.family());
            if (!m.readout().isEmpty()) {
                o.addProperty("readout", m.readout());
            }
            o.addProperty("parameters", m.parameters());
            o.addProperty("layers", m.layers());
            o.addProperty("examples_computed", m.computed());
            o.add("seconds", number(m.seconds()));
            o.add("examples_per_second", number(m.examplesPerSecond()));
            models.add(o);
            computed += m.computed();
            seconds += m.seconds();
        }
        root.add("models", models);
        root.add("examples_per_second", number(computed > 0 && seconds > 0 ? computed / seconds : Double.NaN));
        root.addProperty("complete", summary.complete());
        root.addProperty("intervals", INTERVALS);
        root.addProperty("critical_layer_rule", CRITICAL_LAYER_RULE);
        root.addProperty("settling_layer_rule", SETTLING_LAYER_RULE);
        return root;
    }

    static JsonObject condition(ConditionSummary s, LossSpan lossSpan) {
        Condition c = s.condition();
        JsonObject o = new JsonObject();
        o.addProperty("model", c.model());
        o.addProperty("template", c.template());
        o.addProperty("shots", c.shots());
        o.add("demo_labels", c.hasDemonstrations() ? new JsonPrimitive(c.demoLabels().key()) : JsonNull.INSTANCE);
        o.add("seed", c.hasDemonstrations() ? new JsonPrimitive(c.seed()) : JsonNull.INSTANCE);
        o.addProperty("method", c.method().key());
        lossSpan(o, c.method(), lossSpan);
        lens(o, c.lens());
        o.addProperty("examples", s.examples());
        o.addProperty("skipped", s.skipped());
        JsonArray layers = new JsonArray();
        for (LayerMetrics l : s.layers()) {
            JsonObject lo = new JsonObject();
            lo.addProperty("layer", l.layer());
            lo.add("accuracy", number(l.accuracy()));
            lo.add("accuracy_ci95", interval(l.accuracy(), s.examples()));
            lo.add("calibrated_accuracy", number(l.calibratedAccuracy()));
            lo.add("calibrated_accuracy_ci95", interval(l.calibratedAccuracy(), s.examples()));
            lo.add("mean_p_gold", number(l.meanPGold()));
            lo.add("overthinking_rate", number(l.overthinkingRate()));
            lo.add("mean_p_gold_vocab", number(l.meanPGoldVocab()));
            if (l.contextualAccuracy() != null) {
                lo.add("contextual_accuracy", number(l.contextualAccuracy()));
            }
            layers.add(lo);
        }
        o.add("layers", layers);
        o.add("final_accuracy", number(s.finalAccuracy()));
        o.add("final_accuracy_ci95", interval(s.finalAccuracy(), s.examples()));
        o.addProperty("best_layer", s.bestLayer());
        o.add("best_accuracy", number(s.bestAccuracy()));
        o.add("overthinking_rate", number(s.overthinkingRate()));
        o.addProperty("settling_layer", s.settlingLayer());
        o.add("critical_layer", s.criticalLayer() == null ? JsonNull.INSTANCE : new JsonPrimitive(s.criticalLayer()));
        o.add("critical_layer_reason", text(s.criticalLayerReason()));
        o.add("calibrated_critical_layer", s.calibratedCriticalLayer() == null ? JsonNull.INSTANCE
                : new JsonPrimitive(s.calibratedCriticalLayer()));
        o.add("calibrated_critical_layer_reason", text(s.calibratedCriticalLayerReason()));
        return o;
    }

    static JsonObject aggregate(Aggregate a, LossSpan lossSpan) {
        JsonObject o = new JsonObject();
        o.addProperty("model", a.model());
        o.addProperty("template", a.template());
        o.addProperty("shots", a.shots());
        o.add("demo_labels", a.shots() > 0 ? new JsonPrimitive(a.demoLabels().key()) : JsonNull.INSTANCE);
        o.addProperty("method", a.method().key());
        lossSpan(o, a.method(), lossSpan);
        lens(o, a.lens());
        if (a.shots() > 0) {
            JsonArray seeds = new JsonArray();
            a.seeds().forEach(seeds::add);
            o.add("seeds", seeds);
        } else {
            o.add("seeds", JsonNull.INSTANCE); // no demonstrations: nothing for a seed to choose
        }
        o.addProperty("examples", a.examples());
        JsonArray layers = new JsonArray();
        for (int l = 0; l < a.accuracy().size(); l++) {
            JsonObject lo = new JsonObject();
            lo.addProperty("layer", l);
            lo.add("accuracy", spread(a.accuracy().get(l)));
            lo.add("accuracy_ci95", interval(a.accuracy().get(l), a.examples()));
            lo.add("calibrated_accuracy", spread(a.calibratedAccuracy().get(l)));
            lo.add("calibrated_accuracy_ci95", interval(a.calibratedAccuracy().get(l), a.examples()));
            layers.add(lo);
        }
        o.add("layers", layers);
        o.add("final_accuracy", spread(a.finalAccuracy()));
        o.add("final_accuracy_ci95", interval(a.finalAccuracy(), a.examples()));
        o.add("best_accuracy", spread(a.bestAccuracy()));
        o.add("best_layer", spread(a.bestLayer()));
        o.add("overthinking_rate", spread(a.overthinkingRate()));
        o.addProperty("settling_layer_of_means", a.settlingLayerOfMeans());
        o.add("critical_layer", spread(a.criticalLayer()));
        o.add("critical_layer_of_means", a.criticalLayerOfMeans() == null ? JsonNull.INSTANCE
                : new JsonPrimitive(a.criticalLayerOfMeans()));
        o.add("critical_layer_reason", text(a.criticalLayerReason()));
        return o;
    }

    /**
     * {@code lens} beside the method when a lens other than the logit lens read the layers ({@code
     * eval --lens}); entries read through the logit lens keep the shape they always had.
     */
    private static void lens(JsonObject o, String lens) {
        if (!lens.equals(Condition.LOGIT)) {
            o.addProperty("lens", lens);
        }
    }

    /** {@code loss_span} beside a loss-method {@code method}: which tokens the mean loss is over. */
    private static void lossSpan(JsonObject o, ScoringMethod method, LossSpan span) {
        if (method == ScoringMethod.LOSS && span != null) {
            o.addProperty("loss_span", span.key());
        }
    }

    static JsonObject templateMean(Aggregate m) {
        JsonObject o = new JsonObject();
        o.addProperty("model", m.model());
        o.addProperty("shots", m.shots());
        o.add("demo_labels", m.shots() > 0 ? new JsonPrimitive(m.demoLabels().key()) : JsonNull.INSTANCE);
        o.addProperty("method", m.method().key());
        lens(o, m.lens());
        JsonArray templates = new JsonArray();
        m.templates().forEach(templates::add);
        o.add("templates", templates);
        o.addProperty("examples", m.examples());
        JsonArray layers = new JsonArray();
        for (int l = 0; l < m.accuracy().size(); l++) {
            JsonObject lo = new JsonObject();
            lo.addProperty("layer", l);
            lo.add("accuracy", spread(m.accuracy().get(l)));
            lo.add("accuracy_ci95", interval(m.accuracy().get(l), m.examples()));
            lo.add("calibrated_accuracy", spread(m.calibratedAccuracy().get(l)));
            lo.add("calibrated_accuracy_ci95", interval(m.calibratedAccuracy().get(l), m.examples()));
            layers.add(lo);
        }
        o.add("layers", layers);
        o.add("final_accuracy", spread(m.finalAccuracy()));
        o.add("final_accuracy_ci95", interval(m.finalAccuracy(), m.examples()));
        o.addProperty("best_layer", m.bestLayerOfMeans());
        o.add("overthinking_rate", spread(m.overthinkingRate()));
        o.add("critical_layer", spread(m.criticalLayer()));
        o.add("critical_layer_of_means", m.criticalLayerOfMeans() == null ? JsonNull.INSTANCE
                : new JsonPrimitive(m.criticalLayerOfMeans()));
        o.add("critical_layer_reason", text(m.criticalLayerReason()));
        return o;
    }

    /** [lo, hi] of the 95% Wilson interval; null when undefined (no examples, a non-finite rate). */
    private static JsonElement interval(double rate, int n) {
        Wilson w = Wilson.of(rate, n);
        if (!w.defined()) {
            return JsonNull.INSTANCE;
        }
        JsonArray a = new JsonArray();
        a.add(w.lo());
        a.add(w.hi());
        return a;
    }

    /** The interval of a mean over seeds or templates: the mean's rate over one run's examples. */
    private static JsonElement interval(Spread s, int n) {
        return s == null ? JsonNull.INSTANCE : interval(s.mean(), n);
    }

    private static JsonElement text(String s) {
        return s == null ? JsonNull.INSTANCE : new JsonPrimitive(s);
    }

    private static JsonElement spread(Spread s) {
        if (s == null) {
            return JsonNull.INSTANCE;
        }
        JsonObject o = new JsonObject();
        o.add("mean", number(s.mean()));
        o.add("std", number(s.std()));
        o.add("min", number(s.min()));
        o.add("max", number(s.max()));
        o.addProperty("n", s.n());
        return o;
    }

    private static JsonElement number(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }

    /** How the {@code *_ci95} intervals are computed: written into summary.json beside them. */
    public static final String INTERVALS = "accuracy_ci95: 95% Wilson score interval of the accuracy over the"
            + " condition's examples; calibrated_accuracy_ci95: the same formula on the calibrated score (half credit at"
            + " the median, so an approximation); aggregates and template_means: the Wilson interval of the mean with n"
            + " = the examples of one run (seeds and templates reuse the same reviews)";

    /** When a critical layer is reported: written into summary.json. */
    public static final String CRITICAL_LAYER_RULE = "Halawi et al.: the first layer where accuracy(correct) -"
            + " accuracy(flipped) >= half the final layer's gap; reported only when the final gap is reliable: the"
            + " 95% Wilson intervals of the final correct and flipped accuracies do not overlap; otherwise null, with"
            + " critical_layer_reason";

    /** How settling_layer is defined: written into summary.json. */
    public static final String SETTLING_LAYER_RULE = "the first layer from which every later layer's accuracy stays"
            + " within " + SettlingLayer.DEFAULT_MARGIN + " of the final layer's (a base model and its fine-tune"
            + " compare by it: the earlier, the sooner the layers agree with the model's answer)";

    /** Names of the per-condition fields the issue fixes, for tests and docs. */
    public static final List<String> CONDITION_FIELDS = List.of("model", "template", "shots", "demo_labels", "seed", "method",
            "examples", "layers", "final_accuracy", "best_layer", "critical_layer");
}
