package dev.logitscope.eval;

import dev.logitscope.analysis.LossSpan;
import dev.logitscope.analysis.Overthinking;
import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.lens.LensChoice;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.DemoOrder;
import dev.logitscope.prompt.DemoPool;
import dev.logitscope.prompt.PromptTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to run: every model × template × shots × demo labels × seed is a condition, except that a
 * prompt without demonstrations is one condition (demo labels and seeds choose nothing in it), and
 * the loss method, whose prompt never has demonstrations, is one condition per model and distinct
 * loss prompt.
 *
 * @param templates        the formats, each a sample of prompt space; their names must differ
 * @param pool             where demonstrations come from, already without the evaluated reviews
 *                         ({@link DemoSource})
 * @param calibrate        add contextual calibration (next-token method)
 * @param margin           δ of the overthinking analysis
 * @param breakPrefixReuse run a one-token prompt between examples so the KV cache cannot reuse the
 *                         demonstration prefix: only for measuring what the reuse is worth (implies
 *                         one example at a time)
 * @param batch            how many examples of a condition run side by side through the model after
 *                         the shared demonstrations (1: one at a time)
 * @param lossSpan         the tokens the loss method scores (null with the loss method: the whole
 *                         prompt; always null with the next-token method)
 * @param lenses           the lenses each condition is read through, each its own conditions (the
 *                         classifier-head lens reads the review alone: zero-shot conditions only)
 */
