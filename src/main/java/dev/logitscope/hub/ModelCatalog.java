package dev.logitscope.hub;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The models of the seed studies by short name: GPT-2 small…xl (and distilgpt2), GPT-Neo 125M/1.3B
 * and OPT 125M…2.7B, the inverse-scaling comparison's ten. Parameter counts are exact (computed
 * from each config's shapes); download sizes are approximate, for display before a download.
 */
public final class ModelCatalog {

    private static final List<CatalogEntry> ENTRIES = List.of(
            new CatalogEntry("distilgpt2", "distilbert/distilgpt2", "gpt2", 6, 768, 12, 81_912_576L, 352_824_413L),
            new CatalogEntry("gpt2", "openai-community/gpt2", "gpt2", 12, 768, 12, 124_439_808L, 548_105_171L),
            new CatalogEntry("gpt2-medium", "openai-community/gpt2-medium", "gpt2", 24, 1024, 16, 354_823_168L, 1_519_984_952L),
            new CatalogEntry("gpt2-large", "openai-community/gpt2-large", "gpt2", 36, 1280, 20, 774_030_080L, 3_247_040_512L),
            new CatalogEntry("gpt2-xl", "openai-community/gpt2-xl", "gpt2", 48, 1600, 25, 1_557_611_200L, 6_431_829_964L),
            new CatalogEntry("gpt-neo-125m", "EleutherAI/gpt-neo-125m", "gpt_neo", 12, 768, 12, 125_198_592L, 526_000_000L),
            new CatalogEntry("gpt-neo-1.3b", "EleutherAI/gpt-neo-1.3B", "gpt_neo", 24, 2048, 16, 1_315_575_808L, 5_310_000_000L),
            new CatalogEntry("opt-125m", "facebook/opt-125m", "opt", 12, 768, 12, 125_239_296L, 251_000_000L),
            new CatalogEntry("opt-350m", "facebook/opt-350m", "opt", 24, 1024, 16, 331_196_416L, 663_000_000L),
            new CatalogEntry("opt-1.3b", "facebook/opt-1.3b", "opt", 24, 2048, 32, 1_315_758_080L, 2_630_000_000L),
            new CatalogEntry("opt-2.7b", "facebook/opt-2.7b", "opt", 32, 2560, 32, 2_651_596_800L, 5_300_000_000L));

    private ModelCatalog() {
    }

    /** All entries, by family (GPT-2 first), smallest first within a family. */
    public static List<CatalogEntry> entries() {
        return ENTRIES;
    }

    /** The entry for a short name or a repo id, ignoring case (Hub repo ids are case-insensitive). */
    public static Optional<CatalogEntry> find(String shortNameOrRepoId) {
        if (shortNameOrRepoId == null) {
            return Optional.empty();
        }
        String key = shortNameOrRepoId.trim().toLowerCase(Locale.ROOT);
        return ENTRIES.stream()
                .filter(e -> e.shortName().equals(key) || e.repoId().toLowerCase(Locale.ROOT).equals(key))
                .findFirst();
    }

    /** The repo id for a short name; anything else is returned unchanged (trimmed). */
    public static String repoIdFor(String nameOrRepoId) {
        return find(nameOrRepoId).map(CatalogEntry::repoId).orElse(nameOrRepoId.trim());
    }
}
