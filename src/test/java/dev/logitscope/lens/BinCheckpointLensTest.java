package dev.logitscope.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.logitscope.tensors.DType;
import dev.logitscope.testing.BinCheckpoint;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.tokenize.Token;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A GPT-2 checkpoint as pytorch_model.bin (its head tied through a shared storage, as
 * GPT2LMHeadModel.state_dict() saves it) reads, at every layer and position, what the float64
 * reference computes, and exactly what the same weights read from model.safetensors.
 */
class BinCheckpointLensTest {
    private static final String PROMPT = "Review: the film was not bad at all.\nSentiment:";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16"})
    void everyLayerMatchesTheReferenceAndTheSafetensorsCopy(DType dtype) throws Exception {
        TinyCheckpoint checkpoint = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(64).dtype(dtype)
                .transformerPrefix(true).seed(11).write(dir.resolve("safetensors"));
        Path bin = BinCheckpoint.write(checkpoint, dir.resolve("bin"), true);
        ReferenceGpt2 reference = new ReferenceGpt2(checkpoint);
        LensReport fromBin;
        LensReport fromSafetensors;
        try (LensEngine engine = LensEngine.open(bin, "bin")) {
            fromBin = engine.inspect(PROMPT, engine.track(List.of(" positive", " negative")), 5, LensRequest.Positions.ALL, true);
        }
        try (LensEngine engine = LensEngine.open(checkpoint.folder(), "safetensors")) {
            fromSafetensors = engine.inspect(PROMPT, engine.track(List.of(" positive", " negative")), 5,
                    LensRequest.Positions.ALL, true);
        }
        int[] ids = fromBin.tokens().stream().mapToInt(Token::id).toArray();
        ReferenceGpt2.Result expected = reference.run(ids);
        assertThat(fromBin.layers()).hasSize(2 * checkpoint.nLayer() + 1);
        for (int l = 0; l < fromBin.layers().size(); l++) {
            LayerReading layer = fromBin.layers().get(l);
            LayerReading same = fromSafetensors.layers().get(l);
            for (PositionReading reading : layer.positions()) {
                int t = reading.position();
                String where = layer.name() + " @" + t;
                PositionReading twin = same.positions().get(t);
                assertThat(reading.trackedProbs()).as(where).containsExactly(twin.trackedProbs());
                assertThat(reading.entropy()).as(where).isEqualTo(twin.entropy());
                assertThat(reading.klToFinal()).as(where).isEqualTo(twin.klToFinal());
                double[] residual = layer.midBlock()
                        ? expected.midBlock()[layer.layer() - 1][t]
                        : expected.afterLayer()[layer.layer()][t];
                double[] p = reference.lensProbabilities(residual);
                for (int j = 0; j < reading.trackedProbs().length; j++) {
                    double want = p[fromBin.tracked().get(j).firstTokenId()];
                    assertThat(reading.trackedProbs()[j]).as(where).isCloseTo(want, within(2e-5 + 1e-3 * want));
                }
                assertThat(reading.entropy()).as(where).isCloseTo(ReferenceGpt2.entropy(p), within(1e-3));
            }
        }
    }
}
