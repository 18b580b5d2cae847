package dev.logitscope.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.Dropout;
import dev.logitscope.model.DropoutRates;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.ModelThread;
import dev.logitscope.model.ResidualListener;
import dev.logitscope.model.TrainableModel;
import dev.logitscope.model.TrainableParameter;
import dev.logitscope.model.gpt2.Gpt2Trainable;
import dev.logitscope.model.gptneo.GptNeoTrainable;
import dev.logitscope.model.opt.OptTrainable;
import dev.logitscope.testing.ReferenceGpt2;
import dev.logitscope.testing.TinyCheckpoint;
import dev.logitscope.testing.TinyGptNeoCheckpoint;
import dev.logitscope.testing.TinyOptCheckpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dropout in training passes, as transformers' {@code model.train()} applies it: torch's inverted
 * dropout with masks from (seed, step); a training pass differs from an evaluation pass while
 * evaluation, inference and the lens stay exactly as they were; each family reads its config's
 * rates; and autograd through fixed masks equals finite differences of a float64 GPT-2 that
 * applies the same masks at transformers' places.
 */
class DropoutTest {

    @TempDir
    Path dir;

    private static final int[][] SEQUENCES = {{101, 116, 40, 7}, {5, 101}, {116, 116, 3, 9, 101, 250}};
    private static final int[] LABELS = {1, 0, 0};

