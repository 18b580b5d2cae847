package dev.logitscope.ui.finetune;

import dev.logitscope.train.TrainingProgress;
import dev.logitscope.ui.eval.ProgressLine;
import java.util.Locale;

/** The line beside the progress bar: epoch, step, the epoch's mean loss so far, examples/s and time left. */
public final class FineTuneProgressText {
    private FineTuneProgressText() {}

    public static String describe(TrainingProgress p) {
        return String.format(Locale.ROOT, "Epoch %d/%d · step %d/%d · loss %.4f · %.1f examples/s · %s left", p.epoch(),
                p.epochs(), p.batch(), p.batches(), p.meanLoss(), p.examplesPerSecond(),
                ProgressLine.duration(p.secondsLeft()));
    }
}
