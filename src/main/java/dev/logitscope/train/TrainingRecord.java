package dev.logitscope.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.logitscope.model.DropoutRates;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code training.json} beside a fine-tuned model: what was trained from what data with which
 * recipe and seed, and each epoch's metrics. It is also what {@code --resume} continues from.
 *
 * @param baseModel the model as the user named it, or {@code random-init NAME}
 * @param labels    the classes: the classifier's head rows, or the words an LM's template fills in
 * @param lm        the LM objective's layout; null for the classifier objective
 * @param dev       null without a dev set
 */
public record TrainingRecord(String baseModel, List<String> labels, LmFormat lm, DataSummary train, DataSummary dev,
        TrainingRecipe recipe, long parameters, long trainableParameters, TrainingState state, boolean finished) {

    public static final String FORMAT = "logitscope-finetune/1";

    public TrainingRecord {
        labels = List.copyOf(labels);
    }

    public TrainingRecord with(TrainingState newState, boolean isFinished) {
        return new TrainingRecord(baseModel, labels, lm, train, dev, recipe, parameters, trainableParameters, newState, isFinished);
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("format", FORMAT);
        o.addProperty("base_model", baseModel);
        if (lm == null) {
            o.addProperty("objective", "classifier");
            o.addProperty("objective_detail", "cross-entropy of score(final norm(last token's residual)); the review text as it"
                    + " is, no template, no added tokens but the BOS the tokenizer config asks for (OPT's)");
        } else {
            o.addProperty("objective", "lm");
            o.addProperty("objective_detail", "next-token cross-entropy of lm_head(final norm(h)) (GPT2LMHeadModel,"
                    + " GPTNeoForCausalLM, OPTForCausalLM; the head tied to the token embedding unless the config unties it),"
                    + " mean over the " + (lm.lossOn() == LmFormat.LossOn.ALL ? "tokens" : "label words' tokens")
                    + " of a batch; each example is the template with its review and class name; " + lm.layoutText());
            JsonObject l = new JsonObject();
            l.addProperty("template", lm.template());
            l.addProperty("block_size", lm.blockSize());
            l.addProperty("layout", lm.layoutText());
            l.addProperty("loss_on", lm.lossOn().text());
            o.add("lm", l);
        }
        JsonArray names = new JsonArray();
        labels.forEach(names::add);
        o.add("labels", names);
        JsonObject data = new JsonObject();
        data.add("train", data(train));
        data.add("dev", dev == null ? JsonNull.INSTANCE : data(dev));
        o.add("data", data);
        JsonObject r = new JsonObject();
        r.addProperty("trainable_blocks", recipe.trainableBlocksText());
        r.addProperty("epochs", recipe.epochs());
        r.addProperty("batch", recipe.batch());
        r.addProperty("learning_rate", recipe.learningRate());
        r.addProperty("weight_decay", recipe.weightDecay());
        r.addProperty("warmup_ratio", recipe.warmupRatio());
        r.addProperty("clip_norm", recipe.clipNorm());
        r.addProperty("seed", recipe.seed());
        r.addProperty("optimizer", "AdamW (DJL's fused update), betas (" + AdamW.BETA1 + ", " + AdamW.BETA2 + "), eps "
                + AdamW.EPSILON + ", weight decay on matrices only");
        r.addProperty("schedule", "linear warm-up then linear decay to 0 (transformers' get_linear_schedule_with_warmup)");
        r.addProperty("gradient_clipping", "global L2 norm (torch.nn.utils.clip_grad_norm_)");
        DropoutRates dropout = recipe.dropout() == null ? DropoutRates.OFF : recipe.dropout();
        JsonObject d = new JsonObject();
        d.addProperty("embeddings", dropout.embeddings());
        d.addProperty("attention", dropout.attention());
        d.addProperty("residual", dropout.residual());
        r.add("dropout", d);
        r.addProperty("dropout_detail", "as transformers' model.train() applies it: on the summed embeddings, the attention"
                + " probabilities, and each attention and MLP output before the residual add (torch's inverted dropout);"
                + " masks from libtorch's generator seeded by (seed, step); never in dev passes or the lens");
        o.add("recipe", r);
        o.addProperty("parameters", parameters);
        o.addProperty("trainable_parameters", trainableParameters);
        o.addProperty("completed_epochs", state.completedEpochs());
        o.addProperty("steps", state.steps());
        o.addProperty("finished", finished);
        JsonArray epochs = new JsonArray();
        for (EpochMetrics m : state.epochs()) {
            JsonObject e = new JsonObject();
            e.addProperty("epoch", m.epoch());
            e.add("train_loss", number(m.trainLoss()));
            e.add("dev_accuracy", number(m.devAccuracy()));
            e.add("dev_loss", number(m.devLoss()));
            e.add("seconds", number(m.seconds()));
            e.add("examples_per_second", number(m.examplesPerSecond()));
            e.addProperty("resident_mb", m.residentMb());
            e.addProperty("batch_mb", m.batchMb());
            e.addProperty("peak_mb", m.peakMb());
            e.addProperty("live_arrays", m.liveArrays());
            e.addProperty("heap_mb", m.heapMb());
            epochs.add(e);
        }
        o.add("epochs", epochs);
        return o;
    }

    /** Reads a record written by {@link #toJson()}. */
    public static TrainingRecord fromJson(JsonObject o) {
        if (!o.has("format") || !FORMAT.equals(o.get("format").getAsString())) {
            throw new IllegalArgumentException("it is not a " + FORMAT + " record");
        }
        List<String> labels = new ArrayList<>();
        o.getAsJsonArray("labels").forEach(e -> labels.add(e.getAsString()));
        JsonObject data = o.getAsJsonObject("data");
        JsonObject r = o.getAsJsonObject("recipe");
        String blocks = r.get("trainable_blocks").getAsString();
        TrainingRecipe recipe = new TrainingRecipe(blocks.equals("all") ? -1 : Integer.parseInt(blocks),
                r.get("epochs").getAsInt(), r.get("batch").getAsInt(), r.get("learning_rate").getAsDouble(),
                r.get("weight_decay").getAsDouble(), r.get("warmup_ratio").getAsDouble(), r.get("clip_norm").getAsDouble(),
                r.get("seed").getAsLong(), dropout(r.get("dropout")));
        List<EpochMetrics> epochs = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray("epochs")) {
            JsonObject m = e.getAsJsonObject();
            epochs.add(new EpochMetrics(m.get("epoch").getAsInt(), value(m.get("train_loss")), value(m.get("dev_accuracy")),
                    value(m.get("dev_loss")), value(m.get("seconds")), value(m.get("examples_per_second")),
                    m.get("resident_mb").getAsLong(), m.has("batch_mb") ? m.get("batch_mb").getAsLong() : -1,
                    m.has("peak_mb") ? m.get("peak_mb").getAsLong() : -1,
                    m.has("live_arrays") ? m.get("live_arrays").getAsLong() : -1,
                    m.has("heap_mb") ? m.get("heap_mb").getAsLong() : -1));
        }
        TrainingState state = new TrainingState(o.get("completed_epochs").getAsInt(), o.get("steps").getAsLong(), epochs);
        LmFormat lm = null;
        if (o.has("lm") && o.get("lm").isJsonObject()) {
            JsonObject l = o.getAsJsonObject("lm");
            lm = new LmFormat(l.get("template").getAsString(), l.get("block_size").getAsInt(),
                    LmFormat.LossOn.valueOf(l.get("loss_on").getAsString().toUpperCase(java.util.Locale.ROOT)));
        }
        return new TrainingRecord(o.get("base_model").getAsString(), labels, lm, summary(data.get("train")),
                summary(data.get("dev")), recipe, o.get("parameters").getAsLong(), o.get("trainable_parameters").getAsLong(),
                state, o.get("finished").getAsBoolean());
    }

    /** The recipe's dropout: an object of three rates, or one number (older records wrote 0.0), or none (0). */
    private static DropoutRates dropout(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return DropoutRates.OFF;
        }
        if (e.isJsonPrimitive()) {
            return DropoutRates.all(e.getAsDouble());
        }
        JsonObject d = e.getAsJsonObject();
        return new DropoutRates(d.get("embeddings").getAsDouble(), d.get("attention").getAsDouble(),
                d.get("residual").getAsDouble());
    }

    private static JsonObject data(DataSummary d) {
        JsonObject o = new JsonObject();
        o.addProperty("path", d.path());
        o.addProperty("examples", d.examples());
        o.addProperty("tokens", d.tokens());
        return o;
    }

    private static DataSummary summary(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        JsonObject o = e.getAsJsonObject();
        return new DataSummary(o.get("path").getAsString(), o.get("examples").getAsInt(), o.get("tokens").getAsLong());
    }

    /** NaN (no dev set) as JSON null. */
    private static JsonElement number(double value) {
        return Double.isFinite(value) ? new JsonPrimitive(value) : JsonNull.INSTANCE;
    }

    private static double value(JsonElement e) {
        return e == null || e.isJsonNull() ? Double.NaN : e.getAsDouble();
    }
}
