package dev.logitscope.safetensors;

import dev.logitscope.tensors.DType;
import dev.logitscope.tensors.TensorInfo;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the JSON header of a safetensors file into tensor entries, treating it as untrusted input.
 *
 * <p>Reads with a streaming {@link JsonReader} rather than a tree: a tree parser keeps the last of
 * two equal keys silently, and a duplicated tensor name must be an error. The reader is strict and
 * has Gson's nesting limit, so no header can recurse deeply or be half-accepted.
 */
final class HeaderParser {

    /** The parsed header; {@code tensors} in JSON order, not yet checked against the data section. */
    record Header(Map<String, String> metadata, List<TensorInfo> tensors) {}

    static final String METADATA_KEY = "__metadata__";

    private static final Pattern NON_NEGATIVE_INTEGER = Pattern.compile("[0-9]+");
    private static final Pattern NEGATIVE_INTEGER = Pattern.compile("-[0-9]+");

    private final Path file;
    private final JsonReader reader;

    private HeaderParser(Path file, String json) {
        this.file = file;
        this.reader = new JsonReader(new StringReader(json));
        reader.setStrictness(Strictness.STRICT);
    }

    static Header parse(Path file, byte[] headerBytes) throws SafetensorsException {
        String json = decodeUtf8(file, headerBytes);
        HeaderParser parser = new HeaderParser(file, json);
        try {
            return parser.header();
        } catch (SafetensorsException e) {
            throw e;
        } catch (IOException | IllegalStateException | NumberFormatException e) {
            // Gson's own messages point at a troubleshooting web page; the position is what helps.
            throw new SafetensorsException(file, "header is not valid JSON " + parser.position(), e);
        }
    }

    private static String decodeUtf8(Path file, byte[] bytes) throws SafetensorsException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsException(file, "header is not valid UTF-8 text", e);
        }
    }

    private Header header() throws IOException {
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            throw fail("header must be a JSON object, but it is " + kind(reader.peek()));
        }
        Map<String, String> metadata = Map.of();
        List<TensorInfo> tensors = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        reader.beginObject();
        while (reader.hasNext()) {
            String name = reader.nextName();
            if (!seen.add(name)) {
                throw name.equals(METADATA_KEY)
                        ? fail("header holds " + METADATA_KEY + " twice")
                        : fail(name, "appears twice in the header");
            }
            if (name.equals(METADATA_KEY)) {
                metadata = metadata();
            } else {
                tensors.add(entry(name));
            }
        }
        reader.endObject();
        if (!atEnd()) {
            throw fail("header has content after its JSON object " + position());
        }
        return new Header(metadata, tensors);
    }

    /** True if only whitespace is left; a strict reader reports a second value as malformed. */
    private boolean atEnd() throws IOException {
        try {
            return reader.peek() == JsonToken.END_DOCUMENT;
        } catch (MalformedJsonException e) {
            return false;
        }
    }

    private Map<String, String> metadata() throws IOException {
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            throw fail(METADATA_KEY + " must be an object of strings, but it is " + kind(reader.peek()));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        reader.beginObject();
        while (reader.hasNext()) {
            String key = reader.nextName();
            if (metadata.containsKey(key)) {
                throw fail(METADATA_KEY + " holds key '" + key + "' twice");
            }
            if (reader.peek() != JsonToken.STRING) {
                throw fail(METADATA_KEY + " key '" + key + "' must be a string, but it is " + kind(reader.peek()));
            }
            metadata.put(key, reader.nextString());
        }
        reader.endObject();
        return Collections.unmodifiableMap(metadata);
    }

    private TensorInfo entry(String name) throws IOException {
        if (reader.peek() != JsonToken.BEGIN_OBJECT) {
            throw fail(name, "entry must be an object with dtype, shape and data_offsets, but it is "
                    + kind(reader.peek()));
        }
        String dtypeText = null;
        long[] shape = null;
        long[] offsets = null;
        Set<String> keys = new HashSet<>();
        reader.beginObject();
        while (reader.hasNext()) {
            String key = reader.nextName();
            if (!keys.add(key)) {
                throw fail(name, "key '" + key + "' appears twice");
            }
            switch (key) {
                case "dtype" -> dtypeText = string(name, key);
                case "shape" -> shape = integers(name, key);
                case "data_offsets" -> offsets = integers(name, key);
                default -> reader.skipValue(); // unknown keys are tolerated, as other readers do
            }
        }
        reader.endObject();

        if (dtypeText == null || shape == null || offsets == null) {
            throw fail(name, "entry lacks " + (dtypeText == null ? "dtype" : shape == null ? "shape" : "data_offsets"));
        }
        String dtypeName = dtypeText;
        DType dtype = DType.parse(dtypeName).orElseThrow(() -> fail(name, "unknown dtype '" + dtypeName
                + "' (known: " + Arrays.stream(DType.values()).map(Enum::name).collect(Collectors.joining(", ")) + ")"));
        if (offsets.length != 2) {
            throw fail(name, "data_offsets must be two integers [begin, end], but it holds " + offsets.length);
        }
        if (offsets[0] > offsets[1]) {
            throw fail(name, "data_offsets " + Arrays.toString(offsets) + " end before they begin");
        }
        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private String string(String tensor, String key) throws IOException {
        if (reader.peek() != JsonToken.STRING) {
            throw fail(tensor, key + " must be a string, but it is " + kind(reader.peek()));
        }
        return reader.nextString();
    }

    /** A JSON array of non-negative integers that fit in a long. */
    private long[] integers(String tensor, String key) throws IOException {
        if (reader.peek() != JsonToken.BEGIN_ARRAY) {
            throw fail(tensor, key + " must be an array of integers, but it is " + kind(reader.peek()));
        }
        List<Long> values = new ArrayList<>();
        reader.beginArray();
        while (reader.hasNext()) {
            if (reader.peek() != JsonToken.NUMBER) {
                throw fail(tensor, key + " must hold only integers, but it holds " + kind(reader.peek()));
            }
            values.add(nonNegativeLong(tensor, key, reader.nextString()));
        }
        reader.endArray();
        return values.stream().mapToLong(Long::longValue).toArray();
    }

    /** Parses the number's literal text, so 3.5, 1e3 and 1e400 are rejected rather than rounded. */
    private long nonNegativeLong(String tensor, String key, String literal) throws SafetensorsException {
        if (NEGATIVE_INTEGER.matcher(literal).matches()) {
            throw fail(tensor, key + " holds a negative number, " + literal);
        }
        if (!NON_NEGATIVE_INTEGER.matcher(literal).matches()) {
            throw fail(tensor, key + " holds " + abbreviate(literal) + ", which is not a whole number");
        }
        try {
            return Long.parseLong(literal);
        } catch (NumberFormatException e) {
            throw fail(tensor, key + " holds " + abbreviate(literal) + ", which is too large");
        }
    }

    private SafetensorsException fail(String message) {
        return new SafetensorsException(file, message);
    }

    private SafetensorsException fail(String tensor, String message) {
        return new SafetensorsException(file, tensor, message);
    }

    /** "at line 1 column 17 path $.wte.shape[0]", or empty if the reader cannot tell. */
    private String position() {
        String text = reader.toString();
        int at = text.indexOf(" at line ");
        return at < 0 ? "" : text.substring(at + 1);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static String kind(JsonToken token) {
        return switch (token) {
            case BEGIN_ARRAY -> "an array";
            case BEGIN_OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> "missing";
        };
    }
}
