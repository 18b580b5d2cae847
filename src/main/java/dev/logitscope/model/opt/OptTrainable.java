package dev.logitscope.model.opt;

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
 * OPT with a sequence-classification head ({@code OPTForSequenceClassification}: {@code score}
 * [num_labels, word_embed_proj_dim], no bias, on the last token's decoder output — after
 * final_layer_norm if the model has one and project_out if present) or, without labels, as a causal
 * LM ({@code OPTForCausalLM}: {@code lm_head} [V, word_embed_proj_dim] on the same decoder output,
 * tied to {@code embed_tokens} unless the config unties it), its weights copied into arrays libtorch
 * owns so they can be trained in place. The forward pass is {@link OptModel}'s over these arrays.
 * "Blocks" are decoder layers; the head side is final_layer_norm, project_out and the head. Saved as
 * transformers saves it: the body under {@code model.decoder.}, {@code score.weight} or an untied
 * {@code lm_head.weight} at the top level (a tied head is not written: {@code save_pretrained} drops it).
 */
public final class OptTrainable implements TrainableModel {
    private static final String PREFIX = "model.decoder.";
    private static final String SCORE = OptCheckpointNames.SCORE;
    private static final String LM_HEAD = OptCheckpointNames.LM_HEAD;
    /** OPTConfig's default {@code init_std}. */
    private static final double INIT_STD = 0.02;
    /** OPTConfig's default {@code pad_token_id} ({@code <pad>}). */
    private static final int PAD = 1;

    private final JsonObject baseConfig;
    private final ClassLabels labels;
    private final Map<String, NDArray> leaves; // canonical name → leaf, in state-dict order
    private final List<TrainableParameter> parameters;
    private final OptModel inference;

    private OptTrainable(OptConfig config, JsonObject baseConfig, ClassLabels labels, NDManager manager,
            Map<String, NDArray> leaves, int trainableBlocks, CheckpointWatch watch) throws ModelException {
        this.baseConfig = baseConfig;
        this.labels = labels;
        this.leaves = leaves;
        int firstTrainable = trainableBlocks < 0 ? 0 : Math.max(0, config.numHiddenLayers() - trainableBlocks);
        // A classifier keeps an untied lm_head (frozen) only so the saved folder still has a logit lens; its loss
        // never reaches it. An LM's untied lm_head is its head, trained with the head side.
        boolean lm = labels == null;
        parameters = TrainableLeaves.parameters(leaves,
                name -> (lm || !name.equals(LM_HEAD)) && (trainableBlocks < 0 || isHeadSide(name, firstTrainable)),
                OptTrainable::storedName);
        OptWeights weights = new OptWeights(manager, WeightSource.of(leaves), config, labels, new ArrayList<>(),
                WeightStorage.IN_MEMORY);
        weights.bytes = TrainableLeaves.bytes(leaves);
        inference = new OptModel(config, weights, manager, watch);
    }

    /**
     * Decoder layers from {@code firstTrainable} on, then what reads the last one: final_layer_norm,
     * project_out, the head (score, or an untied lm_head). A tied head is embed_tokens, the input
     * embedding: trained only with everything.
     */
    private static boolean isHeadSide(String name, int firstTrainable) {
        if (name.startsWith("layers.")) {
            return Integer.parseInt(name.substring(7, name.indexOf('.', 7))) >= firstTrainable;
        }
        return name.startsWith("final_layer_norm.") || name.equals("project_out.weight") || name.equals(SCORE)
                || name.equals(LM_HEAD);
    }

