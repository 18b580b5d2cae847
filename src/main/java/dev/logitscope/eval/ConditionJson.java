package dev.logitscope.eval;

import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.logitscope.analysis.ScoringMethod;
import dev.logitscope.prompt.DemoLabels;

/** A condition as summary.json names it (model, template, shots, demo_labels, seed, method), both ways. */
final class ConditionJson {

    private ConditionJson() {}

    static JsonObject of(Condition c) {
        JsonObject o = new JsonObject();
        o.addProperty("model", c.model());
        o.addProperty("template", c.template());
        o.addProperty("shots", c.shots());
        o.add("demo_labels", c.hasDemonstrations() ? new JsonPrimitive(c.demoLabels().key()) : JsonNull.INSTANCE);
        o.add("seed", c.hasDemonstrations() ? new JsonPrimitive(c.seed()) : JsonNull.INSTANCE);
        o.addProperty("method", c.method().key());
        if (!c.isLogitLens()) {
            o.addProperty("lens", c.lens()); // runs read through the logit lens alone keep the shape they always had
        }
        return o;
    }

    static Condition read(JsonObject o) {
        int shots = o.get("shots").getAsInt();
        return new Condition(o.get("model").getAsString(), o.get("template").getAsString(), shots,
                shots == 0 || o.get("demo_labels").isJsonNull() ? DemoLabels.CORRECT
                        : DemoLabels.parse(o.get("demo_labels").getAsString()),
                shots == 0 || o.get("seed").isJsonNull() ? 0 : o.get("seed").getAsLong(),
                ScoringMethod.parse(o.get("method").getAsString()),
                o.has("lens") && !o.get("lens").isJsonNull() ? o.get("lens").getAsString() : Condition.LOGIT);
    }
}
