package dev.logitscope.finetune;

import dev.logitscope.eval.Dataset;
import dev.logitscope.eval.DatasetReader;
import dev.logitscope.eval.DatasetSpec;
import dev.logitscope.eval.EvalException;
import dev.logitscope.eval.EvalWords;
import dev.logitscope.eval.Example;
import dev.logitscope.model.ModelFolder;
import dev.logitscope.tokenize.Gpt2Tokenizer;
import dev.logitscope.tokenize.Token;
import dev.logitscope.tokenize.TokenizerFiles;
import dev.logitscope.train.ClassifierObjective;
import dev.logitscope.train.DataSummary;
import dev.logitscope.train.Examples;
import dev.logitscope.train.FineTuneException;
import dev.logitscope.train.FineTuneInput;
import dev.logitscope.train.FineTuneRun;
import dev.logitscope.train.FineTuneWords;
import dev.logitscope.train.LmData;
import dev.logitscope.train.LmFormat;
import dev.logitscope.train.LmObjective;
import dev.logitscope.train.TrainingRecipe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * A run's data as the model reads it: the files read as {@code eval} reads datasets, tokenized by
 * the model's tokenizer. The classifier reads the review text as it is (no template), after only
 * the BOS the model's tokenizer config asks for (OPT's {@code </s>}; none for GPT-2 and GPT-Neo),
 * as transformers' {@code tokenizer(text)} gives it and as the classifier lens reads it back; the
 * LM reads each review formatted by its {@link LmFormat} (GPT-2: no BOS).
 */
final class FineTuneData {
    private FineTuneData() {}

    static FineTuneRun.Request request(Path modelFolder, String baseName, String randomInit, Path tokenizerFolder,
            Path trainFile, Path devFile, TrainingRecipe recipe, LmFormat lm, Path out, Consumer<String> notes) {
        ModelFolder files = new ModelFolder(tokenizerFolder);
        try (Gpt2Tokenizer tok = Gpt2Tokenizer.open(new TokenizerFiles(files.tokenizer(), files.vocab(), files.merges(),
                files.tokenizerConfig(), files.specialTokensMap(), files.addedTokens()))) {
            if (lm != null) {
                return lmRequest(modelFolder, baseName, randomInit, tokenizerFolder, trainFile, devFile, recipe, lm, tok, out,
                        notes);
            }
            Examples trainSet = examples(trainFile, FineTuneInput.TRAIN, tok);
            Examples devSet = devFile == null ? null : examples(devFile, FineTuneInput.DEV, tok);
            notes.accept(String.format(Locale.ROOT, "%d training examples (%d tokens)%s", trainSet.size(), trainSet.tokens(),
                    devSet == null ? "" : String.format(Locale.ROOT, ", %d dev examples", devSet.size())));
            return new FineTuneRun.Request(modelFolder, baseName, randomInit, tokenizerFolder, new ClassifierObjective(trainSet),
                    new DataSummary(trainFile.toString(), trainSet.size(), trainSet.tokens()),
                    devSet == null ? null : new ClassifierObjective(devSet),
                    devSet == null ? null : new DataSummary(devFile.toString(), devSet.size(), devSet.tokens()), recipe,
                    FineTuneJob.labels(), null, out);
        }
    }

    private static FineTuneRun.Request lmRequest(Path modelFolder, String baseName, String randomInit, Path tokenizerFolder,
            Path trainFile, Path devFile, TrainingRecipe recipe, LmFormat lm, Gpt2Tokenizer tok, Path out,
            Consumer<String> notes) {
        LmData trainSet = lmData(trainFile, FineTuneInput.TRAIN, lm, tok);
        LmData devSet = devFile == null ? null : lmData(devFile, FineTuneInput.DEV, lm, tok);
        LmObjective trainObjective = new LmObjective(trainSet);
        LmObjective devObjective = devSet == null ? null : new LmObjective(devSet);
        notes.accept(String.format(Locale.ROOT, "%d training examples as %d sequences (%s, %d tokens, loss on %s: %d targets)%s",
                trainSet.examples().length, trainObjective.size(), lm.layoutText(), trainObjective.tokens(), lm.lossOn().text(),
                trainSet.targetCount(), devSet == null ? ""
                        : String.format(Locale.ROOT, ", %d dev examples", devSet.examples().length)));
        return new FineTuneRun.Request(modelFolder, baseName, randomInit, tokenizerFolder, trainObjective,
                new DataSummary(trainFile.toString(), trainObjective.size(), trainObjective.tokens()), devObjective,
                devSet == null ? null : new DataSummary(devFile.toString(), devObjective.size(), devObjective.tokens()), recipe,
                FineTuneJob.labels(), lm, out);
    }

    private static LmData lmData(Path file, FineTuneInput input, LmFormat lm, Gpt2Tokenizer tokenizer) {
        List<Example> list = read(file, input);
        List<String> reviews = new ArrayList<>();
        int[] labels = new int[list.size()];
        for (int i = 0; i < list.size(); i++) {
            reviews.add(list.get(i).text());
            labels[i] = FineTuneJob.LABELS.indexOf(list.get(i).gold().key());
        }
        try {
            // Each example as transformers' tokenizer(text) gives it: OPT's BOS first, as run_clm tokenizes.
            return LmData.of(reviews, labels, FineTuneJob.LABELS, lm,
                    text -> tokenizer.encodePrompt(text).stream().mapToInt(Token::id).toArray());
        } catch (IllegalArgumentException e) {
            throw new FineTuneException(input, file + ": " + e.getMessage() + ".");
        }
    }

    private static List<Example> read(Path file, FineTuneInput input) {
        Dataset dataset;
        try {
            dataset = DatasetReader.read(DatasetSpec.of(file));
        } catch (EvalException e) {
            // the reader's own words: eval's options on the command line, plain words elsewhere
            throw new FineTuneException(input, w -> e.message(w == FineTuneWords.OPTIONS ? EvalWords.OPTIONS : EvalWords.PLAIN));
        }
        List<Example> list = dataset.examples();
        if (list.isEmpty()) {
            throw new FineTuneException(input, file + " holds no labelled examples.");
        }
        return list;
    }

    private static Examples examples(Path file, FineTuneInput input, Gpt2Tokenizer tokenizer) {
        List<Example> list = read(file, input);
        int[][] ids = new int[list.size()][];
        int[] labels = new int[list.size()];
        for (int i = 0; i < list.size(); i++) {
            Example e = list.get(i);
            List<Token> tokens = tokenizer.encodePrompt(e.text());
            ids[i] = tokens.stream().mapToInt(Token::id).toArray();
            if (tokens.stream().allMatch(Token::special)) { // nothing but the BOS
                throw new FineTuneException(input, file + ": example " + e.id() + " has no text; remove it.");
            }
            labels[i] = FineTuneJob.LABELS.indexOf(e.gold().key());
        }
        return new Examples(ids, labels);
    }
}
