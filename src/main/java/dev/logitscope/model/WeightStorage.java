package dev.logitscope.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where loaded weights live. Python's {@code save_file} / {@code save_pretrained} truncate and
 * rewrite {@code model.safetensors} in place; weights that map such a file change under the model
 * and crash the JVM (SIGBUS) the moment a page past the new end is touched. So only files that are
 * never rewritten are mapped: the Hugging Face cache's, whose snapshot files are links to
 * content-addressed blobs that its tools replace by rename, never in place.
 */
public enum WeightStorage {
    /** Pages of the file itself: no copy and no read at load, but valid only while the file is intact. */
    MAPPED,
    /** Read into memory the model owns (libtorch's): the file may change or vanish afterwards. */
    IN_MEMORY;

    /**
     * Overrides the choice for every checkpoint: {@code mapped} (a local folder you know is never
     * rewritten, to save the read) or {@code memory}; unset or {@code auto} chooses by location.
     */
    public static final String PROPERTY = "logitscope.weights";

    /** The storage for {@code file} (a model.safetensors), honouring {@link #PROPERTY}. */
    public static WeightStorage forCheckpoint(Path file) throws ModelException {
        String chosen = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        return switch (chosen) {
            case "mapped" -> MAPPED;
            case "memory" -> IN_MEMORY;
            case "auto", "" -> isHubSnapshot(file) ? MAPPED : IN_MEMORY;
            default -> throw new ModelException("-D" + PROPERTY + "=" + chosen
                    + " is not one of auto, mapped, memory; fix or remove it.");
        };
    }

    /**
     * True for {@code …/models--{org}--{name}/snapshots/{revision}/{file}} whose real file lies in
     * that repository folder's {@code blobs/} (the link huggingface_hub makes) or is the snapshot
     * file itself (the copy it makes where links are refused).
     */
    static boolean isHubSnapshot(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path revision = absolute.getParent();
        Path snapshots = revision == null ? null : revision.getParent();
        Path repo = snapshots == null ? null : snapshots.getParent();
        if (repo == null || repo.getFileName() == null
                || !snapshots.getFileName().toString().equals("snapshots")
                || !repo.getFileName().toString().startsWith("models--")) {
            return false;
        }
        try {
            Path real = absolute.toRealPath();
            Path realRepo = repo.toRealPath();
            return real.startsWith(realRepo.resolve("blobs")) || real.startsWith(realRepo.resolve("snapshots"));
        } catch (IOException e) {
            return false; // the load that follows reports the missing file
        }
    }
}
