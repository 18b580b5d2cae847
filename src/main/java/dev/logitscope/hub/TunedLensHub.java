package dev.logitscope.hub;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * Published tuned lenses, fetched by name as tuned-lens's {@code load_lens_artifacts} fetches them:
 * {@code lens/{name}/params.pt} and {@code lens/{name}/config.json} of the Hugging Face Space
 * {@code AlignmentResearch/tuned-lens} at revision {@code main} ({@code TUNED_LENS_REPO_ID} and
 * {@code TUNED_LENS_REPO_TYPE} override the repository, as there), into the shared cache
 * ({@code spaces--AlignmentResearch--tuned-lens}), offline from the cache. {@code name} is the
 * model's name as tuned-lens names it (its {@code name_or_path}: {@code gpt2},
 * {@code EleutherAI/pythia-160m-deduped}, …); on the command line {@code tuned:NAME}.
 */
public final class TunedLensHub {
    /** How a hub lens is spelled where a lens folder could be given. */
    public static final String PREFIX = "tuned:";
    public static final String DEFAULT_REPO = "AlignmentResearch/tuned-lens";
    public static final String REVISION = "main";
    static final String SUBFOLDER = "lens";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*");

    private final HubClient client;
    private final String repoId;

    /** The published Space, or the repository {@code TUNED_LENS_REPO_ID}/{@code _TYPE} name in {@code env}. */
    public TunedLensHub(HubClient client, Map<String, String> env) throws HubException {
        this.client = Objects.requireNonNull(client, "client");
        String repo = env.getOrDefault("TUNED_LENS_REPO_ID", "");
        String type = env.getOrDefault("TUNED_LENS_REPO_TYPE", "");
        RepoType kind = switch (type.isBlank() ? "space" : type.strip().replaceAll("s$", "")) {
            case "space" -> RepoType.SPACE;
            case "model" -> RepoType.MODEL;
            case "dataset" -> RepoType.DATASET;
            default -> throw new HubException("TUNED_LENS_REPO_TYPE is '" + type + "'; it must be space, model or dataset.");
        };
        this.repoId = kind.qualify(repo.isBlank() ? DEFAULT_REPO : repo.strip());
    }

    /** Whether a lens argument names a published lens ({@code tuned:NAME}). */
    public static boolean isHubName(String arg) {
        return arg != null && arg.startsWith(PREFIX);
    }

    /** The repository fetched from, qualified ({@code spaces/AlignmentResearch/tuned-lens}). */
    public String repoId() {
        return repoId;
    }

    /**
     * Makes sure the lens {@code name} is in the cache and returns its folder
     * ({@code …/snapshots/{commit}/lens/{name}}, holding config.json and params.pt).
     */
    public Path fetch(String name, DownloadListener listener, BooleanSupplier cancelled) throws HubException {
        String folder = SUBFOLDER + "/" + checkName(name);
        // params.pt first, as load_lens_artifacts asks for it first
        List<String> files = List.of(folder + "/params.pt", folder + "/config.json");
        HubErrors.Advice advice = new HubErrors.Advice("./logitscope download " + PREFIX + name,
                "give --lens the path of a folder holding the lens's config.json and params.pt");
        try {
            return client.fetch(repoId, REVISION, files, listener, cancelled, advice).resolve(folder);
        } catch (MissingEntryException e) {
            throw new HubException("No published tuned lens named '" + name + "': " + repoId + " has no " + folder
                    + "/ (" + e.getMessage().replaceFirst(" Check the model name.*", "") + "). The name is the model's"
                    + " as tuned-lens names it (e.g. gpt2, gpt2-large, EleutherAI/pythia-160m-deduped); see the folder"
                    + " 'lens' of " + client.settings().endpoint() + "/" + repoId + ", or give --lens a local folder.");
        }
    }

    private static String checkName(String name) throws HubException {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new HubException("'" + name + "' is not a tuned lens name: give the model's name as tuned-lens"
                    + " names it, e.g. " + PREFIX + "gpt2 or " + PREFIX + "EleutherAI/pythia-160m-deduped.");
        }
        return name;
    }
}
