package dev.logitscope.hub;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The GPT-2 family by short name. Sizes of {@code model.safetensors} are approximate, for display before a download. */
public final class ModelCatalog {

    private static final List<CatalogEntry> ENTRIES = List.of(
            new CatalogEntry("distilgpt2", "distilbert/distilgpt2", 6, 768, 12, 81_912_576L, 352_824_413L),
            new CatalogEntry("gpt2", "openai-community/gpt2", 12, 768, 12, 124_439_808L, 548_105_171L),
            new CatalogEntry("gpt2-medium", "openai-community/gpt2-medium", 24, 1024, 16, 354_823_168L, 1_519_984_952L),
            new CatalogEntry("gpt2-large", "openai-community/gpt2-large", 36, 1280, 20, 774_030_080L, 3_247_040_512L),
            new CatalogEntry("gpt2-xl", "openai-community/gpt2-xl", 48, 1600, 25, 1_557_611_200L, 6_431_829_964L));

    private ModelCatalog() {
    }

    /** All entries, smallest first. */
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
