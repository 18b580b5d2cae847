package dev.logitscope.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.logitscope.model.CheckpointFiles;
import dev.logitscope.model.TrainableLeaves;
import dev.logitscope.model.CheckpointWatch;
import dev.logitscope.model.ClassLabels;
import dev.logitscope.model.DecoderModel;
import dev.logitscope.model.Dropout;
import dev.logitscope.model.DropoutRates;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.model.TrainableModel;
import dev.logitscope.model.TrainableParameter;
import dev.logitscope.model.WeightLoader;
import dev.logitscope.model.WeightStorage;
import dev.logitscope.safetensors.SafetensorsWriter;
import dev.logitscope.tensors.DType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * GPT-2 with a sequence-classification head ({@code GPT2ForSequenceClassification}: {@code score}
 * [num_labels, C], no bias, on the last token's {@code ln_f} output) or, without labels, as a
 * causal LM ({@code GPT2LMHeadModel}: the head is the token embedding, tied), its weights copied into
 * arrays libtorch owns so they can be trained in place. The forward pass is {@link Gpt2Model}'s:
 * the same blocks over these arrays. Conv1D weights are kept as [out, in] leaves with the memory
 * layout of the stored [in, out] tensor (a clone of the transposed view), so training and a reload
 * of the saved file run the very same products.
 */
public final class Gpt2Trainable implements TrainableModel {
    private static final String PREFIX = "transformer.";
    /** transformers' {@code initializer_range}: the std of every new weight. */
    private static final double INITIALIZER_RANGE = 0.02;

    private final Gpt2Config config;
    private final JsonObject baseConfig;
    private final ClassLabels labels;
    private final NDManager manager;
    private final Map<String, NDArray> leaves; // canonical name → leaf, in state-dict order
    private final List<TrainableParameter> parameters;
    private final Gpt2Model inference;

    private Gpt2Trainable(Gpt2Config config, JsonObject baseConfig, ClassLabels labels, NDManager manager,
            Map<String, NDArray> leaves, int trainableBlocks, CheckpointWatch watch) throws ModelException {
        this.config = config;
        this.baseConfig = baseConfig;
        this.labels = labels;
        this.manager = manager;
        this.leaves = leaves;
        int firstTrainable = trainableBlocks < 0 ? 0 : Math.max(0, config.nLayer() - trainableBlocks);
        List<TrainableParameter> list = new ArrayList<>();
        long bytes = 0;
        for (Map.Entry<String, NDArray> e : leaves.entrySet()) {
            String name = e.getKey();
            boolean trainable = trainableBlocks < 0 || isHeadSide(name, firstTrainable);
            if (trainable) {
                e.getValue().setRequiresGradient(true);
            }
            boolean decays = e.getValue().getShape().dimension() >= 2;
            list.add(new TrainableParameter(storedName(name), e.getValue(), trainable, decays));
            bytes += e.getValue().getShape().size() * Float.BYTES;
        }
        parameters = List.copyOf(list);
        Gpt2Weights weights = new Gpt2Weights(manager, source(leaves), config, labels, new ArrayList<>(), WeightStorage.IN_MEMORY);
        weights.bytes = bytes;
        inference = new Gpt2Model(config, weights, manager, watch);
    }

    /** Blocks from {@code firstTrainable} on, the final norm and the head: what "train the last N blocks" trains. */
    private static boolean isHeadSide(String name, int firstTrainable) {
        if (name.startsWith("h.")) {
            int block = Integer.parseInt(name.substring(2, name.indexOf('.', 2)));
            return block >= firstTrainable;
        }
        return name.startsWith("ln_f.") || name.equals("score.weight");
    }

    /**
     * Copies the model in {@code folder} (read into memory, never mapped) for fine-tuning, with its
     * {@code score} head when the checkpoint has one for {@code labels}, else a new one drawn from
     * N(0, 0.02²) with {@code seed} (transformers' init of a new head); with {@code labels} null, as
     * a causal LM whose head is {@code wte} (tied).
     *
     * @param trainableBlocks the last this-many blocks (and ln_f and score) are trained; −1 trains
     *                        everything (an LM's tied head, {@code wte}, is trained only then)
     */
    public static Gpt2Trainable load(ModelFolder folder, ClassLabels labels, int trainableBlocks, long seed,
            NDManager parent) throws ModelException {
        ModelFolder.WeightFiles files = folder.weightFiles();
        CheckpointWatch watch = CheckpointWatch.start(files.files());
        Gpt2Config config = Gpt2Config.read(folder.config());
        checkBlocks(config, trainableBlocks);
        JsonObject json = folder.configJson();
        NDManager manager = parent.newSubManager();
        try (CheckpointFiles checkpoint = CheckpointFiles.open(files)) {
            Map<String, String> names;
            try {
                names = CheckpointNames.index(checkpoint.names());
            } catch (IllegalArgumentException e) {
                throw new ModelException(checkpoint.description() + " " + e.getMessage() + ".");
            }
            WeightLoader loader = new WeightLoader(checkpoint, names, manager, WeightStorage.IN_MEMORY, "GPT-2");
            Map<String, NDArray> leaves = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : shapes(config, labels).entrySet()) {
                String name = e.getKey();
                long[] shape = e.getValue();
                NDArray leaf;
                if (name.equals("score.weight") && !loader.has(name)) {
                    leaf = normal(manager, shape, INITIALIZER_RANGE, new Random(seed));
                } else if (isConv(name)) {
                    NDArray stored = loader.load(name, shape[1], shape[0]); // [in, out]
                    leaf = stored.transpose().duplicate(); // [out, in], the stored memory layout
                    stored.close();
                } else {
                    leaf = loader.load(name, shape);
                }
                leaves.put(name, leaf);
            }
            if (labels == null && loader.has("lm_head.weight")) {
                requireTied(loader, leaves.get("wte.weight"), config);
            }
            if (checkpoint.names().size() > 0 && watch.changed()) {
                throw new ModelException(watch.file() + " changed while it was being loaded. Start again once it has been written.");
            }
            return new Gpt2Trainable(config, json, labels, manager, leaves, trainableBlocks, watch);
        } catch (ModelException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A new GPT-2 of {@code config} with random weights drawn as transformers'
     * {@code GPT2PreTrainedModel._init_weights} draws them: N(0, 0.02²) for embeddings and
     * matrices, N(0, (0.02/√(2·n_layer))²) for the residual projections (c_proj), LayerNorm gains 1,
     * biases 0.
     *
     * @param trainableBlocks as in {@link #load}: −1 trains everything (training from scratch); a count
     *                        freezes the rest (what a benchmark of the seed's recipe at a real shape needs)
     */
    public static Gpt2Trainable randomInit(Gpt2Config config, ClassLabels labels, int trainableBlocks, long seed,
            NDManager parent) throws ModelException {
        checkBlocks(config, trainableBlocks);
        NDManager manager = parent.newSubManager();
        try {
            Random random = new Random(seed);
            Map<String, NDArray> leaves = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : shapes(config, labels).entrySet()) {
                String name = e.getKey();
                long[] shape = e.getValue();
                NDArray leaf;
                if (name.endsWith(".bias")) {
                    leaf = manager.zeros(new Shape(shape), DataType.FLOAT32);
                } else if (name.contains("ln_")) {
                    leaf = manager.ones(new Shape(shape), DataType.FLOAT32);
                } else {
                    double std = name.endsWith("c_proj.weight") ? INITIALIZER_RANGE / Math.sqrt(2.0 * config.nLayer())
                            : INITIALIZER_RANGE;
                    if (isConv(name)) {
                        NDArray stored = normal(manager, new long[] {shape[1], shape[0]}, std, random); // [in, out]
                        leaf = stored.transpose().duplicate();
                        stored.close();
                    } else {
                        leaf = normal(manager, shape, std, random);
                    }
                }
                leaves.put(name, leaf);
            }
            return new Gpt2Trainable(config, randomConfig(config), labels, manager, leaves, trainableBlocks,
                    CheckpointWatch.none());
        } catch (ModelException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * An LM is trained with its head tied to {@code wte}, as GPT2LMHeadModel is: a checkpoint whose
     * own {@code lm_head.weight} differs from {@code wte} would silently lose its head.
     */
    private static void requireTied(WeightLoader loader, NDArray wte, Gpt2Config config) throws ModelException {
        NDArray head = loader.load("lm_head.weight", config.vocabSize(), config.nEmbd());
        boolean tied = head.contentEquals(wte);
        head.close();
        if (!tied) {
            throw new ModelException("This checkpoint has an lm_head.weight of its own (not tied to wte); fine-tuning it as"
                    + " an LM would replace that head with wte. Only GPT-2 models with a tied head can be fine-tuned with --objective lm.");
        }
    }

    private static void checkBlocks(Gpt2Config config, int trainableBlocks) throws ModelException {
        TrainableLeaves.checkBlocks(trainableBlocks, config.nLayer(), "blocks");
    }

    private static NDArray normal(NDManager manager, long[] shape, double std, Random random) {
        float[] values = new float[Math.toIntExact(new Shape(shape).size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return manager.create(values, new Shape(shape));
    }

    private static boolean isConv(String name) {
        return name.endsWith("c_attn.weight") || name.endsWith("c_proj.weight") || name.endsWith("c_fc.weight");
    }

    /** Canonical names → the shapes the leaves have (Conv1D weights [out, in]), in state-dict order. */
    private static Map<String, long[]> shapes(Gpt2Config config, ClassLabels labels) {
        long c = config.nEmbd();
        long inner = config.nInner();
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("wte.weight", new long[] {config.vocabSize(), c});
        s.put("wpe.weight", new long[] {config.nPositions(), c});
        for (int i = 0; i < config.nLayer(); i++) {
            String p = "h." + i + ".";
            s.put(p + "ln_1.weight", new long[] {c});
            s.put(p + "ln_1.bias", new long[] {c});
            s.put(p + "attn.c_attn.weight", new long[] {3 * c, c});
            s.put(p + "attn.c_attn.bias", new long[] {3 * c});
            s.put(p + "attn.c_proj.weight", new long[] {c, c});
            s.put(p + "attn.c_proj.bias", new long[] {c});
            s.put(p + "ln_2.weight", new long[] {c});
            s.put(p + "ln_2.bias", new long[] {c});
            s.put(p + "mlp.c_fc.weight", new long[] {inner, c});
            s.put(p + "mlp.c_fc.bias", new long[] {inner});
            s.put(p + "mlp.c_proj.weight", new long[] {c, inner});
            s.put(p + "mlp.c_proj.bias", new long[] {c});
        }
        s.put("ln_f.weight", new long[] {c});
        s.put("ln_f.bias", new long[] {c});
        if (labels != null) {
            s.put("score.weight", new long[] {labels.size(), c});
        }
        return s;
    }

    /** The weights for {@link Gpt2Weights}: the leaves themselves (Conv1D ones already [out, in]). */
    private static Gpt2Weights.Source source(Map<String, NDArray> leaves) {
        return new Gpt2Weights.Source() {
            @Override
            public boolean has(String name) {
                return leaves.containsKey(name);
            }

            @Override
            public NDArray plain(String name, long... shape) {
                return leaves.get(name);
            }

            @Override
            public NDArray conv(String name, long in, long out) {
                return leaves.get(name);
            }
        };
    }

    /** transformers' name: the body under {@code transformer.}, the head at the top level. */
    private static String storedName(String canonical) {
        return canonical.equals("score.weight") ? canonical : PREFIX + canonical;
    }

    /** config.json of a GPT-2 of {@code config} that no file holds yet, with transformers' GPT-2 defaults. */
    private static JsonObject randomConfig(Gpt2Config config) {
        JsonObject o = new JsonObject();
        o.addProperty("activation_function", "gelu_new");
        o.addProperty("attn_pdrop", 0.1);
        o.addProperty("bos_token_id", 50256);
        o.addProperty("embd_pdrop", 0.1);
        o.addProperty("eos_token_id", 50256);
        o.addProperty("initializer_range", INITIALIZER_RANGE);
        o.addProperty("layer_norm_epsilon", config.layerNormEpsilon());
        o.addProperty("model_type", "gpt2");
        o.addProperty("n_ctx", config.nPositions());
        o.addProperty("n_embd", config.nEmbd());
        o.addProperty("n_head", config.nHead());
        o.add("n_inner", config.nInner() == 4 * config.nEmbd() ? com.google.gson.JsonNull.INSTANCE
                : new com.google.gson.JsonPrimitive(config.nInner()));
        o.addProperty("n_layer", config.nLayer());
        o.addProperty("n_positions", config.nPositions());
        o.addProperty("reorder_and_upcast_attn", false);
        o.addProperty("resid_pdrop", 0.1);
        o.addProperty("scale_attn_by_inverse_layer_idx", false);
        o.addProperty("scale_attn_weights", true);
        o.addProperty("summary_activation", (String) null);
        o.addProperty("summary_first_dropout", 0.1);
        o.addProperty("summary_proj_to_labels", true);
        o.addProperty("summary_type", "cls_index");
        o.addProperty("summary_use_proj", true);
        o.addProperty("use_cache", true);
        o.addProperty("vocab_size", config.vocabSize());
        return o;
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

    /** GPT2Config's keys and defaults (0.1 each). */
    @Override
    public DropoutRates configDropout() {
        return DropoutRates.fromConfig(baseConfig, "embd_pdrop", 0.1, "attn_pdrop", 0.1, "resid_pdrop", 0.1);
    }

    @Override
    public ClassLabels labels() {
        return labels;
    }

    @Override
    public DecoderModel inference() {
        return inference;
    }

    public Gpt2Config gpt2Config() {
        return config;
    }

    /**
     * The base config with what {@code GPT2ForSequenceClassification.save_pretrained} changes:
     * {@code architectures}, {@code id2label}/{@code label2id}, {@code pad_token_id} (GPT-2 has no
     * pad token; transformers needs one to find the last token of a padded batch, and the
     * convention is the end-of-text token) and {@code torch_dtype}.
     */
    @Override
    public JsonObject config() {
        JsonObject o = baseConfig.deepCopy();
        o.remove("_name_or_path");
        JsonArray architectures = new JsonArray();
        architectures.add(labels == null ? "GPT2LMHeadModel" : "GPT2ForSequenceClassification");
        o.add("architectures", architectures);
        if (labels != null) {
            labels.writeTo(o);
            if (!o.has("pad_token_id") || o.get("pad_token_id").isJsonNull()) {
                o.addProperty("pad_token_id", o.has("eos_token_id") && !o.get("eos_token_id").isJsonNull()
                        ? o.get("eos_token_id").getAsInt() : config.vocabSize() - 1);
            }
        }
        o.addProperty("torch_dtype", "float32");
        o.remove("num_labels");
        // Sorted keys, as transformers writes them.
        JsonObject sorted = new JsonObject();
        o.keySet().stream().sorted().forEach(k -> sorted.add(k, o.get(k)));
        return sorted;
    }

    /**
     * The weights with transformers' names and shapes (Conv1D [in, out]), F32, metadata format=pt,
     * each copied out of libtorch only when the file writes it (see {@link dev.logitscope.model.TrainableLeaves#write}).
     */
    @Override
    public void writeWeights(Path file) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
        for (Map.Entry<String, NDArray> e : leaves.entrySet()) {
            NDArray leaf = e.getValue();
            boolean conv = isConv(e.getKey());
            long[] shape = leaf.getShape().getShape();
            long[] storedShape = conv ? new long[] {shape[1], shape[0]} : shape; // [in, out] for Conv1D
            writer.add(storedName(e.getKey()), DType.F32, storedShape, () -> {
                if (!conv) {
                    return leaf.toFloatArray();
                }
                try (NDArray stored = leaf.transpose()) {
                    return stored.toFloatArray();
                }
            });
        }
        writer.write(file);
    }

    /** Float copies of every weight by canonical name, as stored (Conv1D [in, out]); for tests and checks. */
    public Map<String, float[]> storedValues() {
        Map<String, float[]> out = new HashMap<>();
        for (Map.Entry<String, NDArray> e : leaves.entrySet()) {
            NDArray stored = isConv(e.getKey()) ? e.getValue().transpose() : e.getValue();
            out.put(e.getKey(), stored.toFloatArray());
            if (stored != e.getValue()) {
                stored.close();
            }
        }
        return out;
    }

    @Override
    public void close() {
        inference.close();
    }
}
