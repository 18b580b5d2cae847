package dev.logitscope.testing.toy;

import dev.logitscope.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Random;

/**
 * Writes a toy-family model folder with random weights, and recomputes its lens in float64 from
 * the definition (independently of {@link ToyModel}'s NDArray code).
 */
public final class ToyCheckpoint {
    public final int layers;
    public final int width;
    public final int context;
    public final int vocab;
    final float[] embed;
    final float[] positions;
    final float[][] blocks;
    final float[] norm;
    public final Path folder;

    private ToyCheckpoint(Path folder, int layers, int width, int context, int vocab, long seed) {
        this.folder = folder;
        this.layers = layers;
        this.width = width;
        this.context = context;
        this.vocab = vocab;
        Random random = new Random(seed);
        embed = gaussian(random, vocab * width, 1.0);
        positions = gaussian(random, context * width, 0.3);
        blocks = new float[layers][];
        for (int i = 0; i < layers; i++) {
            blocks[i] = gaussian(random, width * width, 1.5 / Math.sqrt(width));
        }
        norm = gaussian(random, width, 0.2);
        for (int i = 0; i < width; i++) {
            norm[i] += 1f;
        }
    }

    /** Writes config.json, model.safetensors and the given tokenizer.json into {@code folder}. */
    public static ToyCheckpoint write(Path folder, Path tokenizerJson, int layers, int width, int context, int vocab,
            long seed) throws IOException {
        ToyCheckpoint t = new ToyCheckpoint(folder, layers, width, context, vocab, seed);
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("config.json"), "{\"model_type\": \"" + ToyFamily.MODEL_TYPE + "\","
                + " \"architectures\": [\"ToyForCausalLM\"], \"toy_layers\": " + layers + ", \"toy_width\": " + width
                + ", \"toy_context\": " + context + ", \"vocab_size\": " + vocab + "}", StandardCharsets.UTF_8);
        SafetensorsWriter writer = new SafetensorsWriter();
        writer.add("embed.weight", new long[] {vocab, width}, t.embed);
        writer.add("pos.weight", new long[] {context, width}, t.positions);
        for (int i = 0; i < layers; i++) {
            writer.add("blocks." + i + ".weight", new long[] {width, width}, t.blocks[i]);
        }
        writer.add("norm.weight", new long[] {width}, t.norm);
        writer.write(folder.resolve("model.safetensors"));
        Files.copy(tokenizerJson, folder.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        return t;
    }

    /** Lens probabilities [layer 0..L][V] at the last position of {@code ids}, in float64. */
    public double[][] lensAtLast(int[] ids) {
        int p = ids.length - 1;
        double[] x = new double[width];
        for (int c = 0; c < width; c++) {
            x[c] = (double) embed[ids[p] * width + c] + positions[p * width + c];
        }
        double[][] out = new double[layers + 1][];
        out[0] = probabilities(x);
        for (int l = 0; l < layers; l++) {
            double[] next = x.clone();
            for (int o = 0; o < width; o++) {
                double sum = 0;
                for (int c = 0; c < width; c++) {
                    sum += blocks[l][o * width + c] * x[c];
                }
                next[o] += Math.tanh(sum);
            }
            x = next;
            out[l + 1] = probabilities(x);
        }
        return out;
    }

    private double[] probabilities(double[] x) {
        double meanSquare = 0;
        for (double v : x) {
            meanSquare += v * v / width;
        }
        double rms = Math.sqrt(meanSquare + ToyModel.RMS_EPSILON);
        double[] logits = new double[vocab];
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
            double sum = 0;
            for (int c = 0; c < width; c++) {
                sum += x[c] / rms * norm[c] * embed[v * width + c];
            }
            logits[v] = sum;
            max = Math.max(max, sum);
        }
        double total = 0;
        for (int v = 0; v < vocab; v++) {
            logits[v] = Math.exp(logits[v] - max);
            total += logits[v];
        }
        for (int v = 0; v < vocab; v++) {
            logits[v] /= total;
        }
        return logits;
    }

    private static float[] gaussian(Random random, int count, double std) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return values;
    }
}
