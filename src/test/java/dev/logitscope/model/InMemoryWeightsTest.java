package dev.logitscope.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.logitscope.model.gpt2.Gpt2Model;
import dev.logitscope.tensors.DType;
import dev.logitscope.testing.TinyCheckpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A model loaded from a local folder holds its weights in memory: no mapping of the file is left
 * (checked in the process's own memory map), the numbers are exactly those of the mapped load, and
 * the file can be rewritten under the loaded model, which notices.
 */
class InMemoryWeightsTest {
    private static final int[] IDS = {5, 3, 9, 2, 7, 1};
    private static ModelThread thread;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        thread = new ModelThread();
    }

    @AfterAll
    static void stop() {
        thread.close();
    }

    @Test
    void aLocalFolderLeavesNoMappingOfTheFile() throws Exception {
        Path maps = Path.of("/proc/self/maps");
        Assumptions.assumeTrue(Files.isReadable(maps), "needs Linux /proc/self/maps");
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nEmbd(64).nHead(4).nPositions(128).write(dir.resolve("run"));
        String file = ckpt.modelFile().toRealPath().toString();
        List<String> mapped = thread.call(root -> {
            try (Gpt2Model model = Gpt2Model.load(ckpt.folder(), root)) {
                assertThat(model.weightBytes()).isEqualTo(4L * ckpt.weights().values().stream().mapToLong(w -> w.length).sum());
                return Files.readAllLines(maps).stream().filter(line -> line.endsWith(file)).toList();
            }
        });
        assertThat(mapped).as("mappings of %s while the model is loaded", file).isEmpty();
    }

    @Test
    void aHubSnapshotStaysMapped() throws Exception {
        Path maps = Path.of("/proc/self/maps");
        Assumptions.assumeTrue(Files.isReadable(maps), "needs Linux /proc/self/maps");
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nEmbd(64).nHead(4).nPositions(128).write(dir.resolve("tmp"));
        Path repo = dir.resolve("hub/models--org--tiny");
        Path blob = Files.createDirectories(repo.resolve("blobs")).resolve("a1b2c3");
        Files.move(ckpt.modelFile(), blob);
        Path snapshot = Files.createDirectories(repo.resolve("snapshots/0123abcd"));
        Files.createSymbolicLink(snapshot.resolve("model.safetensors"), snapshot.relativize(blob));
        Files.move(ckpt.configFile(), snapshot.resolve("config.json"));
        String blobPath = blob.toRealPath().toString();
        List<String> mapped = thread.call(root -> {
            try (Gpt2Model model = Gpt2Model.load(snapshot, root)) {
                assertThat(model.weightStorage()).isEqualTo(WeightStorage.MAPPED);
                return Files.readAllLines(maps).stream().filter(line -> line.endsWith(blobPath)).toList();
            }
        });
        assertThat(mapped).as("the blob is mapped, not copied").isNotEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16"})
    void inMemoryAndMappedWeightsGiveIdenticalLogits(DType dtype) throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().dtype(dtype).untiedLmHead(true).transformerPrefix(true)
                .nEmbd(32).nHead(4).nPositions(64).write(dir.resolve(dtype.name()));
        float[][] logits = thread.call(root -> {
            try (Gpt2Model mapped = Gpt2Model.load(ckpt.folder(), root, WeightStorage.MAPPED);
                    Gpt2Model inMemory = Gpt2Model.load(ckpt.folder(), root, WeightStorage.IN_MEMORY)) {
                return new float[][] {FinalLogits.of(mapped, IDS), FinalLogits.of(inMemory, IDS)};
            }
        });
        assertThat(logits[1]).hasSize(IDS.length * ckpt.vocabSize()).isEqualTo(logits[0]);
    }

    @Test
    void theLoadedModelKeepsItsNumbersAndNoticesWhenTheFileIsRewritten() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nEmbd(32).nHead(4).nPositions(64).seed(7).write(dir.resolve("run"));
        TinyCheckpoint next = TinyCheckpoint.builder().nEmbd(32).nHead(4).nPositions(64).seed(8).write(dir.resolve("next"));
        thread.call(root -> {
            try (Gpt2Model model = Gpt2Model.load(ckpt.folder(), root)) {
                assertThat(model.weightStorage()).isEqualTo(WeightStorage.IN_MEMORY);
                float[] before = FinalLogits.of(model, IDS);
                assertThat(model.checkpoint().changed()).isFalse();
                Thread.sleep(20); // a later save has a later modification time (file times tick in milliseconds)
                Files.write(ckpt.modelFile(), Files.readAllBytes(next.modelFile())); // in place, as save_file does
                assertThat(model.checkpoint().changed()).isTrue();
                assertThat(model.checkpoint().notice()).hasValueSatisfying(n -> assertThat(n)
                        .startsWith("model.safetensors changed on disk while loaded; results used the version loaded at "));
                assertThat(FinalLogits.of(model, IDS)).as("the loaded weights did not change").isEqualTo(before);
                try (Gpt2Model reloaded = Gpt2Model.load(ckpt.folder(), root)) {
                    assertThat(reloaded.checkpoint().changed()).isFalse();
                    assertThat(FinalLogits.of(reloaded, IDS)).as("a reload reads the new weights").isNotEqualTo(before);
                }
            }
            return null;
        });
    }
}
