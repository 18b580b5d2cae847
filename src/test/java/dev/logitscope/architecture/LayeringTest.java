package dev.logitscope.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layers clean on the compiled classes (ArchUnit sees every dependency, not only
 * imports): JavaFX only in {@code ui}, DJL only in {@code model} and {@code lens} (its tokenizers
 * in {@code tokenize}), {@code plot} never running an evaluation, the design's package table and
 * no cycles between packages. A fixture with one deliberate violation per rule proves each bites.
 */
class LayeringTest {
    private static final String BASE = "dev.logitscope";
    private static final String FIXTURE = BASE + ".architecture.fixture";

    private static JavaClasses main;
    private static JavaClasses fixture;

    @BeforeAll
    static void importClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(BASE);
        fixture = new ClassFileImporter().importPackages(FIXTURE);
    }

    @Test
    void theProjectKeepsEveryRule() {
        for (Map.Entry<String, ArchRule> rule : Layering.rules(BASE).entrySet()) {
            EvaluationResult result = rule.getValue().evaluate(main);
            assertThat(result.getFailureReport().getDetails()).as(rule.getKey()).isEmpty();
        }
    }

    @Test
    void theRulesSeeClassesInEveryPackage() {
        // Rules over packages with no classes would pass vacuously (a renamed package, a wrong base).
        Set<String> packages = main.stream().map(JavaClass::getPackageName)
                .filter(p -> p.startsWith(BASE + "."))
                .map(p -> p.substring(BASE.length() + 1).split("\\.")[0])
                .collect(Collectors.toSet());
        // numerics is in the design's table but has no classes yet (its rule waits for it).
        Set<String> expected = new java.util.HashSet<>(Layering.FORBIDDEN.keySet());
        expected.remove("numerics");
        assertThat(packages).containsAll(expected).contains("ui");
        assertThat(main.stream().map(JavaClass::getPackageName)).contains(BASE + ".model.gpt2");
    }

    /** Each rule against the fixture: the classes it must report, by simple name. */
    private static final Map<String, Set<String>> EXPECTED = Map.of(
            "javafx only in ui", Set.of("DrawsWithJavaFx"),
            "djl only in model, lens, train and tokenize", Set.of("HoldsAnNdArray"),
            "tokenize uses only DJL's tokenizers", Set.of("StartsTheEngine"),
            "plot does not run evaluations", Set.of("StartsARun"),
            "plot, eval and cli read label trajectories", Set.of("ReshapesVerdicts"),
            "numerics depends only on what the design allows", Set.of("ReadsAModel"),
            "no cycles between packages", Set.of("Alpha", "Beta"));

    @Test
    void everyRuleFindsTheFixturesViolationAndNothingElse() {
        assertThat(fixture.size()).as("fixture classes").isGreaterThanOrEqualTo(10);
        Map<String, ArchRule> rules = Layering.rules(FIXTURE);
        assertThat(rules).containsKeys(EXPECTED.keySet().toArray(String[]::new));
        for (Map.Entry<String, ArchRule> rule : rules.entrySet()) {
            EvaluationResult result = rule.getValue().evaluate(fixture);
            String report = String.join("\n", result.getFailureReport().getDetails());
            Set<String> expected = EXPECTED.getOrDefault(rule.getKey(), Set.of());
            assertThat(result.hasViolation()).as(rule.getKey() + ":\n" + report).isEqualTo(!expected.isEmpty());
            for (String offender : expected) {
                assertThat(report).as(rule.getKey()).contains(FIXTURE).contains(offender);
            }
            // Allowed uses next to the offenders are not reported.
            assertThat(report).as(rule.getKey()).doesNotContain("UsesTheTokenizers", "DrawsAResult");
        }
    }
}
