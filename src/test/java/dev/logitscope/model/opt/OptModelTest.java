package dev.logitscope.model.opt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import dev.logitscope.lens.LensEngine;
import dev.logitscope.model.Cancellation;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.KvCache;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFamilies;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.ResidualListener;
import dev.logitscope.model.RunCancelledException;
import dev.logitscope.model.TapPoint;
import dev.logitscope.testing.TinyOptCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OPT model's contract beyond its numbers: taps, cancellation, the benchmark's yardsticks, clear refusals. */
class OptModelTest {
    @TempDir
    Path dir;

    @Test
    void tapsComeInOrderWithTheResidualWidthAndACancelledPassLeavesTheCacheAsItWas() throws Exception {
        TinyOptCheckpoint ckpt = TinyOptCheckpoint.builder().nLayer(4).hidden(24).nHead(4).wordEmbedProjDim(16)
                .doLayerNormBefore(false).write(dir.resolve("m"));
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (DecoderModel model = ModelFamilies.load(new ModelFolder(ckpt.folder()), root);
                        KvCache cache = model.newCache()) {
                    List<String> taps = new ArrayList<>();
                    ResidualListener all = new ResidualListener() {
                        @Override
                        public void onResidual(TapPoint tap, int first, NDArray residual) {
                            taps.add(tap.name() + "@" + first + ":" + residual.getShape());
                        }

                        @Override
                        public boolean wantsMidBlock() {
                            return true;
                        }
                    };
                    model.forward(new int[] {5, 6, 7}, cache, all);
                    assertThat(taps).containsExactly("embed@0:(3, 24)", "0.5@0:(3, 24)", "block 1@0:(3, 24)",
                            "1.5@0:(3, 24)", "block 2@0:(3, 24)", "2.5@0:(3, 24)", "block 3@0:(3, 24)",
                            "3.5@0:(3, 24)", "block 4@0:(3, 24)");
                    assertThat(cache.length()).isEqualTo(3);

                    AtomicInteger blocks = new AtomicInteger();
                    ResidualListener counter = (tap, first, residual) -> {
                        if (tap.layer() >= 1) {
                            blocks.incrementAndGet();
                        }
                    };
                    Cancellation afterTwo = () -> blocks.get() >= 2;
                    assertThatThrownBy(() -> model.forward(new int[] {8, 9}, cache, counter, afterTwo))
                            .isInstanceOf(RunCancelledException.class);
                    assertThat(blocks.get()).as("stopped between layers, not at the end").isEqualTo(2);
                    assertThat(cache.length()).isEqualTo(3);
                    assertThat(cache.tokenIds()).containsExactly(5, 6, 7);
                    blocks.set(0);
                    assertThatThrownBy(() -> model.forwardBranches(new int[][] {{8}, {9}}, cache, counter, afterTwo))
                            .isInstanceOf(RunCancelledException.class);
                    assertThat(cache.length()).isEqualTo(3);
                }
                return null;
            });
        }
    }

    @Test
    void theBenchmarkYardsticksFollowTheShape() throws Exception {
        TinyOptCheckpoint ckpt = TinyOptCheckpoint.builder().nLayer(2).hidden(16).nHead(2).ffnDim(40).write(dir.resolve("m"));
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (DecoderModel model = ModelFamilies.load(new ModelFolder(ckpt.folder()), root)) {
                    // per layer and token: q, k, v, out (4·C²) and fc1, fc2 (2·C·ffn) multiply-adds, attention 2·ctx·C
                    assertThat(model.blockFlops(3, 5)).isEqualTo(2 * (2.0 * 3 * (4 * 16 * 16 + 2 * 16 * 40) + 4.0 * 3 * 5 * 16));
                    assertThat(model.projectionShapes()).containsExactly(new int[] {16, 40}, new int[] {40, 16}, new int[] {16, 16});
                    long floats = 0;
                    for (float[] w : ckpt.weights().values()) {
                        floats += w.length;
                    }
                    assertThat(model.weightBytes()).isEqualTo(4 * floats);
                    assertThat(model.shape().parameters()).isEqualTo(floats); // tied, nothing counted twice
                }
                return null;
            });
        }
    }

    @Test
    void aCheckpointThatDoesNotMatchItsConfigIsRefusedByTensorName() throws Exception {
        TinyOptCheckpoint post = TinyOptCheckpoint.builder().doLayerNormBefore(false).write(dir.resolve("post"));
        Path config = post.folder().resolve("config.json");
        Files.writeString(config, Files.readString(config).replace("\"do_layer_norm_before\": false", "\"do_layer_norm_before\": true"));
        assertThatThrownBy(() -> LensEngine.open(post.folder(), "post")).isInstanceOf(ModelException.class)
                .hasMessageContaining("final_layer_norm.weight").hasMessageContaining("OPT");

        TinyOptCheckpoint wide = TinyOptCheckpoint.builder().write(dir.resolve("wide"));
        Path wideConfig = wide.folder().resolve("config.json");
        Files.writeString(wideConfig, Files.readString(wideConfig).replace("\"ffn_dim\": 40", "\"ffn_dim\": 48"));
        assertThatThrownBy(() -> LensEngine.open(wide.folder(), "wide")).isInstanceOf(ModelException.class)
                .hasMessageContaining("model.decoder.layers.0.fc1.weight").hasMessageContaining("config.json implies");

        TinyOptCheckpoint untied = TinyOptCheckpoint.builder().write(dir.resolve("untied"));
        Path untiedConfig = untied.folder().resolve("config.json");
        Files.writeString(untiedConfig, Files.readString(untiedConfig).replace("\"use_cache\"", "\"tie_word_embeddings\": false, \"use_cache\""));
        assertThatThrownBy(() -> LensEngine.open(untied.folder(), "untied")).isInstanceOf(ModelException.class)
                .hasMessageContaining("lm_head.weight");
    }

    @Test
    void promptsBeyondTheContextAreRefusedWithTheContextNamed() throws Exception {
        TinyOptCheckpoint ckpt = TinyOptCheckpoint.builder().maxPositions(8).write(dir.resolve("m"));
        try (LensEngine engine = LensEngine.open(ckpt.folder(), "short")) {
            assertThat(engine.info().shape().nPositions()).isEqualTo(8); // the table has 10 rows: 2 are the offset
            assertThatThrownBy(() -> engine.tokenize("one two three four five six seven eight nine"))
                    .isInstanceOf(ModelException.class).hasMessageContaining("at most 8");
        }
    }
}
