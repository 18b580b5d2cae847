package dev.logitscope.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.logitscope.model.gpt2.Gpt2Model;
import dev.logitscope.safetensors.SafetensorsFile;
import dev.logitscope.safetensors.SafetensorsWriter;
import dev.logitscope.tensors.DType;
import dev.logitscope.tensors.TensorFile;
import dev.logitscope.testing.BinCheckpoint;
import dev.logitscope.testing.PickleBytes;
import dev.logitscope.testing.ShardedCheckpoint;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.testing.TorchCheckpointWriter;
import dev.logitscope.torchfile.TorchCheckpointFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model folders holding {@code pytorch_model.bin} (or .bin shards and their index), as
 * facebook/opt-* and many fine-tunes ship them: they load to the very numbers of the same weights
 * in safetensors, mapped or in memory; safetensors win when both are present, as in transformers.
 */
class PytorchBinCheckpointTest {
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

    private float[] logits(Path folder, WeightStorage storage) throws Exception {
        return thread.call(root -> {
            try (DecoderModel model = ModelFamilies.forConfig(new ModelFolder(folder).configJson(), "config.json")
                    .load(new ModelFolder(folder).requireFiles(true), root, storage)) {
                assertThat(model.weightStorage()).isEqualTo(storage);
                return FinalLogits.of(model, IDS);
            }
        });
    }

    @Test
    void aBinFolderGivesTheLogitsOfTheSafetensorsFolderMappedOrInMemory() throws Exception {
        for (DType dtype : List.of(DType.F32, DType.F16, DType.BF16)) {
            TinyCheckpoint single = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(32).dtype(dtype)
                    .transformerPrefix(true).seed(3).write(dir.resolve("st-" + dtype));
            // lm_head.weight shares the storage of transformer.wte.weight, as in GPT2LMHeadModel.state_dict().
            Path bin = BinCheckpoint.write(single, dir.resolve("bin-" + dtype), true);
            assertThat(new ModelFolder(bin).weightFiles().files()).containsExactly(bin.resolve("pytorch_model.bin"));
            float[] expected = logits(single.folder(), WeightStorage.IN_MEMORY);
            assertThat(logits(bin, WeightStorage.IN_MEMORY)).as("%s in memory", dtype).containsExactly(expected);
            assertThat(logits(bin, WeightStorage.MAPPED)).as("%s mapped", dtype).containsExactly(expected);
        }
    }

    @Test
    void binShardsAndTheirIndexLoad() throws Exception {
        TinyCheckpoint single = TinyCheckpoint.builder().nLayer(3).untiedLmHead(true).dtype(DType.F16)
                .write(dir.resolve("single"));
        Path sharded = BinCheckpoint.writeSharded(single, dir.resolve("sharded"));
        ModelFolder.WeightFiles files = new ModelFolder(sharded).weightFiles();
        assertThat(files.files()).extracting(p -> p.getFileName().toString())
                .containsExactly(BinCheckpoint.FIRST, BinCheckpoint.SECOND);
        assertThat(files.index()).isEqualTo(sharded.resolve("pytorch_model.bin.index.json"));
        float[] expected = logits(single.folder(), WeightStorage.IN_MEMORY);
        float[] actual = thread.call(root -> {
            try (DecoderModel model = ModelFamilies.load(new ModelFolder(sharded).requireFiles(true), root)) {
                return FinalLogits.of(model, IDS);
            }
        });
        assertThat(actual).containsExactly(expected);
        // A shard that lacks a tensor the index places there is named with the index.
        String moved = files.shardOf().entrySet().stream().filter(e -> e.getValue().endsWith(BinCheckpoint.SECOND))
                .findFirst().orElseThrow().getKey();
        new TorchCheckpointWriter().add("unrelated", DType.F32, new long[] {1}, new float[1])
                .write(sharded.resolve(BinCheckpoint.SECOND));
        assertThatThrownBy(() -> CheckpointFiles.open(new ModelFolder(sharded).weightFiles()).close())
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("has no tensor '" + moved + "', which pytorch_model.bin.index.json places there");
    }

    @Test
    void safetensorsWinOverBinAsInTransformers() throws Exception {
        TinyCheckpoint safetensors = TinyCheckpoint.builder().seed(1).write(dir.resolve("a"));
        TinyCheckpoint other = TinyCheckpoint.builder().seed(2).write(dir.resolve("b"));
        Path both = BinCheckpoint.write(other, dir.resolve("both"), false);
        Files.copy(safetensors.modelFile(), both.resolve("model.safetensors"));
        assertThat(new ModelFolder(both).weightFiles().files()).containsExactly(both.resolve("model.safetensors"));
        assertThat(logits(both, WeightStorage.IN_MEMORY)).containsExactly(logits(safetensors.folder(), WeightStorage.IN_MEMORY));

        // A safetensors index also comes before a single .bin (transformers' order: model.safetensors,
        // model.safetensors.index.json, pytorch_model.bin, pytorch_model.bin.index.json).
        Path shardedAndBin = ShardedCheckpoint.write(safetensors, dir.resolve("sharded-and-bin"));
        Files.copy(both.resolve("pytorch_model.bin"), shardedAndBin.resolve("pytorch_model.bin"));
        assertThat(new ModelFolder(shardedAndBin).weightFiles().files()).extracting(p -> p.getFileName().toString())
                .containsExactly(ShardedCheckpoint.FIRST, ShardedCheckpoint.SECOND);
        Path binAndIndex = BinCheckpoint.writeSharded(other, dir.resolve("bin-and-index"));
        Files.copy(both.resolve("pytorch_model.bin"), binAndIndex.resolve("pytorch_model.bin"));
        assertThat(new ModelFolder(binAndIndex).weightFiles().files()).containsExactly(binAndIndex.resolve("pytorch_model.bin"));
    }

