package dev.logitscope.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * config.json of a fine-tuned sequence classifier as transformers' {@code save_pretrained} writes
 * it: the base model's config with {@code architectures} set to the classification class,
 * {@code id2label}/{@code label2id}, a {@code pad_token_id} (the classifier reads each row's last
 * non-pad token, so transformers needs one to batch), {@code torch_dtype} float32 (the weights we
 * write), keys sorted.
 */
public final class ClassifierConfig {
    private ClassifierConfig() {}

    /**
     * @param base       the config.json the model was loaded from
     * @param fallbackPad the pad token when {@code base} names none
     */
    public static JsonObject of(JsonObject base, String architecture, ClassLabels labels, int fallbackPad) {
        JsonObject o = base.deepCopy();
        o.remove("_name_or_path");
        JsonArray architectures = new JsonArray();
        architectures.add(architecture);
        o.add("architectures", architectures);
        labels.writeTo(o);
        if (!o.has("pad_token_id") || o.get("pad_token_id").isJsonNull()) {
            o.addProperty("pad_token_id", fallbackPad);
        }
        o.addProperty("torch_dtype", "float32");
        o.remove("num_labels");
        JsonObject sorted = new JsonObject();
        o.keySet().stream().sorted().forEach(k -> sorted.add(k, o.get(k)));
        return sorted;
    }

    /**
     * config.json of a fine-tuned causal LM ({@code GPTNeoForCausalLM}, {@code OPTForCausalLM}) as
     * {@code save_pretrained} writes it: the base config with {@code architectures} set, {@code
     * torch_dtype} float32, keys sorted; nothing else changes (an LM needs no pad token).
     */
    public static JsonObject causalLm(JsonObject base, String architecture) {
        JsonObject o = base.deepCopy();
        o.remove("_name_or_path");
        JsonArray architectures = new JsonArray();
        architectures.add(architecture);
        o.add("architectures", architectures);
        o.addProperty("torch_dtype", "float32");
        JsonObject sorted = new JsonObject();
        o.keySet().stream().sorted().forEach(k -> sorted.add(k, o.get(k)));
        return sorted;
    }

    /** A number of {@code config}, or {@code fallback} when it is absent, null or not a number. */
    public static double number(JsonObject config, String key, double fallback) {
        JsonElement e = config.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsDouble() : fallback;
    }
}
