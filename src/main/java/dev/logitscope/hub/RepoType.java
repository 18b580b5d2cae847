package dev.logitscope.hub;

import java.util.Locale;

/**
 * The kinds of Hub repository, named as huggingface_hub names them. A dataset or Space is given to
 * this package qualified as the Hub's URLs qualify it ({@code REPO_TYPES_URL_PREFIXES}):
 * {@code spaces/org/name} resolves at {@code {endpoint}/spaces/org/name/resolve/{revision}/{file}}
 * and is cached in {@code spaces--org--name} ({@code repo_folder_name}); a model id stays {@code org/name}
 * (or a bare name), cached in {@code models--org--name}.
 */
public enum RepoType {
    MODEL(""),
    DATASET("datasets/"),
    SPACE("spaces/");

    private final String urlPrefix;

    RepoType(String urlPrefix) {
        this.urlPrefix = urlPrefix;
    }

    /** The id this package and the Hub's URLs use: {@code spaces/org/name} for a Space. */
    public String qualify(String repoId) {
        return urlPrefix + repoId;
    }

    /** The type of a qualified id. */
    public static RepoType of(String qualifiedId) {
        for (RepoType type : new RepoType[] {DATASET, SPACE}) {
            if (qualifiedId.startsWith(type.urlPrefix)) {
                return type;
            }
        }
        return MODEL;
    }

    /** {@code repo_folder_name}: {@code {type}s--org--name}. */
    static String folderName(String qualifiedId) {
        RepoType type = of(qualifiedId);
        String bare = qualifiedId.substring(type.urlPrefix.length());
        return type.name().toLowerCase(Locale.ROOT) + "s--" + bare.replace("/", "--");
    }
}