public record EvalPlan(List<ModelRef> models, List<Integer> shots, List<DemoLabels> demoLabels, List<Long> seeds,
        List<PromptTemplate> templates, DemoOrder order, DemoPool pool, ScoringMethod method, boolean calibrate, double margin,
        boolean breakPrefixReuse, int batch, LossSpan lossSpan, List<LensChoice> lenses) {

    /** Examples run side by side by default: enough for the unembedding product to run near peak. */
    public static final int DEFAULT_BATCH = 16;

    /** A plan read through the logit lens alone. */
    public EvalPlan(List<ModelRef> models, List<Integer> shots, List<DemoLabels> demoLabels, List<Long> seeds,
            List<PromptTemplate> templates, DemoOrder order, DemoPool pool, ScoringMethod method, boolean calibrate,
            double margin, boolean breakPrefixReuse, int batch, LossSpan lossSpan) {
        this(models, shots, demoLabels, seeds, templates, order, pool, method, calibrate, margin, breakPrefixReuse, batch,
                lossSpan, List.of(LensChoice.LOGIT));
    }

    public EvalPlan {
        lenses = lenses == null || lenses.isEmpty() ? List.of(LensChoice.LOGIT) : List.copyOf(lenses);
        models = List.copyOf(models);
        shots = List.copyOf(shots);
        demoLabels = List.copyOf(demoLabels);
        seeds = List.copyOf(seeds);
        templates = List.copyOf(templates);
        Objects.requireNonNull(pool, "pool");
        order = order == null ? DemoOrder.ALTERNATING : order;
        method = method == null ? ScoringMethod.NEXT_TOKEN : method;
        lossSpan = method != ScoringMethod.LOSS ? null : lossSpan == null ? LossSpan.WHOLE : lossSpan;
        if (models.isEmpty() || templates.isEmpty() || shots.isEmpty() || demoLabels.isEmpty() || seeds.isEmpty()) {
            throw new EvalException("Give at least one model, template, shot count, demo-label mode and seed.");
        }
        checkTemplateNames(templates);
        if (models.stream().map(ModelRef::name).distinct().count() != models.size()) {
            throw new EvalException(EvalInput.MODELS, w -> "A model is named twice in " + w.name(EvalInput.MODELS) + ".");
        }
        if (batch < 1) {
            throw new EvalException(EvalInput.BATCH, w -> w.name(EvalInput.BATCH) + " must be at least 1, got " + batch + ".");
        }
        checkLenses(lenses, method);
        if (calibrate && method == ScoringMethod.LOSS) {
            throw new EvalException(EvalInput.CALIBRATE, w -> w.name(EvalInput.CALIBRATE) + " calibrates the next-token"
                    + " method; " + w.turnOff(EvalInput.CALIBRATE) + " or set " + w.name(EvalInput.METHOD) + " to next-token.");
        }
    }

    /** The usual settings: alternating order, the default margin, prefix reuse on. */
    public static EvalPlan of(List<ModelRef> models, List<Integer> shots, List<DemoLabels> demoLabels, List<Long> seeds,
            PromptTemplate template, DemoPool pool) {
        return new EvalPlan(models, shots, demoLabels, seeds, List.of(template), null, pool, null, false,
                Overthinking.DEFAULT_MARGIN, false, DEFAULT_BATCH, null);
    }

    public EvalPlan withMethod(ScoringMethod m, boolean calibrated) {
        return new EvalPlan(models, shots, demoLabels, seeds, templates, order, pool, m, calibrated, margin, breakPrefixReuse,
                batch, lossSpan, lenses);
    }

    public EvalPlan withBreakPrefixReuse(boolean on) {
        return new EvalPlan(models, shots, demoLabels, seeds, templates, order, pool, method, calibrate, margin, on, batch,
                lossSpan, lenses);
    }

    public EvalPlan withBatch(int examples) {
        return new EvalPlan(models, shots, demoLabels, seeds, templates, order, pool, method, calibrate, margin,
                breakPrefixReuse, examples, lossSpan, lenses);
    }

    /** The same plan with the loss method scoring {@code span} (ignored by the next-token method). */
    public EvalPlan withLossSpan(LossSpan span) {
        return new EvalPlan(models, shots, demoLabels, seeds, templates, order, pool, method, calibrate, margin,
                breakPrefixReuse, batch, span, lenses);
    }

    /**
     * Lenses are filed by key, so two lenses of one key would mix: refused; the classifier-head lens
     * classifies by its head, not by a label's loss.
     */
    private static void checkLenses(List<LensChoice> lenses, ScoringMethod method) {
        List<String> keys = new ArrayList<>();
        for (LensChoice lens : lenses) {
            if (keys.contains(lens.key())) {
                throw new EvalException("Two lenses are called '" + lens.key() + "'; give each lens folder its own name"
                        + " (results are filed by it).");
            }
            keys.add(lens.key());
            if (lens.isClassifier() && method == ScoringMethod.LOSS) {
                throw new EvalException("The classifier-head lens reads the model's score head, not a label's loss: use"
                        + " the next-token method with it.");
            }
        }
    }

    /** The lens a condition names. */
    public LensChoice lens(String key) {
        return lenses.stream().filter(l -> l.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no lens " + key + " in the plan"));
    }

    /** Examples per pass: one when prefix reuse is broken on purpose. */
    public int examplesPerPass() {
        return breakPrefixReuse ? 1 : batch;
    }

    /**
     * The conditions of one model, in run order: template, then shots, then demo labels, then
     * seed; each distinct prompt set once.
     */
    public List<Condition> conditions(ModelRef model) {
        List<Condition> out = new ArrayList<>();
        for (LensChoice lens : lenses) {
            if (lens.isClassifier()) {
                // The classifier-head lens reads the review as it is: no demonstrations, one zero-shot
                // condition per template (its labels name the classes).
                for (PromptTemplate template : templates) {
                    out.add(new Condition(model.name(), template.name(), 0, DemoLabels.CORRECT, 0, method, lens.key()));
                }
            } else {
                out.addAll(conditions(model, lens.key()));
            }
        }
        return out;
    }

    /** The conditions of one model read through one label-word lens, in run order. */
    private List<Condition> conditions(ModelRef model, String lens) {
        List<Condition> out = new ArrayList<>();
        for (PromptTemplate template : templates) {
            if (method == ScoringMethod.LOSS) {
                // The loss prompt has no demonstrations: shots, demo labels and seeds change nothing,
                // and templates with the same loss prompt score the same; the first one names it.
                if (lossTwin(template) == template) {
                    out.add(new Condition(model.name(), template.name(), 0, DemoLabels.CORRECT, 0, method, lens));
                }
                continue;
            }
            for (int k : shots) {
                for (DemoLabels labels : demoLabels) {
                    for (long seed : seeds) {
                        Condition c = new Condition(model.name(), template.name(), k, labels, seed, method, lens);
                        if (!out.contains(c)) {
                            out.add(c);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The first template whose loss prompt and class names equal {@code template}'s (itself when none before). */
    public PromptTemplate lossTwin(PromptTemplate template) {
        return templates.stream().filter(t -> t.lossPrompt().equals(template.lossPrompt())
                && t.lossClasses().equals(template.lossClasses())).findFirst().orElse(template);
    }

    /** The template a condition names. */
    public PromptTemplate template(String name) {
        return templates.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no template " + name + " in the plan"));
    }

    /** Results are filed by template name, so two templates of one name would mix: refused. */
    public static void checkTemplateNames(List<PromptTemplate> templates) {
        List<String> seen = new ArrayList<>();
        for (PromptTemplate t : templates) {
            if (seen.contains(t.name())) {
                throw new EvalException("Two templates are named '" + t.name()
                        + "'; give each template file its own 'name:'.");
            }
            seen.add(t.name());
        }
    }

    /** Every condition, model by model. */
    public List<Condition> conditions() {
        List<Condition> out = new ArrayList<>();
        for (ModelRef m : models) {
            out.addAll(conditions(m));
        }
        return out;
    }

    /** The most demonstrations any condition shows (0 for the loss method). */
    public int maxShots() {
        return method == ScoringMethod.LOSS ? 0 : shots.stream().mapToInt(Integer::intValue).max().orElse(0);
    }
}
