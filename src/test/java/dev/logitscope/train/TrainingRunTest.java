package dev.logitscope.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.model.DropoutRates;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.TrainableParameter;
import dev.logitscope.model.gpt2.Gpt2Trainable;
import dev.logitscope.testing.TinyCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's invariants: frozen weights stay bit-identical, nothing accumulates, a resumed run repeats an uninterrupted one. */
class TrainingRunTest {

    @TempDir
    Path dir;

    private TinyCheckpoint ckpt;
    private final Examples train = TinyClassifier.examples(40, 1);
    private final Examples dev = TinyClassifier.examples(16, 2);

    @BeforeEach
    void checkpoint() throws Exception {
        ckpt = TinyCheckpoint.builder().nLayer(3).nEmbd(16).nHead(2).nPositions(16).embeddingStd(0.5).projectionStd(0.2)
                .seed(5).write(dir.resolve("base"));
    }

    @Test
    void frozenWeightsStayBitIdenticalAndGetNoGradientOrOptimizerState() throws Exception {
        TrainingRecipe recipe = new TrainingRecipe(1, 2, 8, 1e-2, 0.01, 0.1, 1.0, 3);
        Map<String, float[]> after;
        int stateful;
        List<String> withGradient = new ArrayList<>();
        try (ModelThread thread = new ModelThread()) {
            Object[] result = thread.call(root -> {
                try (Gpt2Trainable model = Gpt2Trainable.load(new ModelFolder(ckpt.folder()), TinyClassifier.LABELS, 1, 3, root);
                        AdamW optimizer = new AdamW(root)) {
                    new Trainer(model, recipe, train, dev, root).run(TrainingState.START, optimizer, () -> false,
                            TrainingListener.NONE, (state, adam) -> { });
                    for (TrainableParameter p : model.parameters()) {
                        if (p.array().hasGradient()) {
                            withGradient.add(p.name());
                        }
                    }
                    return new Object[] {model.storedValues(), optimizer.statefulParameters()};
                }
            });
            @SuppressWarnings("unchecked")
            Map<String, float[]> values = (Map<String, float[]>) result[0];
            after = values;
            stateful = (int) result[1];
        }
        List<String> frozen = new ArrayList<>(List.of("wte.weight", "wpe.weight"));
        frozen.addAll(TinyCheckpoint.blockParameterNames(0));
        frozen.addAll(TinyCheckpoint.blockParameterNames(1));
        for (String name : frozen) {
            assertThat(Arrays.equals(after.get(name), ckpt.weight(name))).as("%s is frozen", name).isTrue();
        }
        List<String> trained = new ArrayList<>(TinyCheckpoint.blockParameterNames(2));
        trained.addAll(List.of("ln_f.weight", "ln_f.bias"));
        for (String name : trained) {
            assertThat(Arrays.equals(after.get(name), ckpt.weight(name))).as("%s is trained", name).isFalse();
        }
        assertThat(stateful).as("optimizer state only for block 2, ln_f and score").isEqualTo(12 + 2 + 1);
        assertThat(withGradient).hasSize(15).allMatch(n -> n.startsWith("transformer.h.2.") || n.startsWith("transformer.ln_f.")
                || n.equals("score.weight"));
    }

    @Test
    void theNativeArraysInUseStayTheSameOverBatchesAndEpochs() throws Exception {
        liveArraysStayFlat(new TrainingRecipe(-1, 3, 8, 1e-2, 0.01, 0.1, 1.0, 3));
    }

    @Test
    void withDropoutTooTheNativeArraysInUseStayTheSame() throws Exception {
        liveArraysStayFlat(new TrainingRecipe(-1, 3, 8, 1e-2, 0.01, 0.1, 1.0, 3, DropoutRates.all(0.3)));
    }

