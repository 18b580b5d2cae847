package dev.logitscope.lens;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Which lens reads a run's layers — a value carried by each request ({@link LensRequest},
 * {@code analysis.AnalysisRequest}), never engine state, so one loaded model can be read through
 * several lenses side by side and two surfaces asking for the same lens get the same numbers.
 *
 * <ul>
 *   <li>{@link Kind#LOGIT}: the plain logit lens — final norm, unembedding, softmax over the vocabulary;</li>
 *   <li>{@link Kind#FOLDER}: a learned lens in a folder — a tuned lens in tuned-lens's layout
 *       ({@code config.json} + {@code params.pt}) or an affine lens {@code fit-lens} wrote; applied
 *       to the residual before the same readout;</li>
 *   <li>{@link Kind#CLASSIFIER}: the classifier-head lens — final norm, then the model's {@code score}
 *       head, softmax over its classes ({@link ClassifierLens}); the review is read as it is.</li>
 * </ul>
 *
 * @param kind   which of the three
 * @param folder the lens folder (absolute, normalised) for {@link Kind#FOLDER}, else null
 */
public record LensChoice(Kind kind, Path folder) {

    public enum Kind { LOGIT, FOLDER, CLASSIFIER }

    public static final LensChoice LOGIT = new LensChoice(Kind.LOGIT, null);
    public static final LensChoice CLASSIFIER = new LensChoice(Kind.CLASSIFIER, null);

    public LensChoice {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.FOLDER) != (folder != null)) {
            throw new IllegalArgumentException("a folder lens needs its folder, and only it has one");
        }
        folder = folder == null ? null : folder.toAbsolutePath().normalize();
    }

    /** The learned lens in {@code folder}. */
    public static LensChoice folder(Path folder) {
        return new LensChoice(Kind.FOLDER, folder);
    }

    /** {@code logit}, {@code classifier}, or a folder path (a hub name such as tuned:gpt2 is resolved to its folder first). */
    public static LensChoice parse(String text) {
        String t = text.strip();
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "logit" -> LOGIT;
            case "classifier" -> CLASSIFIER;
            default -> folder(Path.of(t));
        };
    }

    public boolean isLogit() {
        return kind == Kind.LOGIT;
    }

    public boolean isClassifier() {
        return kind == Kind.CLASSIFIER;
    }

    /**
     * A short key naming the lens in tables, JSON and plot legends: {@code logit},
     * {@code classifier}, or the lens folder's name.
     */
    public String key() {
        return switch (kind) {
            case LOGIT -> "logit";
            case CLASSIFIER -> "classifier";
            case FOLDER -> folder.getFileName() == null ? folder.toString() : folder.getFileName().toString();
        };
    }

    @Override
    public String toString() {
        return kind == Kind.FOLDER ? folder.toString() : key();
    }
}
