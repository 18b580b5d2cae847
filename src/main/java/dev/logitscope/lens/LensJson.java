package dev.logitscope.lens;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.logitscope.tokenize.Token;
import dev.logitscope.tokenize.TokenDisplay;

/**
 * The JSON form of a lens report: the stable contract of {@code logitscope inspect --json},
 * also used by the app's JSON export. Field names are snake_case and never renamed.
 *
 * <p>Token text: {@code text} (in {@code tokens}) is the token's exact text, so the texts join to
 * the prompt (a special token the tokenizer adds, OPT's BOS {@code </s>}, has the text "", its name
 * as {@code token} and {@code "special": true}); {@code token} (in {@code tokens} and {@code top}) is its display form,
 * {@link TokenDisplay#visible}: "␣" for a space, "↵" newline, "⇥" tab, "⏎" carriage return, other
 * control characters as their control pictures. Tables and CSV files write tokens the same way.
 */
public final class LensJson {
    private LensJson() {}

    public static JsonObject report(LensReport report, boolean allPositions) {
        JsonObject root = new JsonObject();
        root.add("model", model(report.model()));
        root.addProperty("lens", report.lens()); // which lens read every layer: "logit lens" or "tuned lens (PATH)"
        JsonArray tokens = new JsonArray();
        for (Token token : report.tokens()) {
            JsonObject t = new JsonObject();
            t.addProperty("id", token.id());
            t.addProperty("text", token.text());
            // The display form, as in top[].token (and the tables and CSV): text alone cannot be
            // compared with the top tokens. A special token (OPT's BOS) has no text ("") and shows
            // its name, flagged so scripts never read it as prompt text.
            t.addProperty("token", token.special() ? token.display() : TokenDisplay.visible(token.text()));
            if (token.special()) {
                t.addProperty("special", true);
            }
            tokens.add(t);
        }
        root.add("tokens", tokens);
        JsonArray labels = new JsonArray();
        for (TrackedWord word : report.tracked()) {
            JsonObject l = new JsonObject();
            l.addProperty("word", word.word());
            JsonArray ids = new JsonArray();
            for (int id : word.tokenIds()) {
                ids.add(id);
            }
            l.add("token_ids", ids);
            labels.add(l);
        }
        root.add("labels", labels);
        JsonArray layers = new JsonArray();
        for (LayerReading layer : report.layers()) {
            JsonObject l = new JsonObject();
            if (layer.midBlock()) {
                l.addProperty("layer", layer.depth());
                l.addProperty("mid_block", true);
            } else {
                l.addProperty("layer", layer.layer());
            }
            l.addProperty("name", layer.name());
            reading(l, layer.last());
            if (allPositions) {
                JsonArray positions = new JsonArray();
                for (PositionReading position : layer.positions()) {
                    JsonObject p = new JsonObject();
                    p.addProperty("position", position.position());
                    reading(p, position);
                    positions.add(p);
                }
                l.add("positions", positions);
            }
            layers.add(l);
        }
        root.add("layers", layers);
        return root;
    }

    public static JsonObject model(ModelInfo info) {
        JsonObject m = new JsonObject();
        m.addProperty("source", info.source());
        m.addProperty("n_layer", info.shape().nLayer());
        m.addProperty("n_embd", info.shape().nEmbd());
        m.addProperty("n_head", info.shape().nHead());
        m.addProperty("vocab_size", info.shape().vocabSize());
        m.addProperty("n_positions", info.shape().nPositions());
        m.addProperty("parameters", info.shape().parameters());
        // What each layer's lens applies before the softmax, e.g. "post-LN, no final norm" for OPT-350m.
        m.addProperty("readout", info.readout());
        return m;
    }

    private static void reading(JsonObject target, PositionReading reading) {
        JsonArray probs = new JsonArray();
        for (double p : reading.trackedProbs()) {
            probs.add(p);
        }
        target.add("label_probs", probs);
        JsonArray ranks = new JsonArray();
        for (int r : reading.trackedRanks()) {
            ranks.add(r);
        }
        target.add("label_ranks", ranks);
        target.addProperty("entropy", reading.entropy());
        target.addProperty("kl_to_final", reading.klToFinal());
        JsonArray top = new JsonArray();
        for (TopToken token : reading.top()) {
            JsonObject t = new JsonObject();
            t.addProperty("id", token.id());
            t.addProperty("token", token.token());
            t.addProperty("prob", token.prob());
            top.add(t);
        }
        target.add("top", top);
    }

}