    @Test
    void masksAreTorchsInvertedDropoutDrawnFromTheSeedAndTheStep() throws Exception {
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (NDManager m = root.newSubManager()) {
                    NDArray ones = m.ones(new Shape(200, 50), DataType.FLOAT32);
                    DropoutRates rates = new DropoutRates(0.0, 0.3, 0.5);
                    float[] a = SeededDropout.forStep(rates, 5, 7).apply(ones, Dropout.Site.ATTENTION).toFloatArray();
                    float[] again = SeededDropout.forStep(rates, 5, 7).apply(ones, Dropout.Site.ATTENTION).toFloatArray();
                    float[] nextStep = SeededDropout.forStep(rates, 5, 8).apply(ones, Dropout.Site.ATTENTION).toFloatArray();
                    float[] otherSeed = SeededDropout.forStep(rates, 6, 7).apply(ones, Dropout.Site.ATTENTION).toFloatArray();
                    assertThat(again).as("the same seed and step draw the same mask").containsExactly(a);
                    assertThat(Arrays.equals(a, nextStep)).as("another step draws another mask").isFalse();
                    assertThat(Arrays.equals(a, otherSeed)).as("another seed draws another mask").isFalse();
                    long zeros = 0;
                    for (float v : a) {
                        assertThat(v == 0f || Math.abs(v - 1 / 0.7f) < 1e-6f).as("0 or 1/(1-p): %s", v).isTrue();
                        zeros += v == 0f ? 1 : 0;
                    }
                    assertThat(zeros / 10_000.0).as("the share dropped").isCloseTo(0.3, offset(0.03));
                    float[] residual = SeededDropout.forStep(rates, 5, 7).apply(ones, Dropout.Site.RESIDUAL).toFloatArray();
                    long dropped = 0;
                    for (float v : residual) {
                        dropped += v == 0f ? 1 : 0;
                    }
                    assertThat(dropped / 10_000.0).as("each site has its own rate").isCloseTo(0.5, offset(0.03));
                    Dropout step = SeededDropout.forStep(rates, 5, 7);
                    assertThat(step.apply(ones, Dropout.Site.EMBEDDINGS)).as("a site at 0 is the identity").isSameAs(ones);
                    assertThat(SeededDropout.forStep(DropoutRates.OFF, 5, 7)).as("no rate: no dropout at all").isSameAs(Dropout.NONE);
                }
                return null;
            });
        }
    }

    @Test
    void eachFamilyReadsItsConfigsRatesAsTransformersNamesThem() throws Exception {
        TinyCheckpoint gpt2 = TinyCheckpoint.builder().nLayer(1).nEmbd(16).nHead(2).nPositions(16).write(dir.resolve("gpt2"));
        TinyGptNeoCheckpoint neo = TinyGptNeoCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(16).windowSize(4)
                .write(dir.resolve("neo"));
        TinyOptCheckpoint opt = TinyOptCheckpoint.builder().nLayer(1).hidden(16).nHead(2).ffnDim(24).maxPositions(16)
                .write(dir.resolve("opt"));
        try (ModelThread thread = new ModelThread()) {
            thread.call(root -> {
                try (TrainableModel a = Gpt2Trainable.load(new ModelFolder(gpt2.folder()), null, -1, 1, root);
                        TrainableModel b = GptNeoTrainable.load(new ModelFolder(neo.folder()), null, -1, 1, root);
                        TrainableModel c = OptTrainable.load(new ModelFolder(opt.folder()), null, -1, 1, root)) {
                    // embd_pdrop / attn_pdrop / resid_pdrop; embed_dropout / attention_dropout / resid_dropout;
                    // OPT: no embedding dropout, attention_dropout, dropout.
                    assertThat(a.configDropout()).isEqualTo(new DropoutRates(0.1, 0.1, 0.1));
                    assertThat(b.configDropout()).isEqualTo(new DropoutRates(0, 0, 0));
                    assertThat(c.configDropout()).isEqualTo(new DropoutRates(0, 0, 0.1));
                }
                return null;
            });
        }
    }

    @Test
    void aTrainingPassDiffersFromAnEvaluationPassWhichStaysBitIdenticalAsInferenceAndTheLensDo() throws Exception {
        TinyCheckpoint gpt2 = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(16).embeddingStd(0.5)
                .projectionStd(0.2).write(dir.resolve("gpt2"));
        TinyGptNeoCheckpoint neo = TinyGptNeoCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(16).windowSize(4)
                .write(dir.resolve("neo"));
        TinyOptCheckpoint opt = TinyOptCheckpoint.builder().nLayer(2).hidden(16).nHead(2).ffnDim(24).maxPositions(16)
                .wordEmbedProjDim(12).write(dir.resolve("opt"));
        List<FolderLoader> loaders = List.of(
                root -> Gpt2Trainable.load(new ModelFolder(gpt2.folder()), TinyClassifier.LABELS, -1, 1, root),
                root -> GptNeoTrainable.load(new ModelFolder(neo.folder()), TinyClassifier.LABELS, -1, 1, root),
                root -> OptTrainable.load(new ModelFolder(opt.folder()), TinyClassifier.LABELS, -1, 1, root));
        for (FolderLoader loader : loaders) {
            try (ModelThread thread = new ModelThread()) {
                thread.call(root -> {
                    try (TrainableModel model = loader.load(root); NDManager scratch = root.newSubManager()) {
                        float[] eval = model.classifierLogits(SEQUENCES, scratch).toFloatArray();
                        float[] lens = lens(model.inference(), SEQUENCES[2]);
                        float[] lm = model.lmLogits(SEQUENCES, new int[] {0, 3, 11}, scratch).toFloatArray();
                        DropoutRates rates = DropoutRates.all(0.5);
                        float[] trained;
                        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                            NDArray logits = model.classifierLogits(SEQUENCES, SeededDropout.forStep(rates, 3, 0), scratch);
                            trained = logits.toFloatArray();
                            collector.backward(Trainer.crossEntropy(logits, LABELS, scratch));
                        }
                        float[] trainedAgain = model.classifierLogits(SEQUENCES, SeededDropout.forStep(rates, 3, 0), scratch)
                                .toFloatArray();
                        assertThat(Arrays.equals(trained, eval)).as("%s: a training pass drops out", model.config()
                                .getAsJsonArray("architectures")).isFalse();
                        assertThat(trainedAgain).as("the same (seed, step), the same masks").containsExactly(trained);
                        assertThat(model.classifierLogits(SEQUENCES, scratch).toFloatArray()).as("evaluation after training passes")
                                .containsExactly(eval);
                        assertThat(model.lmLogits(SEQUENCES, new int[] {0, 3, 11}, scratch).toFloatArray()).containsExactly(lm);
                        assertThat(lens(model.inference(), SEQUENCES[2])).as("the lens reads the model as before").containsExactly(lens);
                    }
                    return null;
                });
            }
        }
    }

    @Test
    void autogradThroughFixedMasksMatchesFiniteDifferencesOfAFloat64GptTwoWithTheSameMasks() throws Exception {
        TinyCheckpoint ckpt = TinyCheckpoint.builder().nLayer(2).nEmbd(16).nHead(2).nPositions(16)
                .embeddingStd(0.5).projectionStd(0.2).seed(7).write(dir.resolve("tiny"));
        List<Object[]> probes = List.of(
                new Object[] {"h.0.attn.c_attn.weight", 5 * 48 + 20},
                new Object[] {"h.1.mlp.c_proj.weight", 33 * 16 + 4},
                new Object[] {"h.0.ln_1.weight", 3},
                new Object[] {"h.1.attn.c_proj.bias", 11},
                new Object[] {"wte.weight", 101 * 16 + 2},
                new Object[] {"wpe.weight", 1 * 16 + 9},
                new Object[] {"ln_f.bias", 6},
                new Object[] {"score.weight", 1 * 16 + 13});
        FixedMasks masks = new FixedMasks(new DropoutRates(0.2, 0.3, 0.25), 17);
        Map<String, Float> autograd = new HashMap<>();
        Map<String, float[]> stored;
        float[] withoutMasks = new float[1];
        float[] withMasks = new float[1];
        try (ModelThread thread = new ModelThread()) {
            stored = thread.call(root -> {
                try (Gpt2Trainable model = Gpt2Trainable.load(new ModelFolder(ckpt.folder()), TinyClassifier.LABELS, -1, 3, root);
                        NDManager scratch = root.newSubManager()) {
                    NDArray score = model.parameters().get(model.parameters().size() - 1).array();
                    Random random = new Random(11);
                    float[] head = new float[(int) score.size()];
                    for (int i = 0; i < head.length; i++) {
                        head[i] = (float) random.nextGaussian();
                    }
                    score.set(head); // a head of unit scale, so every gradient is large enough to check
                    withoutMasks[0] = Trainer.crossEntropy(model.classifierLogits(SEQUENCES, scratch), LABELS, scratch).getFloat();
                    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                        NDArray loss = Trainer.crossEntropy(model.classifierLogits(SEQUENCES, masks, scratch), LABELS, scratch);
                        withMasks[0] = loss.getFloat();
                        collector.backward(loss);
                    }
                    for (Object[] probe : probes) {
                        String name = (String) probe[0];
                        TrainableParameter p = model.parameters().stream()
                                .filter(q -> q.name().equals(name.equals("score.weight") ? name : "transformer." + name))
                                .findFirst().orElseThrow();
                        NDArray gradient = p.array().getGradient();
                        boolean conv = name.endsWith("c_attn.weight") || name.endsWith("c_proj.weight") || name.endsWith("c_fc.weight");
                        autograd.put(name + "#" + probe[1], (conv ? gradient.transpose() : gradient).toFloatArray()[(int) probe[1]]);
                    }
                    return model.storedValues();
                }
            });
        }
        Map<String, float[]> weights = new HashMap<>(stored);
        assertThat(masks.calls()).as("embeddings, then per block: attention probabilities, attention output, MLP output")
                .containsExactly(Dropout.Site.EMBEDDINGS, Dropout.Site.ATTENTION, Dropout.Site.RESIDUAL, Dropout.Site.RESIDUAL,
                        Dropout.Site.ATTENTION, Dropout.Site.RESIDUAL, Dropout.Site.RESIDUAL);
        assertThat((double) withMasks[0]).as("the float64 loss with the masks").isCloseTo(loss(ckpt, weights, masks), offset(1e-4));
        assertThat((double) withoutMasks[0]).as("and without").isCloseTo(loss(ckpt, weights, null), offset(1e-4));
        assertThat(Math.abs(withMasks[0] - withoutMasks[0])).as("the masks matter").isGreaterThan(1e-3f);
        for (Object[] probe : probes) {
            String name = (String) probe[0];
            int index = (int) probe[1];
            float w = weights.get(name)[index];
            float up = (float) (w + 1e-3);
            float down = (float) (w - 1e-3);
            double fd = (loss(ckpt, with(weights, name, index, up), masks) - loss(ckpt, with(weights, name, index, down), masks))
                    / ((double) up - (double) down);
            assertThat(Math.abs(fd)).as("%s[%d] has a gradient worth checking", name, index).isGreaterThan(1e-5);
            assertThat((double) autograd.get(name + "#" + index)).as("d loss / d %s[%d] through the masks (fd %s)", name, index, fd)
                    .isCloseTo(fd, offset(1e-3 * Math.abs(fd) + 1e-6));
        }
    }

    /** The classifier's mean cross-entropy in float64, each sequence alone through ReferenceGpt2 with its part of {@code masks} (null: none). */
    private static double loss(TinyCheckpoint ckpt, Map<String, float[]> weights, FixedMasks masks) {
        ReferenceGpt2 reference = new ReferenceGpt2(ckpt.nLayer(), ckpt.nHead(), ckpt.layerNormEpsilon(), weights);
        double total = 0;
        int offset = 0;
        for (int s = 0; s < SEQUENCES.length; s++) {
            ReferenceGpt2.Masks m = masks == null ? ReferenceGpt2.Masks.NONE : masks.forSequence(offset, ckpt.nEmbd());
            double[] h = reference.run(SEQUENCES[s], m).afterLayer()[ckpt.nLayer()][SEQUENCES[s].length - 1];
            double[] logits = TinyClassifier.classLogits(weights, h, ckpt.layerNormEpsilon(), 2);
            double[] p = ReferenceGpt2.softmax(logits);
            total -= Math.log(p[LABELS[s]]);
            offset += SEQUENCES[s].length;
        }
        return total / SEQUENCES.length;
    }

    /**
     * Dropout with masks drawn once from a Java random (0 or 1/(1−p)), recorded in the order the
     * pass asks for them, so that a float64 reference can apply the very same ones.
     */
    private static final class FixedMasks implements Dropout {
        private final DropoutRates rates;
        private final Random random;
        private final List<Site> sites = new ArrayList<>();
        private final List<float[]> values = new ArrayList<>();
        private final List<long[]> shapes = new ArrayList<>();

        FixedMasks(DropoutRates rates, long seed) {
            this.rates = rates;
            this.random = new Random(seed);
        }

        @Override
        public NDArray apply(NDArray x, Site site) {
            double p = rates.at(site);
            float[] mask = new float[(int) x.size()];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = random.nextDouble() < p ? 0f : (float) (1 / (1 - p));
            }
            sites.add(site);
            values.add(mask);
            shapes.add(x.getShape().getShape());
            // A copy libtorch owns: autograd keeps the mask for the backward pass.
            return x.mul(x.getManager().create(mask, x.getShape()).duplicate());
        }

        List<Site> calls() {
            return sites;
        }

        /** The masks of the sequence that starts at flat row {@code offset} of the packed pass. */
        ReferenceGpt2.Masks forSequence(int offset, int c) {
            return new ReferenceGpt2.Masks() {
                @Override
                public double embeddings(int position, int channel) {
                    return values.get(0)[(offset + position) * c + channel];
                }

                @Override
                public double attention(int layer, int head, int query, int key) {
                    long t = shapes.get(1 + 3 * layer)[1]; // [H, T, T]
                    return values.get(1 + 3 * layer)[(int) ((head * t + offset + query) * t + offset + key)];
                }

                @Override
                public double attentionOutput(int layer, int position, int channel) {
                    return values.get(2 + 3 * layer)[(offset + position) * c + channel];
                }

                @Override
                public double mlpOutput(int layer, int position, int channel) {
                    return values.get(3 + 3 * layer)[(offset + position) * c + channel];
                }
            };
        }
    }

    @FunctionalInterface
    private interface FolderLoader {
        TrainableModel load(NDManager root) throws Exception;
    }

    /** Every layer's readout of {@code ids} through the inference model (no cache), flattened. */
    private static float[] lens(DecoderModel model, int[] ids) throws Exception {
        List<float[]> layers = new ArrayList<>();
        model.forward(ids, null, (ResidualListener) (tap, first, residual) -> {
            if (!tap.midBlock()) {
                layers.add(model.readout(residual).toFloatArray());
            }
        });
        int n = layers.stream().mapToInt(a -> a.length).sum();
        float[] out = new float[n];
        int at = 0;
        for (float[] a : layers) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }

    private static Map<String, float[]> with(Map<String, float[]> weights, String name, int index, float value) {
        Map<String, float[]> copy = new HashMap<>(weights);
        float[] changed = weights.get(name).clone();
        changed[index] = value;
        copy.put(name, changed);
        return copy;
    }
}