    private void liveArraysStayFlat(TrainingRecipe recipe) throws Exception {
        List<Integer> perBatch = new ArrayList<>();
        List<Integer> perEpoch = new ArrayList<>();
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (Gpt2Trainable model = Gpt2Trainable.load(new ModelFolder(ckpt.folder()), TinyClassifier.LABELS, -1, 3, root);
                        AdamW optimizer = new AdamW(root)) {
                    new Trainer(model, recipe, train, dev, root).run(TrainingState.START, optimizer, () -> false,
                            new TrainingListener() {
                                @Override
                                public void onProgress(TrainingProgress progress) {
                                    perBatch.add(root.getManagedArrays().size());
                                }

                                @Override
                                public void onEpoch(EpochMetrics metrics) {
                                    perEpoch.add(root.getManagedArrays().size());
                                }
                            }, (state, adam) -> { });
                    return null;
                }
            });
        }
        assertThat(perEpoch).hasSize(3);
        assertThat(perEpoch).as("live arrays after each epoch").containsOnly(perEpoch.get(0));
        assertThat(perBatch.subList(1, perBatch.size())).as("live arrays after each batch (the optimizer state is made in the first)")
                .containsOnly(perBatch.get(1));
    }

    @Test
    void aRunStoppedAfterAnEpochAndResumedEqualsAnUninterruptedRun() throws Exception {
        stopResumeEqualsUninterrupted(new TrainingRecipe(2, 3, 8, 1e-2, 0.01, 0.1, 1.0, 9), "off");
    }

    /**
     * With the config's dropout (GPT-2's 0.1 everywhere) the masks come from (seed, step), so a
     * resumed run still repeats the uninterrupted one bit for bit, and the record names the rates.
     */
    @Test
    void withTheConfigsDropoutAResumedRunStillEqualsAnUninterruptedOneAndTheRecordNamesTheRates() throws Exception {
        TrainingRecipe recipe = new TrainingRecipe(2, 3, 8, 1e-2, 0.01, 0.1, 1.0, 9, null);
        stopResumeEqualsUninterrupted(recipe, "config");
        TrainingRecord record = FineTuneFolder.readRecord(dir.resolve("whole-config"));
        assertThat(record.recipe().dropout()).isEqualTo(new DropoutRates(0.1, 0.1, 0.1));
        assertThat(Files.readString(dir.resolve("whole-config").resolve(FineTuneFolder.RECORD)))
                .contains("\"embeddings\": 0.1").contains("\"attention\": 0.1").contains("\"residual\": 0.1");
        FineTuneRun.start(request(dir.resolve("no-dropout"), new TrainingRecipe(2, 3, 8, 1e-2, 0.01, 0.1, 1.0, 9)),
                () -> false, TrainingListener.NONE);
        assertThat(Files.readAllBytes(dir.resolve("whole-config").resolve(ModelFolder.WEIGHTS)))
                .as("dropout changed the training").isNotEqualTo(Files.readAllBytes(dir.resolve("no-dropout").resolve(ModelFolder.WEIGHTS)));
        assertThat(FineTuneFolder.readRecord(dir.resolve("no-dropout")).recipe().dropout()).isEqualTo(DropoutRates.OFF);
    }

    private void stopResumeEqualsUninterrupted(TrainingRecipe recipe, String name) throws Exception {
        Path interrupted = dir.resolve("interrupted-" + name);
        Path whole = dir.resolve("whole-" + name);

        AtomicBoolean stop = new AtomicBoolean();
        TrainingOutcome first = FineTuneRun.start(request(interrupted, recipe), stop::get, stopAfterEpoch(1, stop));
        assertThat(first.stopped()).isTrue();
        assertThat(first.state().completedEpochs()).isEqualTo(1);
        TrainingRecord saved = FineTuneFolder.readRecord(interrupted);
        assertThat(saved.finished()).isFalse();
        assertThat(saved.state().completedEpochs()).isEqualTo(1);

        TrainingOutcome resumed = FineTuneRun.resume(request(interrupted, recipe), saved, () -> false, TrainingListener.NONE);
        assertThat(resumed.stopped()).isFalse();
        TrainingOutcome uninterrupted = FineTuneRun.start(request(whole, recipe), () -> false, TrainingListener.NONE);

        List<double[]> a = metrics(resumed.state());
        List<double[]> b = metrics(uninterrupted.state());
        for (int i = 0; i < 3; i++) {
            assertThat(a.get(i)).as("epoch %d", i + 1).containsExactly(b.get(i));
        }
        assertThat(Files.readAllBytes(interrupted.resolve(ModelFolder.WEIGHTS)))
                .as("the resumed model's weights").isEqualTo(Files.readAllBytes(whole.resolve(ModelFolder.WEIGHTS)));
        assertThat(Files.readAllBytes(interrupted.resolve(FineTuneFolder.OPTIMIZER)))
                .isEqualTo(Files.readAllBytes(whole.resolve(FineTuneFolder.OPTIMIZER)));
        TrainingRecord done = FineTuneFolder.readRecord(interrupted);
        assertThat(done.finished()).isTrue();
        assertThat(done.state().steps()).isEqualTo(3L * 5);
    }

    private FineTuneRun.Request request(Path out, TrainingRecipe recipe) {
        return new FineTuneRun.Request(ckpt.folder(), "tiny", null, ckpt.folder(), new ClassifierObjective(train),
                new DataSummary("train", train.size(), train.tokens()), new ClassifierObjective(dev),
                new DataSummary("dev", dev.size(), dev.tokens()), recipe, TinyClassifier.LABELS, null, out);
    }

    private static TrainingListener stopAfterEpoch(int epoch, AtomicBoolean stop) {
        return new TrainingListener() {
            @Override
            public void onProgress(TrainingProgress progress) {}

            @Override
            public void onEpoch(EpochMetrics metrics) {
                if (metrics.epoch() == epoch) {
                    stop.set(true);
                }
            }
        };
    }

    private static List<double[]> metrics(TrainingState state) {
        return state.epochs().stream().map(m -> new double[] {m.epoch(), m.trainLoss(), m.devAccuracy(), m.devLoss()}).toList();
    }
}
