package dev.logitscope.ui.session;

/**
 * The Fine-tune tab's settings as the session keeps them (text fields as typed, so a half-typed
 * value survives a restart too). Defaults are the {@code finetune} command's.
 *
 * @param model           the base model folder or name, "" for the model loaded in the model bar
 * @param dev             "" for no dev set
 * @param objective       classifier | lm
 * @param template        the LM template, "" for the seed's
 * @param blockSize       N | row, "" for the default (128)
 * @param lossOn          all | label
 * @param trainableBlocks N | all, "" for the objective's default (classifier 2, lm all)
 * @param out             the output folder, "" for a fresh one under the default place
 */
public record FineTuneSettings(String model, String train, String dev, String objective, String template, String blockSize,
        String lossOn, String trainableBlocks, String epochs, String batch, String learningRate, String seed, String out) {

    public FineTuneSettings {
        model = orEmpty(model);
        train = orEmpty(train);
        dev = orEmpty(dev);
        objective = "lm".equals(objective) ? "lm" : "classifier";
        template = orEmpty(template);
        blockSize = orEmpty(blockSize);
        lossOn = "label".equals(lossOn) ? "label" : "all";
        trainableBlocks = orEmpty(trainableBlocks);
        epochs = orDefault(epochs, "3");
        batch = orDefault(batch, "16");
        learningRate = orDefault(learningRate, "5e-5");
        seed = orDefault(seed, "42");
        out = orEmpty(out);
    }

    public static FineTuneSettings defaults() {
        return new FineTuneSettings("", "", "", "classifier", "", "", "all", "", "3", "16", "5e-5", "42", "");
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String orDefault(String s, String fallback) {
        return s == null || s.isBlank() ? fallback : s;
    }
}
