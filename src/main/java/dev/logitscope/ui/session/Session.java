package dev.logitscope.ui.session;

import java.util.List;

/**
 * What the app remembers between runs: the model, the prompt settings, the review and the look.
 * Every field has a default, so a session file from an older version (or none) still loads.
 *
 * @param model        the last model loaded (a catalog name, repo id or folder), or "" for none
 * @param recentModels most recent first
 * @param template     built-in template name
 * @param shots        demonstrations before the query (0 = zero-shot)
 * @param fewK         the k remembered for few-shot, kept while the user switches to zero/one
 * @param demoLabels   correct | flipped | random
 * @param positiveWord the positive label word, leading space included; "" for the template's
 * @param negativeWord the negative label word; "" for the template's
 * @param gold         positive | negative | "" (no gold label)
 * @param calibrate    contextual calibration on
 * @param review       the review in the editor
 * @param theme        light | dark
 * @param logScale     heatmap probabilities on a log scale
 * @param evaluate     the Evaluate tab's settings
 * @param demoSeed     which demonstrations the pool gives (and the labels "random" shows)
 * @param view         the window: place, size, splits, tabs, Compare
 * @param lenses       the lenses offered in the prompt setup and which are ticked (missing in old sessions: logit)
 * @param finetune     the Fine-tune tab's settings
 */
public record Session(String model, List<String> recentModels, String template, int shots, int fewK,
        String demoLabels, String positiveWord, String negativeWord, String gold, boolean calibrate,
        String review, String theme, boolean logScale, EvalSettings evaluate, long demoSeed, ViewSettings view,
        LensSettings lenses, FineTuneSettings finetune) {

    public static final int MAX_RECENT = 8;

    public Session {
        model = orEmpty(model);
        recentModels = recentModels == null ? List.of() : List.copyOf(recentModels);
        template = template == null || template.isBlank() ? "seed-notebook" : template;
        shots = Math.max(0, shots);
        fewK = fewK < 2 ? 4 : fewK;
        demoLabels = demoLabels == null || demoLabels.isBlank() ? "correct" : demoLabels;
        positiveWord = orEmpty(positiveWord);
        negativeWord = orEmpty(negativeWord);
        gold = orEmpty(gold);
        review = orEmpty(review);
        theme = theme == null || theme.isBlank() ? "light" : theme;
        evaluate = evaluate == null ? EvalSettings.defaults() : evaluate;
        view = view == null ? ViewSettings.defaults() : view;
        lenses = lenses == null ? LensSettings.defaults() : lenses;
        finetune = finetune == null ? FineTuneSettings.defaults() : finetune;
    }

    /** A session with the Fine-tune tab's defaults. */
    public Session(String model, List<String> recentModels, String template, int shots, int fewK,
            String demoLabels, String positiveWord, String negativeWord, String gold, boolean calibrate,
            String review, String theme, boolean logScale, EvalSettings evaluate, long demoSeed, ViewSettings view,
            LensSettings lenses) {
        this(model, recentModels, template, shots, fewK, demoLabels, positiveWord, negativeWord, gold, calibrate,
                review, theme, logScale, evaluate, demoSeed, view, lenses, null);
    }

    /** A session with the logit lens alone. */
    public Session(String model, List<String> recentModels, String template, int shots, int fewK,
            String demoLabels, String positiveWord, String negativeWord, String gold, boolean calibrate,
            String review, String theme, boolean logScale, EvalSettings evaluate, long demoSeed, ViewSettings view) {
        this(model, recentModels, template, shots, fewK, demoLabels, positiveWord, negativeWord, gold, calibrate,
                review, theme, logScale, evaluate, demoSeed, view, null);
    }

    /** A session with the window's defaults. */
    public Session(String model, List<String> recentModels, String template, int shots, int fewK,
            String demoLabels, String positiveWord, String negativeWord, String gold, boolean calibrate,
            String review, String theme, boolean logScale, EvalSettings evaluate, long demoSeed) {
        this(model, recentModels, template, shots, fewK, demoLabels, positiveWord, negativeWord, gold, calibrate,
                review, theme, logScale, evaluate, demoSeed, null);
    }

    /** A session with the Evaluate tab's defaults. */
    public Session(String model, List<String> recentModels, String template, int shots, int fewK,
            String demoLabels, String positiveWord, String negativeWord, String gold, boolean calibrate,
            String review, String theme, boolean logScale) {
        this(model, recentModels, template, shots, fewK, demoLabels, positiveWord, negativeWord, gold, calibrate,
                review, theme, logScale, null, 0);
    }

    public Session withEvaluate(EvalSettings settings) {
        return new Session(model, recentModels, template, shots, fewK, demoLabels, positiveWord, negativeWord, gold,
                calibrate, review, theme, logScale, settings, demoSeed, view, lenses, finetune);
    }

    public Session withView(ViewSettings settings) {
        return new Session(model, recentModels, template, shots, fewK, demoLabels, positiveWord, negativeWord, gold,
                calibrate, review, theme, logScale, evaluate, demoSeed, settings, lenses, finetune);
    }

    public Session withLenses(LensSettings settings) {
        return new Session(model, recentModels, template, shots, fewK, demoLabels, positiveWord, negativeWord, gold,
                calibrate, review, theme, logScale, evaluate, demoSeed, view, settings, finetune);
    }

    public Session withFinetune(FineTuneSettings settings) {
        return new Session(model, recentModels, template, shots, fewK, demoLabels, positiveWord, negativeWord, gold,
                calibrate, review, theme, logScale, evaluate, demoSeed, view, lenses, settings);
    }

    public static Session defaults() {
        return new Session("", List.of(), null, 0, 4, null, "", "", "", false, "", "light", false, null, 0, null, null, null);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
