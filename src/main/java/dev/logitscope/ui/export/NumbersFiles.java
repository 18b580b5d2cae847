package dev.logitscope.ui.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.logitscope.analysis.AnalysisJson;
import dev.logitscope.analysis.LabelTrajectory;
import dev.logitscope.analysis.PromptAnalysis;
import dev.logitscope.eval.Provenance;
import dev.logitscope.json.JsonText;
import dev.logitscope.lens.LayerReading;
import dev.logitscope.lens.LensChoice;
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
        csv(result.analysis(), file, provenance);
    }

    /** The name of a further lens's numbers: {@code layers-KEY.csv}, the key made safe for a file name. */
    public static String lensCsvName(LensChoice lens) {
        return "layers-" + lens.key().replaceAll("[^A-Za-z0-9._-]", "_") + ".csv";
    }

    /** One analysis's layers (one lens's reading). */
    public static void csv(PromptAnalysis analysis, Path file, JsonObject provenance) throws IOException {
        LabelTrajectory t = analysis.trajectory();
        List<String> lines = new ArrayList<>();
        lines.add("# " + Provenance.PICTURE_KEY + " " + provenance);
        lines.add(t.labels() == 2 ? CSV_HEADER : header(t));
        List<LayerReading> layers = analysis.lens().blockLayers();
        double[][] vocab = t.vocab();
        double[][] normalized = t.normalized();
        double[][] calibrated = t.calibrated();
        for (int i = 0; i < t.taps(); i++) {
            PositionReading last = layers.get(i).last();
            TopToken top = last.top().isEmpty() ? null : last.top().get(0);
            List<String> cells = new ArrayList<>(List.of(Integer.toString(t.depth(i)), quote(t.name(i))));
            Boolean correct = t.correct(i);
            if (t.labels() == 2) {
                cells.addAll(List.of(num(vocab[i][0]), num(vocab[i][1]), num(normalized[i][0]), num(t.logOdds(i)),
                        calibrated == null ? "" : num(calibrated[i][0])));
            } else {
                for (double v : vocab[i]) {
                    cells.add(num(v));
                }
                for (double v : normalized[i]) {
                    cells.add(num(v));
                }
                for (int c = 0; c < t.labels(); c++) {
                    cells.add(calibrated == null ? "" : num(calibrated[i][c]));
                }
            }
            cells.add(t.labelName(t.prediction(i)));
            cells.add(correct == null ? "" : correct.toString());
            for (int c = 0; c < t.labels(); c++) {
                cells.add(Integer.toString(last.trackedRanks()[c] + 1));
            }
            cells.addAll(List.of(num(last.entropy()), num(last.klToFinal()),
                    top == null ? "" : quote(TextFormat.visible(top.token())), top == null ? "" : num(top.prob())));
            lines.add(String.join(",", cells));
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** The header for more than two labels: the two-label columns per label name. */
    private static String header(LabelTrajectory t) {
        List<String> names = t.labelNames();
        List<String> cols = new ArrayList<>(List.of("layer", "name"));
        names.forEach(n -> cols.add("p_" + n));
        names.forEach(n -> cols.add("p_" + n + "_normalized"));
        names.forEach(n -> cols.add("p_" + n + "_calibrated"));
        cols.addAll(List.of("prediction", "correct"));
        names.forEach(n -> cols.add("rank_" + n));
        cols.addAll(List.of("entropy", "kl_to_final", "top1_token", "top1_prob"));
        return String.join(",", cols);
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
        if (result.lenses().several()) {
            // every further lens's analysis, as inspect writes one, by lens key; the top level is the primary lens's
            JsonObject lenses = new JsonObject();
            result.lenses().comparison().runs().forEach((lens, analysis) -> {
                if (analysis != result.analysis()) {
                    lenses.add(lens.key(), AnalysisJson.report(analysis, false));
                }
            });
            root.add("lenses", lenses);
            if (!result.lenses().note().isEmpty()) {
                root.addProperty("lens_note", result.lenses().note());
            }
        }
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
