package dev.logitscope.hub;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Turns a {@code --model} argument into a folder of model files: an existing folder is used as
 * is; a short name ({@code gpt2}) or a repo id ({@code org/name}) is fetched through the Hub
 * cache. An argument that looks like a path but does not exist is reported as such rather than
 * being sent to the Hub as a name.
 */
public final class ModelLocator {


    /** The branch fetched for a name; a fixed commit could be pinned here later. */
    public static final String REVISION = "main";

    private final HubClient client;

    public ModelLocator(HubClient client) {
        this.client = Objects.requireNonNull(client, "client");
    }

    public ModelSource locate(String modelArg, DownloadListener listener, BooleanSupplier cancelled)
            throws HubException {
        if (modelArg == null || modelArg.isBlank()) {
            throw new HubException("no model given; pass a name such as gpt2 or distilgpt2, a Hub repo id "
                    + "org/name, or a folder holding " + ModelRepoFiles.NEEDS);
        }
        String arg = modelArg.trim();
        Path asPath = toPath(arg);
        if (asPath != null && Files.isDirectory(asPath)) {
            return fromFolder(asPath);
        }
        if (asPath != null && Files.exists(asPath)) {
            throw new HubException(asPath + " is a file, not a folder; pass the folder holding "
                    + ModelRepoFiles.NEEDS);
        }
        if (looksLikePath(arg)) {
            throw new HubException("no such folder: " + (asPath != null ? asPath.toAbsolutePath() : arg)
                    + ". Pass a folder holding " + ModelRepoFiles.NEEDS
                    + ", or a model name such as gpt2 or org/name from huggingface.co");
        }
        String repoId = ModelCatalog.repoIdFor(arg);
        Path folder = client.fetchModel(repoId, REVISION, listener, cancelled);
        String name = ModelCatalog.find(repoId).map(CatalogEntry::shortName).orElse(repoId);
        return new ModelSource(name, folder, true);
    }

    private static ModelSource fromFolder(Path folder) throws HubException {
        Path absolute = folder.toAbsolutePath().normalize();
        ModelRepoFiles.chooseInFolder(absolute, "or pass a model name such as gpt2 to download it.");
        Path fileName = absolute.getFileName();
        return new ModelSource(fileName == null ? absolute.toString() : fileName.toString(), absolute, false);
    }

    /**
     * A path-looking argument: starts with {@code .}, {@code /} or {@code ~}, ends with a
     * separator, has a backslash, a drive letter, or more than one slash. {@code org/name} does not.
     */
    static boolean looksLikePath(String arg) {
        long slashes = arg.chars().filter(c -> c == '/').count();
        return arg.startsWith(".") || arg.startsWith("/") || arg.startsWith("~")
                || arg.endsWith("/") || arg.contains("\\") || slashes > 1
                || arg.matches("^[A-Za-z]:.*");
    }

    /** The argument as a path, with {@code ~} expanded as Python and the shell do ({@code $HOME} first); null if not a valid path. */
    private static Path toPath(String arg) {
        try {
            return Path.of(PythonPaths.system().expandUser(arg));
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
