package dev.logitscope.testing;

import dev.logitscope.tensors.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A random tuned lens written as the tuned-lens project writes one ({@code TunedLens.save}):
 * {@code config.json} + {@code params.pt} ({@code torch.save} of a state dict of {@code nn.Linear(d, d)}
 * translators, one per hidden state 0 .. L−1), in either of its two layouts:
 * <ul>
 *   <li>{@link Layout#MODULE_LIST} (tuned-lens ≥ 0.1): {@code layer_translators.state_dict()},
 *       keys {@code N.weight}/{@code N.bias}; config {@code d_model}, {@code num_hidden_layers},
 *       {@code bias}, {@code base_model_name_or_path}, {@code unembed_hash}, {@code lens_type}…;</li>
 *   <li>{@link Layout#WHOLE_LENS} (before it): the whole lens's state dict, {@code input_translator.…}
 *       for the embeddings and {@code layer_translators.(N−1).…} for hidden state N ≥ 1, plus the
 *       lens's copies of the final norm ({@code layer_norm.…}) and unembedding
 *       ({@code unembedding.weight}); config {@code d_model}, {@code num_layers},
 *       {@code include_input}, {@code reuse_unembedding}, {@code extra_layers}, {@code vocab_size}.</li>
 * </ul>
 * The values it returns are the stored ones (rounded to the dtype), for float64 references.
 *
 * @param weights per hidden state, the row-major [out, in] weight as stored (null: no translator)
 * @param biases  per hidden state, the bias as stored
 */
public record TunedLensFixture(Path folder, float[][] weights, float[][] biases) {

    public enum Layout { MODULE_LIST, WHOLE_LENS }

    /** A lens for a model of width {@code d} and {@code layers} blocks, translators of scale {@code scale}. */
    public static TunedLensFixture write(Path folder, int d, int layers, int vocab, Layout layout, DType dtype,
            long seed, double scale, boolean includeInput) throws IOException {
        Files.createDirectories(folder);
        Random random = new Random(seed);
        float[][] weights = new float[layers][];
        float[][] biases = new float[layers][];
        TorchCheckpointWriter writer = new TorchCheckpointWriter();
        for (int hidden = 0; hidden < layers; hidden++) {
            if (layout == Layout.WHOLE_LENS && hidden == 0 && !includeInput) {
                continue;
            }
            weights[hidden] = values(random, d * d, scale / Math.sqrt(d), dtype);
            biases[hidden] = values(random, d, scale, dtype);
            String prefix = switch (layout) {
                case MODULE_LIST -> hidden + ".";
                case WHOLE_LENS -> hidden == 0 ? "input_translator." : "layer_translators." + (hidden - 1) + ".";
            };
            writer.add(prefix + "weight", dtype, new long[] {d, d}, weights[hidden]);
            writer.add(prefix + "bias", dtype, new long[] {d}, biases[hidden]);
        }
        String config;
        if (layout == Layout.WHOLE_LENS) {
            // The old lens saved its own copies of the decoder; a reader must ignore them.
            writer.add("layer_norm.weight", dtype, new long[] {d}, values(random, d, 1, dtype));
            writer.add("layer_norm.bias", dtype, new long[] {d}, values(random, d, 1, dtype));
            writer.add("unembedding.weight", dtype, new long[] {vocab, d}, values(random, vocab * d, 1, dtype));
            config = "{\"bias\": true, \"extra_layers\": 0, \"include_input\": " + includeInput
                    + ", \"reuse_unembedding\": true, \"model_config\": {\"model_type\": \"gpt2\"}, \"d_model\": " + d
                    + ", \"num_layers\": " + layers + ", \"vocab_size\": " + vocab + "}";
        } else {
            config = "{\"base_model_name_or_path\": \"tiny-gpt2\", \"d_model\": " + d + ", \"num_hidden_layers\": "
                    + layers + ", \"bias\": true, \"base_model_revision\": null, \"unembed_hash\": null,"
                    + " \"lens_type\": \"linear_tuned_lens\"}";
        }
        writer.write(folder.resolve("params.pt"));
        Files.writeString(folder.resolve("config.json"), config, StandardCharsets.UTF_8);
        return new TunedLensFixture(folder, weights, biases);
    }

    /**
     * Records {@code hash} as the lens's {@code unembed_hash} (what tuned-lens writes for the model it
     * trained on), as the last key of config.json.
     */
    public TunedLensFixture withUnembedHash(String hash) throws IOException {
        Path config = folder.resolve("config.json");
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(Files.readString(config)).getAsJsonObject();
        o.addProperty("unembed_hash", hash);
        Files.writeString(config, o.toString(), StandardCharsets.UTF_8);
        return this;
    }

    /** The float64 tuned-lens transform of hidden state {@code hidden}: h + W·h + b (W as [out, in]). */
    public double[] transform(int hidden, double[] h) {
        float[] w = weights[hidden];
        float[] b = biases[hidden];
        int d = h.length;
        double[] out = new double[d];
        for (int o = 0; o < d; o++) {
            double sum = b[o];
            for (int i = 0; i < d; i++) {
                sum += (double) w[o * d + i] * h[i];
            }
            out[o] = h[o] + sum;
        }
        return out;
    }

    private static float[] values(Random random, int count, double scale, DType dtype) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) {
            v[i] = TinyCheckpoint.roundTo(dtype, (float) (random.nextGaussian() * scale));
        }
        return v;
    }
}
