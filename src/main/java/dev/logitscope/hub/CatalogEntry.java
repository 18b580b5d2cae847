package dev.logitscope.hub;

/**
 * A model the app knows by a short name, with the figures shown before a download.
 *
 * @param shortName        the name users type, e.g. {@code gpt2-large}
 * @param repoId           the Hub repository, e.g. {@code openai-community/gpt2-large}
 * @param layers           transformer blocks
 * @param width            hidden size (n_embd)
 * @param heads            attention heads per block
 * @param parameters       parameter count
 * @param safetensorsBytes approximate size of {@code model.safetensors}
 */
public record CatalogEntry(String shortName, String repoId, int layers, int width, int heads,
                           long parameters, long safetensorsBytes) {

    public CatalogEntry {
        if (shortName == null || shortName.isBlank() || repoId == null || !repoId.contains("/")) {
            throw new IllegalArgumentException("catalog entry needs a short name and an org/name repo id");
        }
        if (layers <= 0 || width <= 0 || heads <= 0 || width % heads != 0) {
            throw new IllegalArgumentException("bad shape for " + shortName);
        }
    }
}
