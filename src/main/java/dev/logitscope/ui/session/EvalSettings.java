package dev.logitscope.ui.session;

/**
 * The Evaluate tab's settings as the session keeps them (text fields as typed, so a half-typed
 * value survives a restart too).
 *
 * @param dataset     a dataset file or aclImdb folder, "" for none yet
 * @param format      "auto" or a dataset format key
 * @param limit       at most this many examples, "" for all
 * @param sample      a random sample of this many, "" for none
 * @param sampleSeed  the sample's seed
 * @param skipBad     skip malformed lines instead of stopping
 * @param loadedModel evaluate the model loaded in the model bar
 * @param otherModels more models, comma-separated catalog names, repo ids or folders
 * @param shots       demonstration counts, comma-separated
 * @param seeds       demonstration seeds per setting
 * @param method      next-token | loss
 * @param out         the output folder, "" for a fresh one under the default place
 * @param train       where demonstrations come from: a training split file, "" for the built-in pool
 * @param textCol     the text column of a CSV/TSV/JSONL file, "" for the usual names
 * @param labelCol    the label column, "" for the usual names
 * @param labelMap    label values as value=label pairs, "" for the usual values
 * @param order       the demonstrations' order in the prompt: alternating | shuffled
 */
public record EvalSettings(String dataset, String format, String limit, String sample, long sampleSeed, boolean skipBad,
        boolean loadedModel, String otherModels, String template, String shots, boolean correct, boolean flipped,
        boolean random, int seeds, String method, boolean calibrate, String out, String train, String textCol,
        String labelCol, String labelMap, String order) {

    public EvalSettings {
        dataset = orEmpty(dataset);
        format = format == null || format.isBlank() ? "auto" : format;
        limit = orEmpty(limit);
        sample = orEmpty(sample);
        otherModels = orEmpty(otherModels);
        template = template == null || template.isBlank() ? "seed-notebook" : template;
        shots = shots == null || shots.isBlank() ? "0,4" : shots;
        seeds = Math.max(1, seeds);
        method = method == null || method.isBlank() ? "next-token" : method;
        out = orEmpty(out);
        train = orEmpty(train);
        textCol = orEmpty(textCol);
        labelCol = orEmpty(labelCol);
        labelMap = orEmpty(labelMap);
        order = order == null || order.isBlank() ? "alternating" : order;
    }

    /** One click on Run evaluates the loaded model, 0 and 4 shots, correct and flipped labels. */
    public static EvalSettings defaults() {
        return new EvalSettings("", "auto", "", "", 0, false, true, "", null, "0,4", true, true, false, 1, "next-token",
                false, "", "", "", "", "", "alternating");
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
