package dev.logitscope.lens;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.logitscope.json.JsonText;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelShape;
import dev.logitscope.model.TapPoint;
import dev.logitscope.safetensors.SafetensorsException;
import dev.logitscope.safetensors.SafetensorsFile;
import dev.logitscope.safetensors.SafetensorsWriter;
import dev.logitscope.tensors.TensorInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * An affine lens fitted by least squares ({@code fit-lens}), on disk. A folder with
 * <ul>
 *   <li>{@code params.safetensors}: per hidden state N = 0 (embeddings) … L−1 the translator
 *       {@code N.weight} (F32 [d_model, d_model], {@code nn.Linear}'s [out, in], = A − I) and
 *       {@code N.bias} (F32 [d_model]) — the key layout of tuned-lens's newer {@code params.pt} —
 *       read as h + W·h + b before the model's final norm and unembedding; the last layer is not
 *       translated;</li>
 *   <li>{@code config.json}: {@code "kind": "affine_lens_least_squares"} (what a reader dispatches
 *       on), {@code d_model} and {@code num_hidden_layers} (tuned-lens's names), the model it was
 *       fitted for, the data, the ridge and the fit quality per layer.</li>
 * </ul>
 * The name says what it is: not a tuned lens, an affine map fitted to predict the last layer's
 * residual — optionally refined by a short descent on the tuned-lens KL loss from there, which
 * config.json records as {@code "refined_by": "kl_descent"} with a {@code refinement} section
 * (the kind stays the same: the form and the reading do not change).
 */
public final class AffineLensFolder {
    public static final String KIND = "affine_lens_least_squares";
    /** How users know the lens. */
    public static final String NAME = "affine lens (least squares)";
    /** How users know one refined by {@code fit-lens --refine-steps}: still affine, still started from least squares. */
    public static final String NAME_REFINED = "affine lens (least squares + KL descent)";
    /** config.json's {@code refined_by} for a lens whose translators descended the tuned-lens KL loss. */
    public static final String REFINED_BY = "kl_descent";
    public static final String CONFIG = "config.json";
    public static final String PARAMS = "params.safetensors";
    /** Bumped when the layout changes in a way older readers cannot read. */
    public static final int FORMAT_VERSION = 1;

    private AffineLensFolder() {}

    /** Whether {@code folder}'s config.json says it holds an affine lens (else it may be a tuned lens). */
    public static boolean holdsOne(Path folder) {
        Path config = folder.resolve(CONFIG);
        if (!Files.isRegularFile(config)) {
            return false;
        }
        try {
            JsonElement root = JsonParser.parseString(Files.readString(config, StandardCharsets.UTF_8));
            return root.isJsonObject() && root.getAsJsonObject().has("kind")
                    && root.getAsJsonObject().get("kind").isJsonPrimitive()
                    && KIND.equals(root.getAsJsonObject().get("kind").getAsString());
        } catch (IOException | JsonParseException e) {
            return false; // the tuned-lens reader reports what is wrong with it
        }
    }

    /** How users know the lens in {@code folder}: {@link #NAME_REFINED} when config.json says it was refined. */
    public static String name(Path folder) {
        try {
            JsonElement root = JsonParser.parseString(Files.readString(folder.resolve(CONFIG), StandardCharsets.UTF_8));
            JsonElement by = root.isJsonObject() ? root.getAsJsonObject().get("refined_by") : null;
            return by != null && by.isJsonPrimitive() && REFINED_BY.equals(by.getAsString()) ? NAME_REFINED : NAME;
        } catch (IOException | JsonParseException | IllegalStateException e) {
            return NAME;
        }
    }

    /**
     * Writes {@code fit} into {@code folder} (created if missing). {@code records} are further
     * sections of config.json, e.g. "model" (name, revision, file hashes), "data", "program".
     */
    public static void write(Path folder, AffineLensFit fit, Map<String, JsonElement> records) throws IOException {
        Files.createDirectories(folder);
        int d = fit.dModel();
        SafetensorsWriter writer = new SafetensorsWriter();
        for (int i = 0; i < fit.layers(); i++) {
            writer.add(i + ".weight", new long[] {d, d}, fit.weights()[i]);
            writer.add(i + ".bias", new long[] {d}, fit.biases()[i]);
        }
        writer.metadata("format", "pt");
        writer.metadata("kind", KIND);
        writer.write(folder.resolve(PARAMS));
        Path config = folder.resolve(CONFIG);
        Path temporary = folder.resolve(CONFIG + ".tmp");
        Files.writeString(temporary, JsonText.pretty(config(fit, records)) + "\n", StandardCharsets.UTF_8);
        Files.move(temporary, config, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        readableByAll(folder.resolve(PARAMS));
        readableByAll(config);
    }

    /** The writers' temporary files are private (0600); a saved lens is shared like any other file (0644). */
    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its defaults apply
        }
    }

    static JsonObject config(AffineLensFit fit, Map<String, JsonElement> records) {
        JsonObject o = new JsonObject();
        o.addProperty("kind", KIND);
        o.addProperty("name", fit.refined() ? NAME_REFINED : NAME);
        if (fit.refined()) {
            o.addProperty("refined_by", REFINED_BY);
        }
        o.addProperty("format_version", FORMAT_VERSION);
        o.addProperty("d_model", fit.dModel());
        o.addProperty("num_hidden_layers", fit.layers());
        o.addProperty("params", PARAMS);
        o.addProperty("parametrisation", "hidden state N (0 = embeddings … num_hidden_layers−1) is read as h + W·h + b"
                + " (tuned-lens's translator form; N.weight = W = A − I as nn.Linear's [out, in], N.bias = b) before the"
                + " model's final norm and unembedding; the last layer is read as it is");
        records.forEach(o::add);
        JsonObject method = new JsonObject();
        method.addProperty("method", "per hidden state, ridge regression of the last block's output h_L (before the final"
                + " norm, the tap the model's own readout reads) on h_N over the training tokens: float64 sums, solved in"
                + " float64");
        method.addProperty("ridge", fit.ridge());
        method.addProperty("ridge_definition", "A minimises Σ‖h_L − A·h_N − b‖² + λ‖A‖²_F with λ = ridge · tr(C)/d_model,"
                + " C the centred Σ(h_N − mean)(h_N − mean)ᵀ; the intercept b is not penalised");
        method.addProperty("train_documents", fit.trainDocuments());
        method.addProperty("train_tokens", fit.trainTokens());
        method.addProperty("held_out_documents", fit.heldOutDocuments());
        method.addProperty("held_out_tokens", fit.heldOutTokens());
        method.addProperty("fit_seconds", round(fit.fitSeconds(), 3));
        method.addProperty("held_out_seconds", round(fit.heldOutSeconds(), 3));
        method.addProperty("tokens_per_second", round(fit.tokensPerSecond(), 1));
        o.add("fit", method);
        if (fit.refined()) {
            o.add("refinement", refinement(fit.refinement()));
        }
        JsonArray layers = new JsonArray();
        for (LayerFit q : fit.quality()) {
            JsonObject l = new JsonObject();
            l.addProperty("layer", q.layer());
            l.addProperty("name", TapPoint.afterBlock(q.layer()).name());
            l.add("ridge_absolute", number(q.ridgeAbsolute()));
            l.add("r2_held_out", number(q.r2()));
            l.add("r2_held_out_identity", number(q.r2Identity()));
            l.add("kl_to_final_logit_lens", number(q.klLogitLens()));
            l.add("kl_to_final_affine_lens", number(q.klAffineLens()));
            if (fit.refined()) {
                KlDescentRecord.RefinedLayer r = fit.refinement().layers().get(q.layer());
                l.add("r2_held_out_refined", number(r.r2After()));
                l.add("kl_to_final_refined", number(r.klAfter()));
            }
            layers.add(l);
        }
        o.add("layers", layers);
        o.addProperty("layers_note", "held-out tokens only; r2 = 1 − Σ‖h_L − lens input‖²/Σ‖h_L − mean‖², _identity for"
                + " the plain logit lens's input h itself; kl_to_final = mean KL(final ‖ layer) in nats; r2_held_out and"
                + " kl_to_final_affine_lens are the least-squares fit's"
                + (fit.refined() ? ", _refined the saved lens's after the KL descent" : ""));
        return o;
    }

    /** config.json's record of the KL descent: what it minimised, how, on how many tokens, and what it changed. */
    private static JsonObject refinement(KlDescentRecord r) {
        JsonObject o = new JsonObject();
        o.addProperty("method", "from the least-squares translators, AdamW on the tuned-lens training loss (train_loop.py,"
                + " --loss kl): Σ over hidden states N of the mean over tokens of KL(p_final ‖ softmax(unembed(final_norm("
                + "h + W·h + b)))), one update per pass of training documents (cycled in file order, all passes but the last), all translators"
                + " jointly; gradients clipped to a global L2 norm, linear warm-up then linear decay to 0 at the last step;"
                + " then each hidden state keeps its descended translator only if that lowers its mean KL on the last"
                + " training pass (check_tokens: training text the descent did not train on, unless it is the only pass),"
                + " else its least-squares one");
        o.addProperty("steps", r.steps());
        o.addProperty("learning_rate", r.learningRate());
        o.addProperty("warmup_steps", r.warmupSteps());
        o.addProperty("weight_decay", r.weightDecay());
        o.addProperty("weight_decay_form", "decoupled (AdamW), towards W = 0, b = 0: the identity translator");
        o.addProperty("clip_norm", r.clipNorm());
        o.addProperty("betas", "0.9, 0.999");
        o.addProperty("tokens_per_step", r.tokensPerStep());
        o.addProperty("train_tokens", r.tokens());
        o.addProperty("check_tokens", r.checkTokens());
        o.add("train_loss_first_step", number(r.firstLoss()));
        o.add("train_loss_last_step", number(r.lastLoss()));
        o.addProperty("seconds", round(r.seconds(), 3));
        o.addProperty("differs_from_tuned_lens", "start at least squares, not zeros; AdamW without AMSGrad, decay decoupled;"
                + " a step is one pass of documents, not 2^18 tokens; the decay reaches 0 at the last step");
        JsonArray layers = new JsonArray();
        for (KlDescentRecord.RefinedLayer l : r.layers()) {
            JsonObject e = new JsonObject();
            e.addProperty("layer", l.layer());
            e.addProperty("name", TapPoint.afterBlock(l.layer()).name());
            e.addProperty("kept", l.refined() ? "descended" : "least_squares");
            e.add("check_kl_least_squares", number(l.checkBefore()));
            e.add("check_kl_descended", number(l.checkAfter()));
            e.add("kl_to_final_before", number(l.klBefore()));
            e.add("kl_to_final_after", number(l.klAfter()));
            layers.add(e);
        }
        o.add("layers", layers);
        o.addProperty("layers_note", "check_kl_*: mean KL(final ‖ layer) on the check pass (training tokens), which"
                + " decided what was kept; kl_to_final_before/after: held-out, of the least-squares start and of the saved"
                + " translator");
        return o;
    }

    private static JsonElement number(double v) {
        return Double.isFinite(v) ? new JsonPrimitive(v) : JsonNull.INSTANCE;
    }

    private static double round(double v, int digits) {
        double scale = Math.pow(10, digits);
        return Double.isFinite(v) ? Math.round(v * scale) / scale : 0;
    }

    /**
     * Reads the lens in {@code folder} as the translators {@link TunedLens} applies, checked
     * against a model of {@code shape} (named {@code model} in messages).
     */
    public static TunedLensFile read(Path folder, ModelShape shape, String model) throws ModelException {
        Path configFile = folder.resolve(CONFIG);
        Path paramsFile = folder.resolve(PARAMS);
        JsonObject config;
        try {
            config = JsonParser.parseString(Files.readString(configFile, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw new ModelException("Cannot read the lens config " + configFile + ": " + e.getMessage(), e);
        }
        int version = integer(config, "format_version", configFile);
        if (version > FORMAT_VERSION) {
            throw new ModelException("The " + NAME + " in " + folder + " was written by a newer Logitscope (format "
                    + version + "); update Logitscope to read it.");
        }
        int d = integer(config, "d_model", configFile);
        int layers = integer(config, "num_hidden_layers", configFile);
        String base = config.has("model") && config.get("model").isJsonObject()
                && config.getAsJsonObject("model").has("name")
                ? config.getAsJsonObject("model").get("name").getAsString() : "an unnamed model";
        if (d != shape.nEmbd() || layers != shape.nLayer()) {
            throw new ModelException("The " + NAME + " in " + folder + " was fitted for " + base + " (d_model " + d + ", "
                    + layers + " layers), but " + model + " has d_model " + shape.nEmbd() + " and " + shape.nLayer()
                    + " layers. Fit a lens for this model with fit-lens, or use --lens logit.");
        }
        if (!Files.isRegularFile(paramsFile)) {
            throw new ModelException("The " + NAME + " folder " + folder + " has no " + PARAMS + "; it is "
                    + CONFIG + " + " + PARAMS + " as fit-lens writes them.");
        }
        float[][] weights = new float[layers][];
        float[][] biases = new float[layers][];
        try (SafetensorsFile params = SafetensorsFile.open(paramsFile)) {
            for (int i = 0; i < layers; i++) {
                weights[i] = tensor(params, i + ".weight", new long[] {d, d});
                biases[i] = tensor(params, i + ".bias", new long[] {d});
            }
        } catch (SafetensorsException e) {
            throw new ModelException("Cannot read the lens " + paramsFile + ": " + e.getMessage(), e);
        }
        return new TunedLensFile(folder, d, layers, base, weights, biases);
    }

    private static float[] tensor(SafetensorsFile params, String name, long[] shape)
            throws SafetensorsException, ModelException {
        if (params.info(name).isEmpty()) {
            throw new ModelException("The lens " + params.path() + " has no tensor '" + name + "' (expected N.weight and"
                    + " N.bias for every hidden state N).");
        }
        TensorInfo info = params.require(name);
        if (!Arrays.equals(info.shape(), shape)) {
            throw new ModelException("The lens " + params.path() + " stores '" + name + "' as " + info.shapeText()
                    + ", not " + Arrays.toString(shape) + " as its config says.");
        }
        float[] values = params.readFloats(name);
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new ModelException("The lens " + params.path() + " has non-finite values in '" + name + "'.");
            }
        }
        return values;
    }

    private static int integer(JsonObject config, String key, Path file) throws ModelException {
        JsonElement value = config.get(key);
        if (value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            double v = value.getAsDouble();
            if (v == Math.rint(v) && v >= 1 && v <= Integer.MAX_VALUE) {
                return (int) v;
            }
        }
        throw new ModelException("The lens config " + file + " has no integer '" + key + "' of at least 1.");
    }
}
