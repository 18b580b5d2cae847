package dev.logitscope.eval;

import dev.logitscope.lens.FitData;
import dev.logitscope.tokenize.Gpt2Tokenizer;
import dev.logitscope.tokenize.Token;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The text a lens is fitted on, as token documents: a dataset the eval readers know (SST-2, GLUE,
 * IMDB, CSV, TSV, JSONL: each example's text is one document), else plain UTF-8 text (its lines
 * run on, cut into windows of {@link #TEXT_WINDOW} tokens). Each document starts with the BOS the
 * model's tokenizer adds, if any, and is at most the model's context long (longer ones are cut).
 * Up to {@code maxTokens} tokens are taken in file order; every ⌈1/fraction⌉-th document or so is
 * held out (document k when ⌊(k+1)·f⌋ > ⌊k·f⌋), so both parts spread over the file.
 *
 * @param format "text" or the dataset format's name
 */
public record LensFitText(FitData data, String format, int documents, boolean truncated) {
    /** Tokens per window of plain text: long enough for context, short enough to pack several in a pass. */
    public static final int TEXT_WINDOW = 256;

    public static LensFitText read(Path file, Gpt2Tokenizer tokenizer, int context, long maxTokens, double heldOut) {
        if (!Files.isRegularFile(file) && !Files.isDirectory(file)) {
            throw noData(file);
        }
        int[] prefix = tokenizer.promptPrefix().stream().mapToInt(Token::id).toArray();
        int room = context - prefix.length;
        if (room < 1) {
            throw new LensFitException(null, w -> "The model's context (" + context + ") leaves no room for text.");
        }
        DatasetFormat format = datasetFormat(file);
        List<int[]> documents = new ArrayList<>();
        long[] budget = {maxTokens};
        if (format != null) {
            Dataset dataset;
            try {
                dataset = DatasetReader.read(DatasetSpec.of(file).withFormat(format));
            } catch (EvalException e) {
                throw new LensFitException(LensFitInput.DATA, w -> e.message(w.dataset()));
            }
            for (Example example : dataset.examples()) {
                if (budget[0] <= 0) {
                    break;
                }
                cut(tokenizer.encodeIds(example.text()), prefix, room, documents, budget);
            }
        } else {
            cut(textIds(file, tokenizer, maxTokens), prefix, Math.min(room, TEXT_WINDOW), documents, budget);
        }
        if (documents.isEmpty()) {
            throw new LensFitException(LensFitInput.DATA, w -> file + " holds no text to fit a lens on; give a file with text in it.");
        }
        List<int[]> train = new ArrayList<>();
        List<int[]> held = new ArrayList<>();
        for (int k = 0; k < documents.size(); k++) {
            (Math.floor((k + 1) * heldOut) > Math.floor(k * heldOut) ? held : train).add(documents.get(k));
        }
        if (train.isEmpty() || held.isEmpty()) {
            int count = documents.size();
            throw new LensFitException(LensFitInput.DATA, w -> file + " gives " + count + " document" + (count == 1 ? "" : "s")
                    + String.format(Locale.ROOT, " in all: too few to fit on %.0f %% and hold out %.0f %%;", 100 * (1 - heldOut),
                    100 * heldOut) + " give more text (or a larger " + w.name(LensFitInput.MAX_TOKENS) + ").");
        }
        return new LensFitText(new FitData(train, held), format == null ? "text" : format.key(), documents.size(),
                budget[0] <= 0);
    }

    /** The dataset format of {@code file}, or null for plain text (a .txt file, or one no reader recognises). */
    private static DatasetFormat datasetFormat(Path file) {
        if (Files.isRegularFile(file) && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt")) {
            return null;
        }
        try {
            return DatasetFormat.detect(file);
        } catch (EvalException e) {
            return null;
        }
    }

    /** Appends {@code ids} as documents of at most {@code room} tokens after {@code prefix}, within the budget. */
    private static void cut(int[] ids, int[] prefix, int room, List<int[]> documents, long[] budget) {
        for (int from = 0; from < ids.length && budget[0] > prefix.length; from += room) {
            int take = (int) Math.min(Math.min(room, ids.length - from), budget[0] - prefix.length);
            int[] doc = Arrays.copyOf(prefix, prefix.length + take);
            System.arraycopy(ids, from, doc, prefix.length, take);
            documents.add(doc);
            budget[0] -= doc.length;
        }
    }

    /** Plain text, line by line (a line keeps its line break), up to about the budget's worth of tokens. */
    /** The message for a data path with nothing there. */
    static LensFitException noData(Path file) {
        return new LensFitException(LensFitInput.DATA, w -> "No data file at " + file + ": give a text file or a dataset"
                + " (e.g. stsa.binary.train) in " + w.name(LensFitInput.DATA) + ".");
    }

    private static int[] textIds(Path file, Gpt2Tokenizer tokenizer, long maxTokens) {
        List<int[]> pieces = new ArrayList<>();
        long total = 0;
        boolean any = false;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            boolean first = true;
            while (total < maxTokens && (line = reader.readLine()) != null) {
                if (first && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                first = false;
                any |= !line.isBlank();
                int[] ids = tokenizer.encodeIds(line + "\n");
                pieces.add(ids);
                total += ids.length;
            }
        } catch (CharacterCodingException e) {
            throw new LensFitException(LensFitInput.DATA, w -> file + " is not UTF-8 text; convert it to UTF-8.");
        } catch (IOException e) {
            throw new LensFitException(LensFitInput.DATA, w -> "Cannot read " + file + ": " + e.getMessage());
        }
        if (!any) {
            return new int[0];
        }
        int[] all = new int[(int) Math.min(total, Integer.MAX_VALUE - 8)];
        int at = 0;
        for (int[] ids : pieces) {
            int take = Math.min(ids.length, all.length - at);
            System.arraycopy(ids, 0, all, at, take);
            at += take;
        }
        return all;
    }
}
