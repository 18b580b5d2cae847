package dev.logitscope.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.model.gpt2.Gpt2Model;
import dev.logitscope.testing.ShardedCheckpoint;
import dev.logitscope.testing.TinyCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint that save_pretrained(max_shard_size=...) split into shards: the shards named
 * {@code model-00001-of-00002.safetensors}, ..., and {@code model.safetensors.index.json} =
 * {"metadata": {"total_size": N}, "weight_map": {tensor: shard}}. It loads to the very numbers of
 * the single file, with every shard read into memory and watched.
 */
class ShardedCheckpointTest {
    private static final int[] IDS = {5, 3, 9, 2, 7, 1};
    private static final String FIRST = ShardedCheckpoint.FIRST;
    private static final String SECOND = ShardedCheckpoint.SECOND;
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
    void twoShardsGiveTheLogitsOfTheSingleFile() throws Exception {
        TinyCheckpoint single = TinyCheckpoint.builder().nLayer(3).nEmbd(16).nHead(2).nPositions(32).untiedLmHead(true)
                .write(dir.resolve("single"));
        Path sharded = ShardedCheckpoint.write(single, dir.resolve("sharded"));
        assertThat(sharded.resolve("model.safetensors")).doesNotExist();

        ModelFolder.WeightFiles files = new ModelFolder(sharded).weightFiles();
        assertThat(files.files()).extracting(p -> p.getFileName().toString()).containsExactly(FIRST, SECOND);

        float[] expected = thread.call(root -> {
            try (Gpt2Model model = Gpt2Model.load(single.folder(), root)) {
                return FinalLogits.of(model, IDS);
            }
        });
        float[] actual = thread.call(root -> {
            try (DecoderModel model = ModelFamilies.load(new ModelFolder(sharded).requireFiles(true), root)) {
                assertThat(model.weightStorage()).isEqualTo(WeightStorage.IN_MEMORY);
                assertThat(model.weightBytes()).isEqualTo(4L * single.weights().values().stream().mapToLong(w -> w.length).sum());
                return FinalLogits.of(model, IDS);
            }
        });
        assertThat(actual).containsExactly(expected);
    }

    @Test
    void noShardOfALocalFolderStaysMappedAndEachIsWatched() throws Exception {
        Path maps = Path.of("/proc/self/maps");
        Assumptions.assumeTrue(Files.isReadable(maps), "needs Linux /proc/self/maps");
        TinyCheckpoint single = TinyCheckpoint.builder().nEmbd(32).nHead(4).nPositions(64).write(dir.resolve("single"));
        Path sharded = ShardedCheckpoint.write(single, dir.resolve("sharded"));
        String first = sharded.resolve(FIRST).toRealPath().toString();
        String second = sharded.resolve(SECOND).toRealPath().toString();
        thread.call(root -> {
            try (DecoderModel model = ModelFamilies.load(new ModelFolder(sharded), root)) {
                assertThat(Files.readAllLines(maps)).noneMatch(line -> line.endsWith(first) || line.endsWith(second));
                assertThat(model.checkpoint().changed()).isFalse();
                Files.writeString(sharded.resolve(SECOND), "rewritten by a training run");
                assertThat(model.checkpoint().changed()).isTrue();
                assertThat(model.checkpoint().notice()).hasValueSatisfying(n -> assertThat(n).startsWith(SECOND));
            }
            return null;
        });
    }

    @Test
    void everyShardOfAHubSnapshotStaysMapped() throws Exception {
        Path maps = Path.of("/proc/self/maps");
        Assumptions.assumeTrue(Files.isReadable(maps), "needs Linux /proc/self/maps");
        TinyCheckpoint single = TinyCheckpoint.builder().nEmbd(32).nHead(4).nPositions(64).write(dir.resolve("single"));
        Path sharded = ShardedCheckpoint.write(single, dir.resolve("sharded"));
        Path repo = dir.resolve("hub/models--org--tiny");
        Path blobs = Files.createDirectories(repo.resolve("blobs"));
        Path snapshot = Files.createDirectories(repo.resolve("snapshots/0123abcd"));
        for (String file : List.of(FIRST, SECOND, "model.safetensors.index.json", "config.json")) {
            Path blob = blobs.resolve("blob-" + file.hashCode());
            Files.move(sharded.resolve(file), blob);
            Files.createSymbolicLink(snapshot.resolve(file), snapshot.relativize(blob));
        }
        String first = blobs.resolve("blob-" + FIRST.hashCode()).toRealPath().toString();
        String second = blobs.resolve("blob-" + SECOND.hashCode()).toRealPath().toString();
        thread.call(root -> {
            try (DecoderModel model = ModelFamilies.load(new ModelFolder(snapshot), root)) {
                assertThat(model.weightStorage()).isEqualTo(WeightStorage.MAPPED);
                List<String> lines = Files.readAllLines(maps);
                assertThat(lines).as("shard 1 is mapped").anyMatch(line -> line.endsWith(first));
                assertThat(lines).as("shard 2 is mapped").anyMatch(line -> line.endsWith(second));
            }
            return null;
        });
    }

    @Test
    void anIndexThatDoesNotMatchItsShardsIsRefusedByName() throws Exception {
        TinyCheckpoint single = TinyCheckpoint.builder().write(dir.resolve("single"));
        Path sharded = ShardedCheckpoint.write(single, dir.resolve("sharded"));
        Path index = sharded.resolve("model.safetensors.index.json");
        String json = Files.readString(index);

        Files.delete(sharded.resolve(SECOND));
        assertThatThrownBy(() -> new ModelFolder(sharded).weightFiles()).isInstanceOf(ModelException.class)
                .hasMessageContaining("lacks " + SECOND).hasMessageContaining("model.safetensors.index.json");
        assertThatThrownBy(() -> new ModelFolder(sharded).requireFiles(true).weightFiles())
                .hasMessageContaining(SECOND);

        Files.writeString(index, json.replace(SECOND, FIRST));
        assertThatThrownBy(() -> thread.call(root -> ModelFamilies.load(new ModelFolder(sharded), root)))
                .isInstanceOf(ModelException.class).hasMessageContaining(FIRST).hasMessageContaining("has no tensor");

        Files.writeString(index, json.replace(SECOND, "../elsewhere.safetensors"));
        assertThatThrownBy(() -> new ModelFolder(sharded).weightFiles()).isInstanceOf(ModelException.class)
                .hasMessageContaining("not the name of a file in the same folder");

        Files.writeString(index, "{\"metadata\": {\"total_size\": 1}}");
        assertThatThrownBy(() -> new ModelFolder(sharded).weightFiles()).isInstanceOf(ModelException.class)
                .hasMessageContaining("no weight_map");
    }
}
