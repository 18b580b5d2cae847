package dev.logitscope.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.lens.ClassReading;
import dev.logitscope.lens.ClassifierLens;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.gpt2.Gpt2Trainable;
import dev.logitscope.safetensors.SafetensorsFile;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.tokenize.Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fine-tuned model is saved as transformers saves GPT2ForSequenceClassification, reloads through
 * the normal family loader, and its classifier lens gives the in-memory model's numbers.
 */
class SavedClassifierTest {

    @TempDir
    Path dir;

    @Test
    void theSavedFolderReloadsWithTheSameClassifierLensNumbers() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(32).embeddingStd(0.5)
                .projectionStd(0.2).seed(13).write(dir.resolve("base"));
        Path out = dir.resolve("out");
        Examples train = TinyClassifier.examples(24, 3);
        TrainingRecipe recipe = new TrainingRecipe(1, 1, 8, 1e-2, 0.01, 0.1, 1.0, 5);
        String text = "the film";
        int[] ids;
        try (LensEngine base = LensEngine.open(ckpt.folder(), "base")) {
            ids = base.tokenize(text).stream().mapToInt(Token::id).toArray();
        }
        List<ClassReading> inMemory;
        try (ModelThread thread = new ModelThread()) {
            inMemory = thread.call(root -> {
                try (Gpt2Trainable model = Gpt2Trainable.load(new ModelFolder(ckpt.folder()), TinyClassifier.LABELS, 1, 5, root);
                        AdamW optimizer = new AdamW(root)) {
                    TrainingRecord record = new TrainingRecord("tiny", TinyClassifier.LABELS.names(), null,
                            new DataSummary("train", train.size(), train.tokens()), null, recipe, 0, 0, TrainingState.START, false);
                    new Trainer(model, recipe, train, null, root).run(TrainingState.START, optimizer, () -> false,
                            TrainingListener.NONE, (state, adam) -> FineTuneFolder.write(out, model, ckpt.folder(),
                                    record.with(state, true), adam));
                    return new ClassifierLens(model.inference()).read(ids, root);
                }
            });
        }

        JsonObject config = JsonParser.parseString(Files.readString(out.resolve("config.json"))).getAsJsonObject();
        assertThat(config.getAsJsonArray("architectures").get(0).getAsString()).isEqualTo("GPT2ForSequenceClassification");
        assertThat(config.getAsJsonObject("id2label").get("1").getAsString()).isEqualTo("positive");
        assertThat(config.getAsJsonObject("label2id").get("negative").getAsInt()).isEqualTo(0);
        assertThat(config.get("pad_token_id").getAsInt()).isEqualTo(config.get("eos_token_id").getAsInt());
        assertThat(config.get("model_type").getAsString()).isEqualTo("gpt2");
        try (SafetensorsFile weights = SafetensorsFile.open(out.resolve("model.safetensors"))) {
            assertThat(weights.names()).contains("transformer.wte.weight", "transformer.h.1.mlp.c_fc.weight",
                    "transformer.ln_f.bias", "score.weight").allMatch(n -> n.startsWith("transformer.") || n.equals("score.weight"));
            assertThat(weights.require("transformer.h.0.attn.c_attn.weight").shape()).containsExactly(16, 48); // Conv1D [in, out]
            assertThat(weights.require("score.weight").shape()).containsExactly(2, 16);
            assertThat(weights.metadata()).containsEntry("format", "pt");
            assertThat(weights.readFloats("transformer.h.0.attn.c_attn.weight"))
                    .as("a frozen block is saved as it was read").containsExactly(ckpt.weight("h.0.attn.c_attn.weight"));
            assertThat(Arrays.equals(weights.readFloats("transformer.h.1.attn.c_attn.weight"), ckpt.weight("h.1.attn.c_attn.weight")))
                    .as("the trained block changed").isFalse();
        }
        assertThat(out.resolve("tokenizer.json")).exists();
        assertThat(FineTuneFolder.readRecord(out).finished()).isTrue();

        try (LensEngine reloaded = LensEngine.open(out, "fine-tuned")) {
            List<ClassReading> fromFile = reloaded.classifierLens(text);
            assertThat(fromFile).hasSameSizeAs(inMemory);
            for (int l = 0; l < fromFile.size(); l++) {
                assertThat(fromFile.get(l).probabilities()).as("layer %d", l)
                        .containsExactly(inMemory.get(l).probabilities(), org.assertj.core.data.Offset.offset(1e-6));
            }
            assertThat(reloaded.inspect(text, reloaded.track(List.of(" positive")), 3,
                    dev.logitscope.lens.LensRequest.Positions.LAST, false).layers()).as("the logit lens still reads it").hasSize(3);
        }
    }
}
