package dev.logitscope.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.logitscope.train.FineTuneException;
import dev.logitscope.train.FineTuneInput;
import dev.logitscope.train.FineTuneWords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared job's checks before any model work: each names its input, and each surface words it its own way. */
class FineTuneJobTest {
    /** Another surface's words, to see that a message is written against them, not against the options. */
    private static final FineTuneWords FIELDS = new FineTuneWords() {
        @Override
        public String name(FineTuneInput input) {
            return "[" + input.name() + "]";
        }

        @Override
        public String needModel() {
            return "pick a model";
        }

        @Override
        public String needTrain() {
            return "pick training data";
        }

        @Override
        public String newRun() {
            return "pick another folder";
        }

        @Override
        public String fixRecipe() {
            return "Recipe: ";
        }
    };

    @TempDir
    Path dir;

    private FineTuneSpec spec(String trainableBlocks, int epochs, int batch, double lr, Path out) {
        return new FineTuneSpec("some-model", null, null, dir.resolve("train"), null, "classifier", null, null, null,
                trainableBlocks, epochs, batch, lr, 0.01, 0.1, 1.0, 42, out, false, Set.of());
    }

    private static FineTuneException refused(FineTuneSpec spec) {
        return catchThrowableOfType(() -> FineTuneJob.prepare(spec), FineTuneException.class);
    }

    @Test
    void aBadRecipeValueNamesItsInputInEachSurfacesWords() {
        FineTuneException e = refused(spec(null, 0, 16, 5e-5, dir.resolve("out")));
        assertThat(e.input()).contains(FineTuneInput.EPOCHS);
        assertThat(e.getMessage()).isEqualTo("Fix the options: epochs must be at least 1, got 0.");
        assertThat(e.message(FIELDS)).isEqualTo("Recipe: epochs must be at least 1, got 0.");

        e = refused(spec(null, 1, 1, -1, dir.resolve("out")));
        assertThat(e.input()).contains(FineTuneInput.LEARNING_RATE);

        e = refused(spec("x", 1, 1, 1e-3, dir.resolve("out")));
        assertThat(e.input()).contains(FineTuneInput.TRAINABLE_BLOCKS);
        assertThat(e.getMessage()).isEqualTo("--trainable-blocks takes a number of blocks or all, not 'x'.");
        assertThat(e.message(FIELDS)).isEqualTo("[TRAINABLE_BLOCKS] takes a number of blocks or all, not 'x'.");
    }

    @Test
    void anOutputFolderThatCannotBeWrittenOrHoldsSomethingElseIsRefusedBeforeTraining() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        FineTuneException e = refused(spec(null, 1, 1, 1e-3, file.resolve("out")));
        assertThat(e.input()).contains(FineTuneInput.OUT);
        assertThat(e.getMessage()).startsWith("Cannot write " + file.resolve("out")).contains("is a file, not a folder")
                .endsWith("choose another --out.");

        Path full = Files.createDirectories(dir.resolve("full"));
        Files.writeString(full.resolve("notes.txt"), "mine");
        e = refused(spec(null, 1, 1, 1e-3, full));
        assertThat(e.input()).contains(FineTuneInput.OUT);
        assertThat(e.message(FIELDS)).isEqualTo(full + " exists and is not an empty folder; pick another folder.");
    }

    @Test
    void aResumeNeedsARunAndTakesNoRecipeOfItsOwn() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        FineTuneException e = refused(FineTuneSpec.resuming(empty));
        assertThat(e.input()).contains(FineTuneInput.OUT);
        assertThat(e.getMessage()).isEqualTo(empty + " holds no fine-tuning run to resume (no training.json); start one"
                + " without --resume.");
        assertThat(e.message(FIELDS)).endsWith("start one without [RESUME].");

        Files.writeString(empty.resolve("training.json"), "{}");
        FineTuneSpec given = new FineTuneSpec(null, null, null, null, null, "classifier", null, null, null, null, 2, 1, 1,
                0, 0, 1, 0, empty, true, Set.of(FineTuneInput.EPOCHS));
        e = refused(given);
        assertThat(e.input()).contains(FineTuneInput.EPOCHS);
        assertThat(e.getMessage()).isEqualTo("--resume continues " + empty + " as training.json describes it; leave out --epochs.");

        e = refused(FineTuneSpec.resuming(empty));
        assertThat(e.input()).contains(FineTuneInput.OUT);
        assertThat(e.getMessage()).contains("is not a fine-tuning record this version can continue");
    }

    @Test
    void noModelAndNoTrainingDataSayWhatToGiveInTheSurfacesWords() {
        FineTuneSpec noModel = new FineTuneSpec(null, null, null, dir.resolve("train"), null, "classifier", null, null, null,
                null, 1, 1, 1e-3, 0.01, 0.1, 1.0, 42, dir.resolve("out"), false, Set.of());
        FineTuneException e = refused(noModel);
        assertThat(e.input()).contains(FineTuneInput.MODEL);
        assertThat(e.message(FIELDS)).isEqualTo("pick a model");
        assertThat(e.getMessage()).startsWith("Give either --model");

        FineTuneSpec lmOption = new FineTuneSpec("m", null, null, dir.resolve("train"), null, "classifier", null, null,
                "label", null, 1, 1, 1e-3, 0.01, 0.1, 1.0, 42, dir.resolve("out"), false, Set.of());
        e = refused(lmOption);
        assertThat(e.input()).contains(FineTuneInput.LOSS_ON);
        assertThat(e.getMessage()).isEqualTo("--loss-on belongs to --objective lm; the classifier reads the review as it is.");
    }
}
