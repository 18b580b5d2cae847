package dev.logitscope.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The classes of a sequence-classification head, index i = row i of its {@code score} weight, as
 * transformers keeps them: config.json's {@code id2label} ({"0": "negative", "1": "positive"}) and
 * {@code label2id}; {@code num_labels} is not written by transformers but is the size of
 * {@code id2label} (read when id2label is absent, giving LABEL_0 … as transformers names them).
 */
public record ClassLabels(List<String> names) {

    public ClassLabels {
        names = List.copyOf(names);
        if (names.size() < 2) {
            throw new IllegalArgumentException("a classification head needs at least 2 labels, got " + names);
        }
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("labels must differ, got " + names);
        }
    }

    public int size() {
        return names.size();
    }

    /** The classes of config.json, transformers' default two (LABEL_0, LABEL_1) when it names none. */
    public static ClassLabels fromConfig(JsonObject config, String source) throws ModelException {
        JsonElement id2label = config.get("id2label");
        if (id2label != null && id2label.isJsonObject() && id2label.getAsJsonObject().size() > 0) {
            Map<Integer, String> byIndex = new TreeMap<>();
            for (Map.Entry<String, JsonElement> e : id2label.getAsJsonObject().entrySet()) {
                int index;
                try {
                    index = Integer.parseInt(e.getKey());
                } catch (NumberFormatException ex) {
                    throw new ModelException(source + ": id2label key '" + e.getKey() + "' is not a class index.");
                }
                JsonElement name = e.getValue();
                if (!name.isJsonPrimitive() || !name.getAsJsonPrimitive().isString()) {
                    throw new ModelException(source + ": id2label[" + e.getKey() + "] is not a label name.");
                }
                byIndex.put(index, name.getAsString());
            }
            List<String> names = new ArrayList<>(byIndex.values());
            if (!byIndex.keySet().equals(new java.util.TreeSet<>(java.util.stream.IntStream.range(0, names.size()).boxed().toList()))) {
                throw new ModelException(source + ": id2label's keys " + byIndex.keySet() + " are not 0.." + (names.size() - 1) + ".");
            }
            return checked(names, source);
        }
        JsonElement count = config.get("num_labels");
        int n = 2;
        if (count != null && count.isJsonPrimitive() && count.getAsJsonPrimitive().isNumber()) {
            n = count.getAsInt();
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("LABEL_" + i);
        }
        return checked(names, source);
    }

    private static ClassLabels checked(List<String> names, String source) throws ModelException {
        try {
            return new ClassLabels(names);
        } catch (IllegalArgumentException e) {
            throw new ModelException(source + ": " + e.getMessage() + ".");
        }
    }

    /** Writes {@code id2label} and {@code label2id} into {@code config}, as save_pretrained does. */
    public void writeTo(JsonObject config) {
        JsonObject id2label = new JsonObject();
        JsonObject label2id = new JsonObject();
        for (int i = 0; i < names.size(); i++) {
            id2label.addProperty(String.valueOf(i), names.get(i));
            label2id.addProperty(names.get(i), i);
        }
        config.add("id2label", id2label);
        config.add("label2id", label2id);
    }
}
