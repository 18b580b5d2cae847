package dev.logitscope.json;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.Map;

/**
 * Every JSON document Logitscope writes goes through here, so each one is valid RFC 8259 JSON.
 *
 * <p>Why: Gson writes a {@link JsonElement} leniently, so a NaN or infinite number comes out as the
 * bare tokens {@code NaN} / {@code Infinity}, which strict parsers (Python's {@code json} with
 * {@code parse_constant}, jq, JavaScript's {@code JSON.parse}) reject. A number that is not finite
 * is undefined (the log-odds of two labels whose probabilities both underflow, a rate before any
 * work) and is written as {@code null}.
 */
public final class JsonText {
    private static final Gson COMPACT = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();
    private static final Gson PRETTY = new GsonBuilder().disableHtmlEscaping().serializeNulls().setPrettyPrinting().create();

    private JsonText() {}

    /** One line of JSON. */
    public static String compact(JsonElement element) {
        return COMPACT.toJson(finite(element));
    }

    /** Indented JSON, for files people read. */
    public static String pretty(JsonElement element) {
        return PRETTY.toJson(finite(element));
    }

    /** A copy of {@code element} with every non-finite number replaced by null. */
    static JsonElement finite(JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return JsonNull.INSTANCE;
        }
        if (element.isJsonPrimitive()) {
            JsonPrimitive primitive = element.getAsJsonPrimitive();
            if (primitive.isNumber()) {
                double value = primitive.getAsDouble();
                if (Double.isNaN(value) || Double.isInfinite(value)) {
                    return JsonNull.INSTANCE;
                }
            }
            return primitive;
        }
        if (element.isJsonArray()) {
            JsonArray out = new JsonArray(element.getAsJsonArray().size());
            for (JsonElement item : element.getAsJsonArray()) {
                out.add(finite(item));
            }
            return out;
        }
        JsonObject out = new JsonObject();
        for (Map.Entry<String, JsonElement> entry : element.getAsJsonObject().entrySet()) {
            out.add(entry.getKey(), finite(entry.getValue()));
        }
        return out;
    }
}
