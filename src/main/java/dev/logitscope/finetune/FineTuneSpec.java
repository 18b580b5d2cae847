package dev.logitscope.finetune;

import dev.logitscope.train.FineTuneInput;
import java.nio.file.Path;
import java.util.Set;

/**
 * A fine-tuning run as a user asked for it, on any surface: the {@code finetune} command's options
 * or the Fine-tune tab's fields. Texts a user types that have a default ("N" or "all", "N" or
 * "row", "all" or "label") stay texts here, so both surfaces parse them alike in {@link FineTuneJob}.
 *
 * @param model           the base model as named (a folder or a hub id), null with {@code randomInit}
 * @param randomInit      a {@link dev.logitscope.train.FineTuneRun#randomInitShape} name, or null
 * @param tokenizer       the tokenizer folder for {@code randomInit}, else null
 * @param dev             null for no dev set
 * @param objective       classifier | lm
 * @param template        the LM template ({@code \n} may be written as backslash-n), null for the default
 * @param blockSize       "N" or "row", null for the default
 * @param lossOn          "all" or "label", null for the default
 * @param trainableBlocks "N" or "all", null for the objective's default
 * @param given           inputs the user set explicitly: a resume refuses them (the record decides)
 * @param dropout         the dropout probability at every site, null for the model config's (as transformers trains)
 */
public record FineTuneSpec(String model, String randomInit, Path tokenizer, Path train, Path dev, String objective,
        String template, String blockSize, String lossOn, String trainableBlocks, int epochs, int batch, double learningRate,
        double weightDecay, double warmupRatio, double clipNorm, long seed, Path out, boolean resume,
        Set<FineTuneInput> given, Double dropout) {

    public static final String CLASSIFIER = "classifier";
    public static final String LM = "lm";

    public FineTuneSpec {
        objective = objective == null ? CLASSIFIER : objective;
        given = given == null ? Set.of() : Set.copyOf(given);
    }

    /** A run with the model config's dropout. */
    public FineTuneSpec(String model, String randomInit, Path tokenizer, Path train, Path dev, String objective,
            String template, String blockSize, String lossOn, String trainableBlocks, int epochs, int batch,
            double learningRate, double weightDecay, double warmupRatio, double clipNorm, long seed, Path out, boolean resume,
            Set<FineTuneInput> given) {
        this(model, randomInit, tokenizer, train, dev, objective, template, blockSize, lossOn, trainableBlocks, epochs, batch,
                learningRate, weightDecay, warmupRatio, clipNorm, seed, out, resume, given, null);
    }

    /** Continuing the run in {@code out}: everything else comes from its record. */
    public static FineTuneSpec resuming(Path out) {
        return new FineTuneSpec(null, null, null, null, null, CLASSIFIER, null, null, null, null, 1, 1, 1, 0, 0, 1, 0, out,
                true, Set.of());
    }
}