    @Test
    void aFolderWithoutWeightsNamesBothFormats() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(folder.resolve("config.json"), "{}");
        Files.writeString(folder.resolve("tokenizer.json"), "{}");
        assertThatThrownBy(() -> new ModelFolder(folder).requireFiles(true)).isInstanceOf(ModelException.class)
                .hasMessageContaining("has no model.safetensors (or pytorch_model.bin)")
                .hasMessageContaining("model.safetensors or pytorch_model.bin (or model.safetensors.index.json or"
                        + " pytorch_model.bin.index.json and its shards)");
    }

    @Test
    void aHostileBinIsRefusedByTheLoaderAndNothingRuns() throws Exception {
        TinyCheckpoint single = TinyCheckpoint.builder().write(dir.resolve("single"));
        Path folder = BinCheckpoint.write(single, dir.resolve("evil"), false);
        Path marker = dir.resolve("pwned");
        byte[] pickle = new PickleBytes().proto(2).global("os", "system").unicode("touch " + marker).tuple1().reduce()
                .stop().toByteArray();
        new TorchCheckpointWriter().add("x", DType.F32, new long[] {1}, new float[1]).replacePickle(pickle)
                .write(folder.resolve("pytorch_model.bin"));
        assertThatThrownBy(() -> thread.call(root -> ModelFamilies.load(new ModelFolder(folder).requireFiles(true), root)))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("pytorch_model.bin: pytorch_model/data.pkl imports os.system")
                .hasMessageContaining("nothing in it was run");
        assertThat(marker).doesNotExist();
    }

    @Test
    void theReaderIsChosenByContentThenByName() throws Exception {
        TinyCheckpoint single = TinyCheckpoint.builder().write(dir.resolve("single"));
        Path bin = BinCheckpoint.write(single, dir.resolve("bin"), false).resolve("pytorch_model.bin");
        Path misnamed = Files.copy(bin, dir.resolve("weights.safetensors"));
        try (TensorFile f = CheckpointFiles.openFile(misnamed)) {
            assertThat(f).isInstanceOf(TorchCheckpointFile.class);
            assertThat(f.names()).contains("wte.weight");
        }
        try (TensorFile f = CheckpointFiles.openFile(single.modelFile())) {
            assertThat(f).isInstanceOf(SafetensorsFile.class);
        }
        // A safetensors header length whose first byte is 0x80 (PROTO, a pickle's first opcode) is still safetensors.
        Path pickleLike = dir.resolve("pickle-like.safetensors");
        for (int pad = 0; !Files.exists(pickleLike) || (Files.readAllBytes(pickleLike)[0] & 0xff) != 0x80; pad++) {
            new SafetensorsWriter().metadata("pad", "x".repeat(pad)).add("w", new long[] {2}, new float[] {1, 2})
                    .write(pickleLike);
        }
        try (TensorFile f = CheckpointFiles.openFile(pickleLike)) {
            assertThat(f).isInstanceOf(SafetensorsFile.class);
            assertThat(f.readFloats("w")).containsExactly(1, 2);
        }
        Path safetensorsAsBin = Files.copy(single.modelFile(), dir.resolve("pytorch_model.bin"));
        assertThatThrownBy(() -> CheckpointFiles.openFile(safetensorsAsBin))
                .hasMessageContaining("is a safetensors file, not a torch.save zip; name it model.safetensors");
    }

    @Test
    void aRewrittenBinIsNoticedAndAHubBinIsMapped() throws Exception {
        TinyCheckpoint single = TinyCheckpoint.builder().write(dir.resolve("single"));
        Path folder = BinCheckpoint.write(single, dir.resolve("bin"), false);
        Path bin = folder.resolve("pytorch_model.bin");
        Files.setLastModifiedTime(bin, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        CheckpointWatch watch = CheckpointWatch.start(bin);
        assertThat(watch.changed()).isFalse();
        // Same names and shapes, other values: a training run saving its next checkpoint.
        TinyCheckpoint next = TinyCheckpoint.builder().seed(99).write(dir.resolve("next"));
        Path tmp = BinCheckpoint.write(next, dir.resolve("next-bin"), false).resolve("pytorch_model.bin");
        Files.setLastModifiedTime(tmp, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L)); // same time
        Files.write(bin, Files.readAllBytes(tmp)); // in place: same file, same size
        assertThat(Files.size(tmp)).isEqualTo(Files.size(bin));
        Files.setLastModifiedTime(bin, java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        assertThat(watch.changed()).as("same size and time, other bytes").isTrue();
        assertThat(watch.notice()).hasValueSatisfying(n -> assertThat(n).startsWith("pytorch_model.bin changed on disk"));

        Path snapshot = Files.createDirectories(dir.resolve("hub/models--facebook--opt-125m/snapshots/abc"));
        Files.createDirectories(dir.resolve("hub/models--facebook--opt-125m/blobs"));
        Path cached = Files.copy(bin, snapshot.resolve("pytorch_model.bin"));
        assertThat(WeightStorage.forCheckpoint(cached)).isEqualTo(WeightStorage.MAPPED);
    }
}
