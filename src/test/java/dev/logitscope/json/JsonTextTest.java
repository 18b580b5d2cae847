package dev.logitscope.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class JsonTextTest {

    @Test
    void nonFiniteNumbersBecomeNullAndTheTextParsesStrictly() throws Exception {
        JsonObject root = new JsonObject();
        root.addProperty("nan", Double.NaN);
        root.addProperty("inf", Double.NEGATIVE_INFINITY);
        root.addProperty("ok", 0.25);
        root.addProperty("name", "NaN"); // a string is text, not a number
        JsonArray values = new JsonArray();
        values.add(Double.POSITIVE_INFINITY);
        values.add(1);
        JsonObject nested = new JsonObject();
        nested.add("values", values);
        root.add("nested", nested);

        for (String text : new String[] {JsonText.compact(root), JsonText.pretty(root)}) {
            assertThat(text).doesNotContain("Infinity").contains("\"nan\": null".replace(" ", text.contains("\n") ? " " : ""));
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT); // RFC 8259: NaN/Infinity tokens are refused
            JsonObject back = com.google.gson.internal.Streams.parse(reader).getAsJsonObject();
            assertThat(back.get("nan").isJsonNull()).isTrue();
            assertThat(back.get("inf").isJsonNull()).isTrue();
            assertThat(back.get("ok").getAsDouble()).isEqualTo(0.25);
            assertThat(back.get("name").getAsString()).isEqualTo("NaN");
            assertThat(back.getAsJsonObject("nested").getAsJsonArray("values").get(0).isJsonNull()).isTrue();
        }
        assertThat(root.get("nan").getAsDouble()).isNaN(); // the input is not changed
    }
}
