package dev.logitscope.tokenize;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the tokenizer's text and JSON files, with one clear message per way they can be unreadable. */
final class JsonFile {
    private JsonFile() {}

    /** The UTF-8 text of {@code file}; {@code what} says what the file is for, in messages. */
    static String text(Path file, String what) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (AccessDeniedException e) {
            throw new TokenizerException("Cannot read the tokenizer's " + file + ": permission denied. Make the file"
                    + " readable (chmod a+r) or copy the model folder somewhere you can read.", e);
        } catch (CharacterCodingException e) {
            throw new TokenizerException("Cannot read the tokenizer's " + file + ": it is not UTF-8 text. Replace it"
                    + " with the " + what + " of the model's hub repository.", e);
        } catch (IOException e) {
            throw new TokenizerException("Cannot read the tokenizer's " + file + ": " + e.getMessage() + ". Replace it"
                    + " with the " + what + " of the model's hub repository.", e);
        }
    }

    /** {@code file} as a JSON object. */
    static JsonObject object(Path file, String what) {
        String text = text(file, what);
        try {
            JsonElement root = JsonParser.parseString(text);
            if (!root.isJsonObject()) {
                throw new TokenizerException("The tokenizer's " + file + " is not a JSON object. Replace it with the "
                        + what + " of the model's hub repository.");
            }
            return root.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new TokenizerException("The tokenizer's " + file + " is not valid JSON (" + e.getMessage()
                    + "). Replace it with the " + what + " of the model's hub repository.", e);
        }
    }
}
