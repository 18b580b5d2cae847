package dev.logitscope.eval;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A model to evaluate, already found on disk (the CLI resolves hub names; eval never downloads).
 *
 * @param name   how results name it
 * @param folder the model folder (config.json, weights, tokenizer files)
 */
public record ModelRef(String name, Path folder) {
    public ModelRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(folder, "folder");
    }
}
