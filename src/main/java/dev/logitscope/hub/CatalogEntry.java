package dev.logitscope.hub;

/**
 * A model the app knows by a short name, with the figures shown before a download.
 *
 * @param shortName        the name users type, e.g. {@code gpt2-large}
 * @param repoId           the Hub repository, e.g. {@code openai-community/gpt2-large}
 * @param family           config.json's {@code model_type}: {@code gpt2}, {@code gpt_neo}, {@code opt}
 * @param layers           transformer blocks
 * @param width            hidden size (n_embd)
 * @param heads            attention heads per block
 * @param parameters       parameter count
 * @param downloadBytes    approximate size of the weight file the Hub serves (fp32 safetensors for
 *                         GPT-2 and GPT-Neo, fp16 {@code pytorch_model.bin} for OPT)
 */
public record CatalogEntry(String shortName, String repoId, String family, int layers, int width, int heads,
                           long parameters, long downloadBytes) {

    public CatalogEntry {
        if (shortName == null || shortName.isBlank() || repoId == null || !repoId.contains("/")) {
            throw new IllegalArgumentException("catalog entry needs a short name and an org/name repo id");
        }
        if (family == null || family.isBlank()) {
            throw new IllegalArgumentException("catalog entry " + shortName + " needs its model_type");
        }
        if (layers <= 0 || width <= 0 || heads <= 0 || width % heads != 0) {
            throw new IllegalArgumentException("bad shape for " + shortName);
        }
    }
}
