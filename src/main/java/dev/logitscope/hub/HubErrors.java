package dev.logitscope.hub;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.util.List;

/** The user-facing messages, in one place so they stay consistent and say what to do. */
final class HubErrors {

    private HubErrors() {
    }

    static HubException offline(String repoId, List<String> missing, List<String> files, Path cacheDir) {
        return new HubException("HF_HUB_OFFLINE is set (offline mode) and the cache at " + cacheDir
                + " lacks " + String.join(", ", missing) + " of " + repoId + ". "
                + whatToDo(files, "unset HF_HUB_OFFLINE and run `./logitscope download " + repoId
                        + "` while online"));
    }

    static HubException unreachable(String endpoint, String reason, String repoId, List<String> missing,
                                    List<String> files, Path cacheDir, Throwable cause) {
        return new HubException("cannot reach " + endpoint + " (" + reason + ") and the cache at " + cacheDir
                + " lacks " + String.join(", ", missing) + " of " + repoId + ". "
                + whatToDo(files, "check the network (and HF_ENDPOINT) and run `./logitscope download "
                        + repoId + "` again"), cause);
    }

    static HubException accessDenied(String repoId, String file, int status, boolean tokenSet) {
        String hint = tokenSet
                ? "the token in HF_TOKEN was rejected or has no access to it; check the token and that you "
                        + "accepted the model's terms on its Hub page"
                : "the model may be private or gated, or the name may be wrong; check the name, or set HF_TOKEN "
                        + "to an access token (https://huggingface.co/settings/tokens)";
        return new HubException("access to " + repoId + " (" + file + ") denied (HTTP " + status + "): " + hint + ".");
    }

    static HubException notFound(String repoId, String revision, String file, String errorCode) {
        String what;
        if ("RepoNotFound".equals(errorCode)) {
            what = "repository " + repoId + " not found";
        } else if ("RevisionNotFound".equals(errorCode)) {
            what = "revision '" + revision + "' not found in " + repoId;
        } else if ("EntryNotFound".equals(errorCode)) {
            what = file + " not found in " + repoId + " (revision " + revision + ")";
        } else {
            what = "repository " + repoId + " or its file " + file + " not found";
        }
        return new HubException(what + " (HTTP 404). Check the model name: a short name such as gpt2 or "
                + "distilgpt2, or a repository id org/name as shown on huggingface.co.");
    }

    static HubException corrupt(String file, String algorithm) {
        return new HubException("downloaded file " + file + " is corrupt (" + algorithm
                + " mismatch), deleted; run the command again");
    }

    static HubException wrongSize(String file, long expected, long actual) {
        return new HubException("downloaded file " + file + " is corrupt (size mismatch: " + actual
                + " bytes instead of " + expected + "), deleted; run the command again");
    }

    static HubException notAHub(String endpoint, String file, String missingHeader) {
        return new HubException("the server at " + endpoint + " did not answer like the Hugging Face Hub for "
                + file + " (no " + missingHeader + " header); check HF_ENDPOINT and any proxy in between.");
    }

    /** A short reason for a network failure; the JDK's messages are often null or cryptic. */
    static String describeNetworkFailure(Throwable e) {
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out";
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return "connection refused";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String whatToDo(List<String> files, String firstOption) {
        return "Either " + firstOption + ", or give the path of a local folder holding " + joinAnd(files)
                + " in place of the model name.";
    }

    static String joinAnd(List<String> items) {
        if (items.size() <= 1) {
            return String.join("", items);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
