package dev.logitscope.eval;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.Optional;
import java.util.TreeSet;

/** The first place two JSON values differ, as a path ({@code models[1].revision}), for messages. */
final class JsonDiff {

    /** A difference: where, and the two values there (null when absent). */
    record Difference(String path, JsonElement left, JsonElement right) {
        String describe(String leftName, String rightName) {
            return path + " (" + leftName + ": " + show(left) + ", " + rightName + ": " + show(right) + ")";
        }

        private static String show(JsonElement e) {
            if (e == null) {
                return "absent";
            }
            String s = e.toString();
            return s.length() > 120 ? s.substring(0, 117) + "..." : s;
        }
    }

    private JsonDiff() {}

    static Optional<Difference> first(JsonElement a, JsonElement b) {
        return Optional.ofNullable(first(a, b, ""));
    }

    private static Difference first(JsonElement a, JsonElement b, String path) {
        JsonElement x = a == null ? JsonNull.INSTANCE : a;
        JsonElement y = b == null ? JsonNull.INSTANCE : b;
        if (x.isJsonObject() && y.isJsonObject()) {
            JsonObject ox = x.getAsJsonObject();
            JsonObject oy = y.getAsJsonObject();
            TreeSet<String> keys = new TreeSet<>(ox.keySet());
            keys.addAll(oy.keySet());
            for (String k : keys) {
                Difference d = first(ox.get(k), oy.get(k), path.isEmpty() ? k : path + "." + k);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (x.isJsonArray() && y.isJsonArray()) {
            JsonArray ax = x.getAsJsonArray();
            JsonArray ay = y.getAsJsonArray();
            for (int i = 0; i < Math.max(ax.size(), ay.size()); i++) {
                Difference d = first(i < ax.size() ? ax.get(i) : null, i < ay.size() ? ay.get(i) : null,
                        path + "[" + i + "]");
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return x.equals(y) ? null : new Difference(path, a, b);
    }
}
