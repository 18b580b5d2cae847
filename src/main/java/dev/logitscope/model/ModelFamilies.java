package dev.logitscope.model;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The registry of model families: maps a {@code config.json} to the family that loads it, by
 * {@code model_type}, else by {@code architectures}. A model of any other type is refused by name,
 * with the supported ones listed.
 */
public final class ModelFamilies {
    /** Configs written before transformers added {@code model_type} (and with no architectures) are GPT-2's. */
    private static final String LEGACY_MODEL_TYPE = "gpt2";
    private static final List<ModelFamily> FAMILIES = discover();

    private ModelFamilies() {}

    /**
     * Every family on the class path, GPT-2's included: each is named in a
     * {@code META-INF/services/dev.logitscope.model.ModelFamily} file, so this package never
     * imports a family and a new one (or a test's) plugs in without a change here.
     */
    private static List<ModelFamily> discover() {
        List<ModelFamily> families = new ArrayList<>();
        ServiceLoader.load(ModelFamily.class, ModelFamilies.class.getClassLoader()).forEach(families::add);
        return List.copyOf(families);
    }

    /** Every family, in class-path order (the application's before a test's). */
    public static List<ModelFamily> all() {
        return FAMILIES;
    }

    /** Loads the model in {@code folder}, its weights held as {@link WeightStorage#forCheckpoint} chooses. */
    public static DecoderModel load(ModelFolder folder, NDManager parent) throws ModelException {
        ModelFamily family = forConfig(folder.configJson(), folder.config().toString());
        return family.load(folder, parent, WeightStorage.forCheckpoint(folder.weightFiles().files().get(0)));
    }

    /** Copies the model in {@code folder} for fine-tuning, as {@link ModelFamily#loadForFineTuning} says. */
    public static TrainableModel loadForFineTuning(ModelFolder folder, ClassLabels labels, int trainableBlocks, long seed,
            NDManager parent) throws ModelException {
        ModelFamily family = forConfig(folder.configJson(), folder.config().toString());
        return family.loadForFineTuning(folder, labels, trainableBlocks, seed, parent);
    }

    /** The family of a parsed config.json; {@code source} names it in messages. */
    public static ModelFamily forConfig(JsonObject config, String source) throws ModelException {
        String type = string(config.get("model_type"));
        List<String> architectures = new ArrayList<>();
        JsonElement listed = config.get("architectures");
        if (listed != null && listed.isJsonArray()) {
            listed.getAsJsonArray().forEach(e -> {
                String name = string(e);
                if (name != null) {
                    architectures.add(name);
                }
            });
        }
        if (type == null && architectures.isEmpty()) {
            type = LEGACY_MODEL_TYPE;
        }
        for (ModelFamily family : FAMILIES) {
            if (type != null ? family.modelType().equals(type)
                    : architectures.stream().anyMatch(family.architectures()::contains)) {
                return family;
            }
        }
        String what = type != null ? "model_type '" + type + "'" : "architectures " + architectures;
        throw new ModelException(source + " describes a model of " + what + ", which is not supported yet."
                + " Logitscope runs " + supported() + " models.");
    }

    /** "gpt2" or "gpt2, opt": the model_types that load. */
    public static String supported() {
        return FAMILIES.stream().map(ModelFamily::modelType).collect(Collectors.joining(", "));
    }

    private static String string(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
    }
}
