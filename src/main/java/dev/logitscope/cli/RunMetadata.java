package dev.logitscope.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** What an evaluation's pictures carry: the run folder's provenance (manifest.json), as one line of JSON. */
final class RunMetadata {
    /** The PNG keyword / SVG metadata key. */
    static final String KEY = "logitscope:provenance";

    private RunMetadata() {}

    static Map<String, String> of(Path runDir) {
        try {
            JsonElement p = JsonParser.parseString(Files.readString(runDir.resolve("manifest.json"))).getAsJsonObject()
                    .get("provenance");
            return p == null ? Map.of() : Map.of(KEY, p.toString());
        } catch (java.io.IOException | RuntimeException e) {
            return Map.of(); // the pictures without it; the numbers and their provenance are in the files beside
        }
    }
}
