package dev.logitscope.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.DemoPool;
import dev.logitscope.prompt.Sentiment;
import dev.logitscope.prompt.TemplateLibrary;
import dev.logitscope.testing.SharedFiles;
import dev.logitscope.testing.TinyCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training run saves model.safetensors again in the middle of an evaluation: the run finishes
 * with the weights it loaded (the same numbers as an undisturbed run) and says so once.
 */
class CheckpointRewrittenDuringEvalTest {
    @TempDir
    Path dir;

    static final List<Example> EXAMPLES = List.of(
            new Example("1", "A gorgeous, witty and moving film.", Sentiment.POSITIVE),
            new Example("2", "Dull, slow and far too long.", Sentiment.NEGATIVE),
            new Example("3", "I smiled the whole time.", Sentiment.POSITIVE));

    @Test
    void theRunKeepsTheLoadedWeightsAndWarnsOnce() throws Exception {
        Path tokenizer = SharedFiles.gpt2TokenizerOrSkip();
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(1024).seed(11)
                .realTokenizer(tokenizer).write(dir.resolve("run"));
        TinyCheckpoint saved = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(1024).seed(12)
                .realTokenizer(tokenizer).write(dir.resolve("saved"));
        EvalPlan plan = EvalPlan.of(List.of(new ModelRef("tiny", ckpt.folder())), List.of(0, 2),
                List.of(DemoLabels.CORRECT), List.of(0L), TemplateLibrary.builtIn("seed-notebook"),
                DemoSource.excluding(DemoPool.builtIn(), EXAMPLES));
        Map<String, String> options = Map.of("models", "tiny", "shots", "0,2");

        EvalSummary undisturbed;
        try (RunFolder folder = RunFolder.open(dir.resolve("out-undisturbed"), options, false)) {
            undisturbed = new EvalRunner(plan, EXAMPLES, folder, null, null).run();
        }

        List<String> warnings = new CopyOnWriteArrayList<>();
        EvalListener listener = new EvalListener() {
            boolean rewritten;

            @Override
            public void step(Condition condition, String exampleId) {
                if (!rewritten) {
                    rewritten = true;
                    try { // in place (same file), as save_file does, a moment later
                        Files.write(ckpt.modelFile(), Files.readAllBytes(saved.modelFile()));
                        Files.setLastModifiedTime(ckpt.modelFile(), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }

            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        };
        EvalSummary disturbed;
        try (RunFolder folder = RunFolder.open(dir.resolve("out-disturbed"), options, false)) {
            disturbed = new EvalRunner(plan, EXAMPLES, folder, listener, null).run();
        }

        assertThat(disturbed.complete()).isTrue();
        assertThat(disturbed.conditions()).extracting(ConditionSummary::accuracyPerLayer)
                .usingRecursiveComparison().isEqualTo(undisturbed.conditions().stream()
                        .map(ConditionSummary::accuracyPerLayer).toList());
        assertThat(warnings).filteredOn(w -> w.startsWith("model.safetensors changed on disk while loaded;"
                + " results used the version loaded at ")).singleElement()
                .satisfies(w -> assertThat(w).contains(ckpt.modelFile().toString()));
    }
}
