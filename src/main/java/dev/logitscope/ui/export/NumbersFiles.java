package dev.logitscope.ui.export;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.logitscope.lens.LensJson;
import dev.logitscope.lens.TopToken;
import dev.logitscope.prompt.UsedDemo;
import dev.logitscope.ui.analysis.AnalysisResult;
import dev.logitscope.ui.analysis.LayerVerdict;
import dev.logitscope.ui.plot.Numbers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The numbers of an analysis as CSV (one row per layer) and JSON (the lens report plus the verdicts). */
public final class NumbersFiles {
    static final String CSV_HEADER = "layer,name,p_positive,p_negative,p_positive_normalised,p_positive_calibrated,"
            + "prediction,correct,rank_positive,rank_negative,top1_token,top1_prob";

    private NumbersFiles() {}

    public static void csv(AnalysisResult result, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(CSV_HEADER);
        for (LayerVerdict l : result.layers()) {
            TopToken top = l.top().isEmpty() ? null : l.top().get(0);
            lines.add(String.join(",", Integer.toString(l.layer()), l.name(), num(l.pPositive()), num(l.pNegative()),
                    num(l.normalised()), Double.isNaN(l.calibrated()) ? "" : num(l.calibrated()), l.predicted().key(),
                    l.correct().map(Object::toString).orElse(""), Integer.toString(l.ranks()[0]),
                    Integer.toString(l.ranks()[1]), top == null ? "" : quote(Numbers.visible(top.token())),
                    top == null ? "" : num(top.prob())));
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    public static void json(AnalysisResult result, Path file) throws IOException {
        JsonObject root = LensJson.report(result.report(), result.grid());
        JsonObject prompt = new JsonObject();
        prompt.addProperty("text", result.prompt().prompt().text());
        prompt.addProperty("tokens", result.prompt().tokens());
        prompt.addProperty("context", result.context());
        prompt.addProperty("demos_dropped", result.prompt().dropped());
        JsonArray demos = new JsonArray();
        for (UsedDemo d : result.prompt().prompt().demos()) {
            JsonObject o = new JsonObject();
            o.addProperty("review", d.review());
            o.addProperty("shown", d.shown().key());
            o.addProperty("truth", d.truth().key());
            demos.add(o);
        }
        prompt.add("demos", demos);
        root.add("prompt", prompt);
        JsonArray verdicts = new JsonArray();
        for (LayerVerdict l : result.layers()) {
            JsonObject o = new JsonObject();
            o.addProperty("layer", l.layer());
            o.addProperty("p_positive_normalised", l.normalised());
            if (!Double.isNaN(l.calibrated())) {
                o.addProperty("p_positive_calibrated", l.calibrated());
            }
            o.addProperty("prediction", l.predicted().key());
            l.correct().ifPresent(c -> o.addProperty("correct", c));
            verdicts.add(o);
        }
        root.add("verdicts", verdicts);
        root.addProperty("explanation", result.story().explanation());
        result.story().reversalLayer().ifPresent(r -> root.addProperty("reversal_layer", r));
        root.addProperty("overthinking", result.story().overthinking());
        JsonObject trajectories = new JsonObject();
        for (Map.Entry<String, double[]> e : result.trajectories().entrySet()) {
            JsonArray a = new JsonArray();
            for (double v : e.getValue()) {
                a.add(v);
            }
            trajectories.add(e.getKey(), a);
        }
        root.add("trajectories", trajectories);
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
                .serializeSpecialFloatingPointValues().create().toJson(root), StandardCharsets.UTF_8);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.8g", v);
    }

    /** RFC 4180 quoting; control characters are already made visible, so every row is one line. */
    private static String quote(String s) {
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