    /**
     * Copies the OPT in {@code folder} (read into memory, never mapped) for fine-tuning, with its
     * {@code score} head when the checkpoint has one, else a new one drawn from N(0, init_std²) with
     * {@code seed}, as {@code OPTPreTrainedModel._init_weights} draws it; with {@code labels} null, as a
     * causal LM (OPTForCausalLM; a {@code score} in the checkpoint is not read).
     *
     * @param trainableBlocks the last this-many decoder layers (and the head side) are trained; −1 trains everything
     */
    public static OptTrainable load(ModelFolder folder, ClassLabels labels, int trainableBlocks, long seed,
            NDManager parent) throws ModelException {
        ModelFolder.WeightFiles files = folder.weightFiles();
        CheckpointWatch watch = CheckpointWatch.start(files.files());
        JsonObject json = folder.configJson();
        OptConfig config = OptConfig.parse(json, folder.config().toString());
        TrainableLeaves.checkBlocks(trainableBlocks, config.numHiddenLayers(), "decoder layers");
        NDManager manager = parent.newSubManager();
        try (CheckpointFiles checkpoint = CheckpointFiles.open(files)) {
            Map<String, String> names;
            try {
                names = new HashMap<>(OptCheckpointNames.index(checkpoint.names()));
            } catch (IllegalArgumentException e) {
                throw new ModelException(checkpoint.description() + " " + e.getMessage() + ".");
            }
            if (config.tieWordEmbeddings()) {
                names.remove(LM_HEAD); // tied: transformers makes lm_head embed_tokens, whatever was saved
            }
            WeightLoader loader = new WeightLoader(checkpoint, names, manager, WeightStorage.IN_MEMORY, "OPT");
            double std = ClassifierConfig.number(json, "init_std", INIT_STD);
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
            return new OptTrainable(config, json, labels, manager, leaves, trainableBlocks, watch);
        } catch (ModelException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Canonical names → shapes ({@code nn.Linear} [out, in]) in OPTForSequenceClassification's state-dict order. */
    private static Map<String, long[]> shapes(OptConfig config, ClassLabels labels) {
        long c = config.hiddenSize();
        long proj = config.wordEmbedProjDim();
        long ffn = config.ffnDim();
        boolean bias = config.enableBias();
        boolean affine = config.layerNormElementwiseAffine();
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("embed_tokens.weight", new long[] {config.vocabSize(), proj});
        s.put("embed_positions.weight", new long[] {config.maxPositionEmbeddings() + OptConfig.POSITION_OFFSET, c});
        if (config.hasProjections()) {
            s.put("project_out.weight", new long[] {proj, c});
            s.put("project_in.weight", new long[] {c, proj});
        }
        if (config.hasFinalLayerNorm() && affine) {
            s.put("final_layer_norm.weight", new long[] {c});
            s.put("final_layer_norm.bias", new long[] {c});
        }
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String p = "layers." + i + ".";
            for (String m : List.of("k_proj", "v_proj", "q_proj", "out_proj")) {
                s.put(p + "self_attn." + m + ".weight", new long[] {c, c});
                if (bias) {
                    s.put(p + "self_attn." + m + ".bias", new long[] {c});
                }
            }
            if (affine) {
                s.put(p + "self_attn_layer_norm.weight", new long[] {c});
                s.put(p + "self_attn_layer_norm.bias", new long[] {c});
            }
            s.put(p + "fc1.weight", new long[] {ffn, c});
            if (bias) {
                s.put(p + "fc1.bias", new long[] {ffn});
            }
            s.put(p + "fc2.weight", new long[] {c, ffn});
            if (bias) {
                s.put(p + "fc2.bias", new long[] {c});
            }
            if (affine) {
                s.put(p + "final_layer_norm.weight", new long[] {c});
                s.put(p + "final_layer_norm.bias", new long[] {c});
            }
        }
        if (!config.tieWordEmbeddings()) {
            s.put(LM_HEAD, new long[] {config.vocabSize(), proj});
        }
        if (labels != null) {
            s.put(SCORE, new long[] {labels.size(), proj});
        }
        return s;
    }

    /** transformers' name: the decoder under {@code model.decoder.}, the heads at the top level. */
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

    /** OPTConfig's keys and defaults (dropout 0.1, attention_dropout 0.0; OPT has no embedding dropout). */
    @Override
    public DropoutRates configDropout() {
        return DropoutRates.fromConfig(baseConfig, null, 0.0, "attention_dropout", 0.0, "dropout", 0.1);
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
     * The base config with what {@code OPTForSequenceClassification.save_pretrained} changes (pad: OPT's
     * {@code <pad>}, 1), or {@code OPTForCausalLM}'s for an LM.
     */
    @Override
    public JsonObject config() {
        return labels == null ? ClassifierConfig.causalLm(baseConfig, "OPTForCausalLM")
                : ClassifierConfig.of(baseConfig, "OPTForSequenceClassification", labels, PAD);
    }

    @Override
    public void writeWeights(Path file) throws IOException {
        TrainableLeaves.write(file, leaves, OptTrainable::storedName);
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
