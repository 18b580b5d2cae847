package dev.logitscope.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The layering rules of DESIGN.md as ArchUnit rules over the packages under a base package: the
 * project's ({@code dev.logitscope}), or a fixture's, to prove each rule finds what it should.
 * A package includes its subpackages ({@code model.gpt2} is part of {@code model}).
 */
final class Layering {

    /** package → packages of ours it must not depend on (the design's table, read as a ban list). */
    static final Map<String, List<String>> FORBIDDEN = Map.ofEntries(
            Map.entry("json", List.of("numerics", "safetensors", "hub", "model", "tokenize", "lens", "prompt", "analysis", "eval", "plot", "cli", "ui")),
            Map.entry("numerics", List.of("json", "safetensors", "hub", "model", "tokenize", "lens", "prompt", "analysis", "eval", "plot", "cli", "ui")),
            Map.entry("safetensors", List.of("numerics", "hub", "model", "tokenize", "lens", "prompt", "analysis", "eval", "plot", "cli", "ui")),
            Map.entry("hub", List.of("numerics", "safetensors", "model", "tokenize", "lens", "prompt", "analysis", "eval", "plot", "cli", "ui")),
            Map.entry("model", List.of("hub", "tokenize", "lens", "prompt", "analysis", "eval", "plot", "cli", "ui")),
            Map.entry("tokenize", List.of("safetensors", "hub", "model", "lens", "prompt", "analysis", "eval", "plot", "cli", "ui")),
            Map.entry("lens", List.of("hub", "prompt", "analysis", "eval", "plot", "cli", "ui")),
            Map.entry("prompt", List.of("safetensors", "hub", "model", "lens", "analysis", "eval", "plot", "cli", "ui")),
            Map.entry("analysis", List.of("hub", "eval", "plot", "cli", "ui")),
            Map.entry("eval", List.of("plot", "cli", "ui")),
            Map.entry("plot", List.of("hub", "cli", "ui")),
            Map.entry("train", List.of("hub", "tokenize", "lens", "prompt", "analysis", "eval", "plot", "cli", "ui")),
            Map.entry("finetune", List.of("cli", "ui")),
            Map.entry("cli", List.of("ui")));

    /** The classes of {@code eval} that run an evaluation (plot draws its results, never runs one). */
    static final List<String> EVAL_RUNNER = List.of("EvalRunner", "EvalJob", "RunFolder");

    private Layering() {
    }

    /** Every rule, by name, for the packages under {@code base}. */
    static Map<String, ArchRule> rules(String base) {
        Map<String, ArchRule> rules = new LinkedHashMap<>();
        rules.put("javafx only in ui", noClasses().that().resideOutsideOfPackage(base + ".ui..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .because("view models and services are the only JavaFX code; the CLI runs headless"));
        rules.put("djl only in model, lens, train and tokenize", noClasses()
                .that().resideOutsideOfPackages(base + ".model..", base + ".lens..", base + ".train..", base + ".tokenize..")
                .should().dependOnClassesThat().resideInAPackage("ai.djl..")
                .because("NDArrays never leave model and lens; results cross as plain Java values"));
        rules.put("tokenize uses only DJL's tokenizers", noClasses().that().resideInAPackage(base + ".tokenize..")
                .should().dependOnClassesThat(resideInAPackage("ai.djl..").and(not(resideInAPackage("ai.djl.huggingface.."))))
                .because("the tokenizer wraps DJL's huggingface tokenizers, not the engine"));
        rules.put("plot does not run evaluations", noClasses().that().resideInAPackage(base + ".plot..")
                .should().dependOnClassesThat(nameMatching(Pattern.quote(base + ".eval.")
                        + "(" + String.join("|", EVAL_RUNNER) + ")(\\$.*)?"))
                .because("plots draw finished results; the runner belongs to the CLI and the app"));
        rules.put("plot, eval and cli read label trajectories", noClasses()
                .that().resideInAnyPackage(base + ".plot..", base + ".eval..", base + ".cli..")
                .should().dependOnClassesThat(nameMatching(Pattern.quote(base + ".analysis.LayerVerdict") + "(\\$.*)?"))
                .because("one LabelTrajectory carries the per-layer label numbers; no surface reshapes verdicts again"));
        FORBIDDEN.forEach((pkg, banned) -> rules.put(pkg + " depends only on what the design allows", noClasses()
                .that().resideInAPackage(base + "." + pkg + "..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        banned.stream().map(other -> base + "." + other + "..").toArray(String[]::new))));
        rules.put("no cycles between packages", slices().matching(base + ".(*)..").should().beFreeOfCycles());
        rules.replaceAll((name, rule) -> rule.allowEmptyShould(true));
        return rules;
    }
}
