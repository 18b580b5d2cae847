package dev.logitscope.eval;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.prompt.BuiltPrompt;
import dev.logitscope.prompt.DemoLabels;
import dev.logitscope.prompt.PromptBuilder;
import dev.logitscope.prompt.PromptTemplate;
import dev.logitscope.tokenize.Gpt2Tokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The estimated cost of evaluating one example in one condition, for balancing shards: the
 * model's parameters × the tokens of its zero-shot prompt (the review in the template; the
 * demonstrations run once per condition and shard through the KV cache, so they are left out).
 * Only the proportions matter, and every shard must compute the same numbers: nothing here is
 * measured, everything is read from the files (config.json, the tokenizer, the dataset).
 */
public final class WorkCost {
    private final Map<String, Long> parameters = new HashMap<>();
    private final Map<String, int[]> reviewTokens = new HashMap<>();
    private final Map<String, Integer> templateTokens = new HashMap<>();

    private WorkCost() {}

    /** Reads every model's size and tokenizes every example once per model (with its own tokenizer). */
    public static WorkCost of(List<ModelRef> models, List<PromptTemplate> templates, List<Example> examples) {
        WorkCost cost = new WorkCost();
        Map<Path, int[]> byTokenizer = new HashMap<>();
        for (ModelRef m : models) {
            cost.parameters.put(m.name(), parameters(m.folder()));
            Path file = m.folder().resolve(ModelFolder.TOKENIZER);
            try (Gpt2Tokenizer tokenizer = Files.isRegularFile(file) ? Gpt2Tokenizer.open(file) : null) {
                int[] counts = byTokenizer.get(file.toRealPath());
                if (counts == null) {
                    counts = new int[examples.size()];
                    for (int i = 0; i < counts.length; i++) {
                        counts[i] = count(tokenizer, examples.get(i).text());
                    }
                    byTokenizer.put(file.toRealPath(), counts);
                }
                cost.reviewTokens.put(m.name(), counts);
                for (PromptTemplate t : templates) {
                    BuiltPrompt empty = PromptBuilder.build(t, "", List.of(), DemoLabels.CORRECT, 0);
                    cost.templateTokens.put(m.name() + '\u0000' + t.name(), count(tokenizer, empty.text()));
                }
            } catch (IOException | RuntimeException e) {
                // no readable tokenizer: estimate by bytes, as every shard will
                int[] counts = new int[examples.size()];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = count(null, examples.get(i).text());
                }
                cost.reviewTokens.put(m.name(), counts);
                templates.forEach(t -> cost.templateTokens.put(m.name() + '\u0000' + t.name(), 16));
            }
        }
        return cost;
    }

    /** For tests: a cost of parameters × (review length in characters + 1). */
    static WorkCost byLength(Map<String, Long> parameters, List<Example> examples) {
        WorkCost cost = new WorkCost();
        cost.parameters.putAll(parameters);
        int[] counts = examples.stream().mapToInt(e -> e.text().length() + 1).toArray();
        parameters.keySet().forEach(m -> cost.reviewTokens.put(m, counts));
        return cost;
    }

    /** The cost of example {@code index} (in the evaluated order) under {@code condition}. */
    public double of(Condition condition, int index) {
        long params = parameters.getOrDefault(condition.model(), 1L);
        int tokens = reviewTokens.get(condition.model())[index]
                + templateTokens.getOrDefault(condition.model() + '\u0000' + condition.template(), 0);
        return (double) params * tokens;
    }

    private static int count(Gpt2Tokenizer tokenizer, String text) {
        if (tokenizer == null) {
            return Math.max(1, text.getBytes(StandardCharsets.UTF_8).length / 4);
        }
        return tokenizer.encodeIds(text).length;
    }

    /**
     * Parameters from config.json's shape, 12·L·d² + V·d (a decoder's blocks and embeddings),
     * under the names GPT-2, GPT-Neo and OPT use; else the weight files' size.
     */
    static long parameters(Path folder) {
        try {
            JsonObject c = JsonParser.parseString(Files.readString(folder.resolve(ModelFolder.CONFIG))).getAsJsonObject();
            Long layers = first(c, "n_layer", "num_layers", "num_hidden_layers");
            Long width = first(c, "n_embd", "hidden_size", "d_model");
            Long vocab = first(c, "vocab_size");
            if (layers != null && width != null) {
                return 12 * layers * width * width + (vocab == null ? 0 : vocab * width);
            }
        } catch (IOException | RuntimeException e) {
            // fall through to the files' size
        }
        long bytes = 0;
        try (var files = Files.list(folder)) {
            for (Path p : files.filter(p -> p.getFileName().toString().matches(".*\\.(safetensors|bin)")).toList()) {
                bytes += Files.size(p);
            }
        } catch (IOException e) {
            return 1;
        }
        return Math.max(1, bytes / 4);
    }

    private static Long first(JsonObject o, String... names) {
        for (String n : names) {
            JsonElement e = o.get(n);
            if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                return e.getAsLong();
            }
        }
        return null;
    }
}
