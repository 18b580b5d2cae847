package dev.logitscope.model.gptneo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import dev.logitscope.model.CheckpointFiles;
import dev.logitscope.model.CheckpointWatch;
import dev.logitscope.model.ClassLabels;
import dev.logitscope.model.ClassifierConfig;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.Dropout;
import dev.logitscope.model.DropoutRates;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.TrainableLeaves;
import dev.logitscope.model.TrainableModel;
import dev.logitscope.model.TrainableParameter;
import dev.logitscope.model.WeightLoader;
import dev.logitscope.model.WeightSource;
import dev.logitscope.model.WeightStorage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * GPT-Neo with a sequence-classification head ({@code GPTNeoForSequenceClassification}:
 * {@code score} [num_labels, C], no bias, on the last token's {@code ln_f} output) or, without
 * labels, as a causal LM ({@code GPTNeoForCausalLM}: {@code lm_head} tied to {@code wte} unless the
 * config unties it), its weights copied into arrays libtorch owns so they can be trained in place.
 * The forward pass is {@link GptNeoModel}'s over these arrays, local windows included. Saved as
 * transformers saves it: the body under {@code transformer.}, {@code score.weight} or an untied
 * {@code lm_head.weight} at the top level (a tied head is not written: {@code save_pretrained}
 * drops it).
 */
public final class GptNeoTrainable implements TrainableModel {
    private static final String PREFIX = "transformer.";
    private static final String SCORE = "score.weight";
    private static final String LM_HEAD = "lm_head.weight";
    /** GPTNeoConfig's default {@code initializer_range}. */
    private static final double INITIALIZER_RANGE = 0.02;
    /** GPTNeoConfig's default {@code eos_token_id}, the pad token when the config names neither. */
    private static final int END_OF_TEXT = 50256;

    private final JsonObject baseConfig;
    private final ClassLabels labels;
    private final Map<String, NDArray> leaves; // canonical name → leaf, in state-dict order
    private final List<TrainableParameter> parameters;
    private final GptNeoModel inference;

    private GptNeoTrainable(GptNeoConfig config, JsonObject baseConfig, ClassLabels labels, NDManager manager,
            Map<String, NDArray> leaves, int trainableBlocks, CheckpointWatch watch) throws ModelException {
        this.baseConfig = baseConfig;
        this.labels = labels;
        this.leaves = leaves;
        int firstTrainable = trainableBlocks < 0 ? 0 : Math.max(0, config.nLayer() - trainableBlocks);
        // A classifier keeps an untied lm_head (frozen) only so the saved folder still has a logit lens; its loss
        // never reaches it. An LM's untied lm_head is its head, trained with the head side.
        boolean lm = labels == null;
        parameters = TrainableLeaves.parameters(leaves,
                name -> (lm || !name.equals(LM_HEAD)) && (trainableBlocks < 0 || isHeadSide(name, firstTrainable)),
                GptNeoTrainable::storedName);
        GptNeoWeights weights = new GptNeoWeights(manager, WeightSource.of(leaves), config, labels, new ArrayList<>(),
                WeightStorage.IN_MEMORY);
        weights.bytes = TrainableLeaves.bytes(leaves);
        inference = new GptNeoModel(config, weights, manager, watch);
    }

    /**
     * Blocks from {@code firstTrainable} on, ln_f and the head (score, or an untied lm_head): what
     * "train the last N blocks" trains. A tied head is wte, the input embedding: trained only with everything.
     */
    private static boolean isHeadSide(String name, int firstTrainable) {
        if (name.startsWith("h.")) {
            return Integer.parseInt(name.substring(2, name.indexOf('.', 2))) >= firstTrainable;
        }
        return name.startsWith("ln_f.") || name.equals(SCORE) || name.equals(LM_HEAD);
    }

    /**
     * Copies the GPT-Neo in {@code folder} (read into memory, never mapped) for fine-tuning, with its
     * {@code score} head when the checkpoint has one, else a new one drawn from
     * N(0, initializer_range²) with {@code seed}, as {@code GPTNeoPreTrainedModel._init_weights} draws it;
     * with {@code labels} null, as a causal LM (GPTNeoForCausalLM; a {@code score} in the checkpoint is not read).
     *
     * @param trainableBlocks the last this-many blocks (and ln_f and score) are trained; −1 trains everything
     */
    public static GptNeoTrainable load(ModelFolder folder, ClassLabels labels, int trainableBlocks, long seed,
            NDManager parent) throws ModelException {
        ModelFolder.WeightFiles files = folder.weightFiles();
        CheckpointWatch watch = CheckpointWatch.start(files.files());
        JsonObject json = folder.configJson();
        GptNeoConfig config = GptNeoConfig.parse(json, folder.config().toString());
        TrainableLeaves.checkBlocks(trainableBlocks, config.nLayer(), "blocks");
        NDManager manager = parent.newSubManager();
        try (CheckpointFiles checkpoint = CheckpointFiles.open(files)) {
            Map<String, String> names;
            try {
                names = new HashMap<>(CheckpointNames.index(checkpoint.names()));
            } catch (IllegalArgumentException e) {
                throw new ModelException(checkpoint.description() + " " + e.getMessage() + ".");
            }
            if (config.tiedEmbeddings() && !names.containsKey("wte.weight") && names.containsKey(LM_HEAD)) {
                names.put("wte.weight", names.remove(LM_HEAD)); // the tied matrix saved under its other name
            }
            WeightLoader loader = new WeightLoader(checkpoint, names, manager, WeightStorage.IN_MEMORY, "GPT-Neo");
            double std = ClassifierConfig.number(json, "initializer_range", INITIALIZER_RANGE);
            Map<String, NDArray> leaves = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : shapes(config, labels).entrySet()) {
                String name = e.getKey();
                boolean fresh = name.equals(SCORE) && !loader.has(name);
                leaves.put(name, fresh ? TrainableLeaves.normal(manager, e.getValue(), std, new Random(seed))
                        : loader.load(name, e.getValue()));
            }
            if (watch.changed()) {
                throw new ModelException(watch.file() + " changed while it was being loaded. Start again once it has been written.");
            }
            return new GptNeoTrainable(config, json, labels, manager, leaves, trainableBlocks, watch);
        } catch (ModelException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Canonical names → shapes ({@code nn.Linear} [out, in]) in GPTNeoForSequenceClassification's state-dict order. */
    private static Map<String, long[]> shapes(GptNeoConfig config, ClassLabels labels) {
        long c = config.nEmbd();
        long inner = config.nInner();
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("wte.weight", new long[] {config.vocabSize(), c});
        s.put("wpe.weight", new long[] {config.nPositions(), c});
        for (int i = 0; i < config.nLayer(); i++) {
            String p = "h." + i + ".";
            String a = p + "attn.attention.";
            s.put(p + "ln_1.weight", new long[] {c});
            s.put(p + "ln_1.bias", new long[] {c});
            s.put(a + "k_proj.weight", new long[] {c, c});
            s.put(a + "v_proj.weight", new long[] {c, c});
            s.put(a + "q_proj.weight", new long[] {c, c});
            s.put(a + "out_proj.weight", new long[] {c, c});
            s.put(a + "out_proj.bias", new long[] {c});
            s.put(p + "ln_2.weight", new long[] {c});
            s.put(p + "ln_2.bias", new long[] {c});
            s.put(p + "mlp.c_fc.weight", new long[] {inner, c});
            s.put(p + "mlp.c_fc.bias", new long[] {inner});
            s.put(p + "mlp.c_proj.weight", new long[] {c, inner});
            s.put(p + "mlp.c_proj.bias", new long[] {c});
        }
        s.put("ln_f.weight", new long[] {c});
        s.put("ln_f.bias", new long[] {c});
        if (!config.tiedEmbeddings()) {
            s.put(LM_HEAD, new long[] {config.vocabSize(), c});
        }
        if (labels != null) {
            s.put(SCORE, new long[] {labels.size(), c});
        }
        return s;
    }

    /** transformers' name: the body under {@code transformer.}, the heads at the top level. */
    private static String storedName(String canonical) {
        return canonical.equals(SCORE) || canonical.equals(LM_HEAD) ? canonical : PREFIX + canonical;
    }

    @Override
    public List<TrainableParameter> parameters() {
        return parameters;
    }

    @Override
    public NDArray classifierLogits(int[][] sequences, Dropout dropout, NDManager owner) throws ModelException {
        return inference.classifierLogits(sequences, dropout, owner);
    }

    @Override
    public NDArray lmLogits(int[][] sequences, int[] rows, Dropout dropout, NDManager owner) throws ModelException {
        return inference.lmLogits(sequences, rows, dropout, owner);
    }

    /** GPTNeoConfig's keys and defaults (0.0 each); no dropout on score. */
    @Override
    public DropoutRates configDropout() {
        return DropoutRates.fromConfig(baseConfig, "embed_dropout", 0.0, "attention_dropout", 0.0, "resid_dropout", 0.0);
    }

    @Override
    public ClassLabels labels() {
        return labels;
    }

    @Override
    public DecoderModel inference() {
        return inference;
    }

    /**
     * The base config with what {@code GPTNeoForSequenceClassification.save_pretrained} changes (pad: the
     * end-of-text token), or {@code GPTNeoForCausalLM}'s for an LM.
     */
    @Override
    public JsonObject config() {
        if (labels == null) {
            return ClassifierConfig.causalLm(baseConfig, "GPTNeoForCausalLM");
        }
        int eos = (int) ClassifierConfig.number(baseConfig, "eos_token_id", END_OF_TEXT);
        return ClassifierConfig.of(baseConfig, "GPTNeoForSequenceClassification", labels, eos);
    }

    @Override
    public void writeWeights(Path file) throws IOException {
        TrainableLeaves.write(file, leaves, GptNeoTrainable::storedName);
    }

    /** Float copies of every weight by canonical name, as stored; for tests and checks. */
    public Map<String, float[]> storedValues() {
        Map<String, float[]> out = new LinkedHashMap<>();
        leaves.forEach((name, leaf) -> out.put(name, leaf.toFloatArray()));
        return out;
    }

    @Override
    public void close() {
        inference.close();
    }
}
