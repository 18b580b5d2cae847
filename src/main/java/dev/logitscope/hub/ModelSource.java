package dev.logitscope.hub;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a model's files are.
 *
 * @param name    what to call the model in the UI and in results: the short name (gpt2), the
 *                repo id, or the folder name
 * @param folder  the folder holding the model files (see {@link ModelRepoFiles})
 * @param fromHub true when the folder is a snapshot in the Hugging Face cache
 */
public record ModelSource(String name, Path folder, boolean fromHub) {

    public ModelSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(folder, "folder");
    }
}
