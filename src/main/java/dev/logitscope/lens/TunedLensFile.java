package dev.logitscope.lens;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.logitscope.model.ModelException;
import dev.logitscope.model.ModelShape;
import dev.logitscope.tensors.TensorInfo;
import dev.logitscope.torchfile.TorchCheckpointFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * A tuned lens as the tuned-lens project (AlignmentResearch/tuned-lens) publishes it: a folder with
 * {@code config.json} and {@code params.pt}, a {@code torch.save} of one {@code nn.Linear(d, d)} per
 * hidden state 0 (embeddings) .. L−1, read without running the pickle. Two layouts exist:
 * <ul>
 *   <li>since tuned-lens 0.1 (config {@code num_hidden_layers}): the translators' ModuleList state
 *       dict, keys {@code N.weight}/{@code N.bias} for hidden state N (a whole-module state dict,
 *       {@code layer_translators.N.…}, is read too);</li>
 *   <li>before it (config {@code num_layers}): the whole lens's state dict, the embeddings'
 *       translator as {@code input_translator.…} (when {@code include_input}) and hidden state
 *       N ≥ 1 as {@code layer_translators.(N−1).…}; the lens's own copies of the final norm and
 *       unembedding are ignored (the model's are used, as {@code reuse_unembedding} means).</li>
 * </ul>
 * Values only: plain float arrays, checked against the model they are for.
 *
 * @param weights per hidden state 0..L−1, the row-major [out, in] = [d, d] weight, or null where
 *                the lens has no translator (an old lens without {@code include_input})
 * @param biases  per hidden state, the [d] bias, or null (no translator, or {@code bias: false})
 */
public record TunedLensFile(Path folder, int dModel, int layers, String baseModel, float[][] weights, float[][] biases) {

    public static final String CONFIG = "config.json";
    public static final String PARAMS = "params.pt";

    /** Reads the lens in {@code folder} and checks it fits a model of {@code shape} (named {@code model} in messages). */
    public static TunedLensFile read(Path folder, ModelShape shape, String model) throws ModelException {
        if (!Files.isDirectory(folder)) {
            throw new ModelException("No tuned lens folder at " + folder + ": give a folder with " + CONFIG + " and "
                    + PARAMS + " (as the tuned-lens project publishes them), or --lens logit.");
        }
        Path configFile = folder.resolve(CONFIG);
        Path paramsFile = folder.resolve(PARAMS);
        for (Path needed : new Path[] {configFile, paramsFile}) {
            if (!Files.isRegularFile(needed)) {
                throw new ModelException("The tuned lens folder " + folder + " has no " + needed.getFileName()
                        + "; a tuned lens is " + CONFIG + " + " + PARAMS + ".");
            }
        }
        JsonObject config = config(configFile);
        boolean oldLayout = !config.has("num_hidden_layers") && config.has("num_layers");
        int dModel = integer(config, "d_model", 1, configFile);
        int layers = integer(config, oldLayout ? "num_layers" : "num_hidden_layers", 1, configFile);
        String lensType = text(config, "lens_type", "linear_tuned_lens");
        if (!lensType.equals("linear_tuned_lens")) {
            throw new ModelException("The lens in " + folder + " is a '" + lensType + "'; only the tuned lens"
                    + " ('linear_tuned_lens') can be read.");
        }
        if (oldLayout && !bool(config, "reuse_unembedding", true)) {
            throw new ModelException("The tuned lens in " + folder + " learned its own unembedding (reuse_unembedding:"
                    + " false); only lenses that read through the model's own unembedding can be used.");
        }
        if (oldLayout && config.has("extra_layers") && integer(config, "extra_layers", 0, configFile) != 0) {
            throw new ModelException("The tuned lens in " + folder + " runs extra transformer layers (extra_layers);"
                    + " only per-layer affine translators can be used.");
        }
        String base = text(config, "base_model_name_or_path", "an unnamed model");
        if (dModel != shape.nEmbd() || layers != shape.nLayer()) {
            throw new ModelException("The tuned lens in " + folder + " was made for " + base + " (d_model " + dModel
                    + ", " + layers + " layers), but " + model + " has d_model " + shape.nEmbd() + " and "
                    + shape.nLayer() + " layers. Use the tuned lens made for this model, or --lens logit.");
        }
        boolean bias = bool(config, "bias", true);
        boolean includeInput = !oldLayout || bool(config, "include_input", true);
        float[][] weights = new float[layers][];
        float[][] biases = new float[layers][];
        try (TorchCheckpointFile params = TorchCheckpointFile.open(paramsFile)) {
            Set<String> names = new HashSet<>(params.names());
            for (int hidden = 0; hidden < layers; hidden++) {
                String prefix;
                if (oldLayout) {
                    if (hidden == 0 && !includeInput) {
                        continue;
                    }
                    prefix = hidden == 0 ? "input_translator." : "layer_translators." + (hidden - 1) + ".";
                } else {
                    prefix = names.contains("layer_translators." + hidden + ".weight") ? "layer_translators." + hidden + "."
                            : hidden + ".";
                }
                weights[hidden] = tensor(params, names, prefix + "weight", new long[] {dModel, dModel});
                if (bias) {
                    biases[hidden] = tensor(params, names, prefix + "bias", new long[] {dModel});
                }
            }
        } catch (IOException e) {
            throw new ModelException("Cannot read the tuned lens " + paramsFile + ": " + e.getMessage(), e);
        }
        return new TunedLensFile(folder, dModel, layers, base, weights, biases);
    }

    /**
     * The {@code unembed_hash} the lens's config records (tuned-lens ≥ 0.1 writes it: the hash of the
     * unembedding it was trained through, see {@link UnembedHash}), or null when it has none.
     */
    public static String unembedHash(Path folder) throws ModelException {
        JsonElement value = config(folder.resolve(CONFIG)).get("unembed_hash");
        return value != null && value.isJsonPrimitive() && !value.getAsString().isBlank() ? value.getAsString().strip()
                : null;
    }

    private static float[] tensor(TorchCheckpointFile params, Set<String> names, String name, long[] shape)
            throws IOException, ModelException {
        if (!names.contains(name)) {
            throw new ModelException("The tuned lens " + params.path() + " has no tensor '" + name + "' (expected the"
                    + " tuned-lens layout: N.weight/N.bias, or layer_translators.N.weight/bias).");
        }
        TensorInfo info = params.require(name);
        if (!Arrays.equals(info.shape(), shape)) {
            throw new ModelException("The tuned lens " + params.path() + " stores '" + name + "' as "
                    + info.shapeText() + ", not " + Arrays.toString(shape) + " as its config says.");
        }
        float[] values = params.readFloats(name);
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new ModelException("The tuned lens " + params.path() + " has non-finite values in '" + name + "'.");
            }
        }
        return values;
    }

    private static JsonObject config(Path file) throws ModelException {
        try {
            JsonElement root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8));
            if (!root.isJsonObject()) {
                throw new ModelException(file + " is not a JSON object; it is not a tuned lens config.");
            }
            return root.getAsJsonObject();
        } catch (IOException | JsonParseException e) {
            throw new ModelException("Cannot read the tuned lens config " + file + ": " + e.getMessage(), e);
        }
    }

    private static int integer(JsonObject config, String key, int least, Path file) throws ModelException {
        JsonElement value = config.get(key);
        if (value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            double d = value.getAsDouble();
            if (d == Math.rint(d) && d >= least && d <= Integer.MAX_VALUE) {
                return (int) d;
            }
        }
        throw new ModelException("The tuned lens config " + file + " has no integer '" + key + "' of at least " + least
                + ".");
    }

    private static String text(JsonObject config, String key, String fallback) {
        JsonElement value = config.get(key);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : fallback;
    }

    private static boolean bool(JsonObject config, String key, boolean fallback) {
        JsonElement value = config.get(key);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean()
                ? value.getAsBoolean() : fallback;
    }
}
