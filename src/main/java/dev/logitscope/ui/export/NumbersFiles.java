package dev.logitscope.ui.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.logitscope.analysis.AnalysisJson;
import dev.logitscope.analysis.LayerVerdict;
import dev.logitscope.eval.Provenance;
import dev.logitscope.json.JsonText;
import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.PositionReading;
import dev.logitscope.lens.TopToken;
import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.ui.plot.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The numbers of an analysis as CSV (one row per layer) and JSON (the shared analysis JSON, as
 * {@code logitscope} writes it, plus the app's overlay trajectories). Both carry the analysis's
 * provenance: the JSON under {@code "provenance"}, the CSV as one leading comment line
 * ({@code # logitscope:provenance {…}}; pandas reads it with {@code comment='#'}).
 */
public final class NumbersFiles {
    static final String CSV_HEADER = "layer,name,p_positive,p_negative,p_positive_normalized,log_odds,"
            + "p_positive_calibrated,prediction,correct,rank_positive,rank_negative,entropy,kl_to_final,top1_token,top1_prob";

    private NumbersFiles() {}

    public static void csv(AnalysisResult result, Path file, JsonObject provenance) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("# " + Provenance.PICTURE_KEY + " " + provenance);
        lines.add(CSV_HEADER);
        List<LayerReading> layers = result.analysis().lens().blockLayers();
        for (int i = 0; i < result.verdicts().size(); i++) {
            LayerVerdict v = result.verdicts().get(i);
            PositionReading last = layers.get(i).last();
            TopToken top = last.top().isEmpty() ? null : last.top().get(0);
            lines.add(String.join(",", Integer.toString(v.layer()), quote(v.name()), num(v.pPositive()),
                    num(v.pNegative()), num(v.normalizedPositive()), num(v.logOdds()),
                    v.calibrated() == null ? "" : num(v.calibrated().normalizedPositive()), v.prediction().key(),
                    v.correct() == null ? "" : v.correct().toString(), Integer.toString(last.trackedRanks()[0] + 1),
                    Integer.toString(last.trackedRanks()[1] + 1), num(last.entropy()), num(last.klToFinal()),
                    top == null ? "" : quote(TextFormat.visible(top.token())), top == null ? "" : num(top.prob())));
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    public static void json(AnalysisResult result, Path file, JsonObject provenance) throws IOException {
        JsonObject root = AnalysisJson.report(result.analysis(), false);
        root.add(Provenance.SECTION, provenance);
        root.addProperty("explanation", result.explanation());
        JsonObject trajectories = new JsonObject();
        for (Map.Entry<String, double[]> e : result.trajectories().entrySet()) {
            JsonArray a = new JsonArray();
            for (double v : e.getValue()) {
                a.add(v);
            }
            trajectories.add(e.getKey(), a);
        }
        root.add("trajectories", trajectories);
        Files.writeString(file, JsonText.pretty(root), StandardCharsets.UTF_8);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.8g", v);
    }

    /** RFC 4180 quoting; control characters are already made visible, so every row is one line. */
    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
