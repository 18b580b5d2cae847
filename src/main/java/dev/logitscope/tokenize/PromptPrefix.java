package dev.logitscope.tokenize;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The special tokens a prompt starts with: what transformers' {@code tokenizer(text)} puts before
 * the text's tokens (OPT: {@code </s>}, id 2; GPT-2 and GPT-Neo: nothing).
 *
 * <p>The rule, one for both tokenizer sources: the special tokens at the head of the
 * post-processor's single-sequence template ({@code TemplateProcessing}, alone or in a
 * {@code Sequence}), as the fast tokenizer adds them from {@code tokenizer.json} (OPT's hub
 * tokenizer.json has {@code "</s>:0 $A:0"}; the converter writes the same for a vocab.json folder
 * whose config says {@code add_bos_token}); else, when {@code tokenizer_config.json} says
 * {@code add_bos_token: true} over a tokenizer.json whose post-processor adds nothing, its
 * {@code bos_token}, as the slow GPT2Tokenizer's {@code build_inputs_with_special_tokens} and
 * transformers' rebuilt post-processor add it. Only the head counts: a prompt ends where the
 * label word comes, so nothing is ever appended (no EOS), and nothing else is added (no padding,
 * no truncation).
 */
final class PromptPrefix {
    private PromptPrefix() {}

    static List<Token> of(JsonObject tokenizerJson, TokenizerConfig config, String source) {
        List<Token> head = templateHead(tokenizerJson.get("post_processor"), source);
        if (!head.isEmpty() || !config.addBosToken() || config.bosToken() == null) {
            return head;
        }
        String bos = config.bosToken();
        Integer id = idOf(tokenizerJson, bos);
        if (id == null) {
            throw new TokenizerException("The tokenizer config asks for a BOS token (add_bos_token: true), but its"
                    + " bos_token '" + bos + "' is not in " + source + ". Replace the tokenizer files with those of"
                    + " the model's hub repository.");
        }
        return List.of(Token.special(id, bos));
    }

    /** The special tokens before the first {@code $A} of a TemplateProcessing's {@code single}. */
    private static List<Token> templateHead(JsonElement processor, String source) {
        if (processor == null || !processor.isJsonObject()) {
            return List.of();
        }
        JsonObject p = processor.getAsJsonObject();
        String type = p.has("type") && p.get("type").isJsonPrimitive() ? p.get("type").getAsString() : "";
        if (type.equals("Sequence") && p.get("processors") instanceof JsonArray list) {
            List<Token> out = new ArrayList<>();
            for (JsonElement each : list) {
                out.addAll(templateHead(each, source));
            }
            return out;
        }
        if (!type.equals("TemplateProcessing") || !(p.get("single") instanceof JsonArray single)) {
            return List.of();
        }
        JsonObject specials = p.get("special_tokens") instanceof JsonObject o ? o : new JsonObject();
        List<Token> out = new ArrayList<>();
        for (JsonElement piece : single) {
            if (!(piece instanceof JsonObject pieceObject) || !(pieceObject.get("SpecialToken") instanceof JsonObject st)) {
                break; // the sequence itself: the head ends
            }
            String name = st.has("id") ? st.get("id").getAsString() : "";
            if (!(specials.get(name) instanceof JsonObject entry) || !(entry.get("ids") instanceof JsonArray ids)
                    || ids.isEmpty()) {
                throw new TokenizerException("The post-processor of " + source + " puts the special token '" + name
                        + "' before the text but gives no id for it. Replace the tokenizer with the tokenizer.json of"
                        + " the model's hub repository.");
            }
            JsonArray names = entry.get("tokens") instanceof JsonArray t ? t : new JsonArray();
            for (int i = 0; i < ids.size(); i++) {
                String shown = i < names.size() ? names.get(i).getAsString() : name;
                out.add(Token.special(ids.get(i).getAsInt(), shown));
            }
        }
        return out;
    }

    /** {@code token_to_id}: the added tokens first, then the model's vocabulary. */
    private static Integer idOf(JsonObject tokenizerJson, String content) {
        if (tokenizerJson.get("added_tokens") instanceof JsonArray added) {
            for (JsonElement e : added) {
                if (e instanceof JsonObject t && t.has("content") && content.equals(t.get("content").getAsString())
                        && t.has("id")) {
                    return t.get("id").getAsInt();
                }
            }
        }
        if (tokenizerJson.get("model") instanceof JsonObject model && model.get("vocab") instanceof JsonObject vocab
                && vocab.get(content) != null && vocab.get(content).isJsonPrimitive()) {
            return vocab.get(content).getAsInt();
        }
        return null;
    }
}
