package dev.logitscope.hub;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.util.List;

/** The user-facing messages, in one place so they stay consistent and say what to do. */
final class HubErrors {

    /** The X-Error-Message of a 401 for a token the Hub does not know (huggingface_hub tests the same text). */
    static final String INVALID_CREDENTIALS = "Invalid credentials in Authorization header";

    private HubErrors() {
    }

    static HubException offline(String repoId, List<String> missing, List<String> files, Path cacheDir) {
        return new HubException(words -> "HF_HUB_OFFLINE is set (offline mode) and the cache at " + cacheDir
                + " lacks " + String.join(", ", missing) + " of " + repoId + ". "
                + whatToDo(words.downloadWhileOnline(repoId), words.localFolder(files)), null);
    }

    static HubException unreachable(String endpoint, String reason, String repoId, List<String> missing,
                                    List<String> files, Path cacheDir, Throwable cause) {
        return new HubException(words -> "cannot reach " + endpoint + " (" + reason + ") and the cache at " + cacheDir
                + " lacks " + String.join(", ", missing) + " of " + repoId + ". "
                + whatToDo(words.downloadAgain(repoId), words.localFolder(files)), cause);
    }

    /**
     * What a message about missing files of something other than a model (a published lens) tells the
     * user to do instead: the command that downloads them, and the local alternative. Such messages
     * are the command line's alone (the app does not fetch them).
     */
    record Advice(String downloadCommand, String local) {}

    static HubException offline(String repoId, List<String> missing, Path cacheDir, Advice advice) {
        return new HubException("HF_HUB_OFFLINE is set (offline mode) and the cache at " + cacheDir + " lacks "
                + String.join(", ", missing) + " of " + repoId + ". " + whatToDo("unset HF_HUB_OFFLINE and run `"
                + advice.downloadCommand() + "` while online", advice.local()));
    }

    static HubException unreachable(String endpoint, String reason, String repoId, List<String> missing, Path cacheDir,
                                    Advice advice, Throwable cause) {
        return new HubException("cannot reach " + endpoint + " (" + reason + ") and the cache at " + cacheDir + " lacks "
                + String.join(", ", missing) + " of " + repoId + ". " + whatToDo("check the network (and HF_ENDPOINT)"
                + " and run `" + advice.downloadCommand() + "` again", advice.local()), cause);
    }

    /**
     * The Hub refused a request for a repository's file (HTTP 401 or 403), read as huggingface_hub's
     * {@code hf_raise_for_status} reads it: {@code X-Error-Code: GatedRepo} is a gated model,
     * {@code RepoNotFound} (or a 401 without a code) a missing, private or gated repository, a 401
     * whose message is "Invalid credentials in Authorization header" a rejected token.
     */
    static HubException accessDenied(HubSettings settings, String repoId, String file, int status, String errorCode,
                                     String errorMessage) {
        boolean tokenSet = settings.token().isPresent();
        String page = settings.endpoint() + "/" + repoId;
        String newToken = "an access token from https://huggingface.co/settings/tokens";
        String text;
        if ("GatedRepo".equals(errorCode)) {
            text = repoId + " is a gated model and access was refused (HTTP " + status + "): "
                    + (tokenSet
                            ? "the token from " + settings.tokenSource() + " has no access to it. Accept the model's terms"
                                    + " at " + page + " with the account the token belongs to (or wait until the"
                                    + " request is approved), or use that account's token"
                            : "no token was sent. Accept the model's terms at " + page + ", then set HF_TOKEN to "
                                    + newToken + " (or run `huggingface-cli login`)");
        } else if (status == 401 && tokenSet && INVALID_CREDENTIALS.equals(errorMessage)) {
            text = "the token from " + settings.tokenSource() + " was rejected by " + settings.endpoint() + " (HTTP 401):"
                    + " it is expired, revoked or mistyped. Replace it with " + newToken
                    + ", or unset it to fetch public models";
        } else if ("RepoNotFound".equals(errorCode) || status == 401) {
            text = "repository " + repoId + " not found or not accessible (HTTP " + status + "). Check the model name"
                    + " (a short name such as gpt2, or org/name as shown on huggingface.co); if it is private or gated, "
                    + (tokenSet
                            ? "the token from " + settings.tokenSource() + " must have access to it"
                            : "set HF_TOKEN to " + newToken + " of an account with access");
        } else {
            text = "access to " + repoId + " (" + file + ") forbidden (HTTP " + status + "): "
                    + (tokenSet
                            ? "the token from " + settings.tokenSource() + " lacks the permission (a fine-grained token"
                                    + " needs read access to this repository)"
                            : "the model may be private or gated; set HF_TOKEN to " + newToken);
        }
        return new HubException(text + "." + hubSays(errorMessage));
    }

    /** What went wrong, short, for the warning shown when a cached copy serves instead. */
    static String refusal(String endpoint, String file, int status, String errorCode, String errorMessage) {
        return endpoint + " answered HTTP " + status + (errorCode.isEmpty() ? "" : " (" + errorCode + ")") + " for "
                + file + (errorMessage.isBlank() ? "" : ": \"" + errorMessage.strip() + "\"");
    }

    static HubException notFound(String repoId, String revision, String file, String errorCode, String errorMessage) {
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
        String message = what + " (HTTP 404). Check the model name: a short name such as gpt2 or "
                + "distilgpt2, or a repository id org/name as shown on huggingface.co." + hubSays(errorMessage);
        if ("EntryNotFound".equals(errorCode)) {
            return new MissingEntryException(message);
        }
        return new HubException(what + " (HTTP 404). Check the model name: a short name such as gpt2 or "
                + "distilgpt2, or a repository id org/name as shown on huggingface.co." + hubSays(errorMessage));
    }

    /**
     * The storage host behind the Hub's redirect (S3, CloudFront, the Xet bridge) refused a signed
     * link. No token is sent there, so this is never the token's fault: the link has usually expired
     * ("Request has expired"), as happens when a long download is resumed an hour later.
     */
    static HubException linkRefused(String file, String host, int status, String detail) {
        return new HubException("the storage host " + host + " refused the download link of " + file + " (HTTP "
                + status + (detail.isBlank() ? "" : ": " + detail.strip()) + "), also after asking the Hub for a fresh"
                + " link. This is not a token problem (no token is sent to " + host + "): the signed link has expired"
                + " or the host is blocked (a proxy or firewall?). The partial file is kept; run the command again to"
                + " resume it.");
    }

    /** A transfer that kept failing after {@code retries} attempts to resume it in-process. */
    static HubException dropped(String file, String reason, int retries, long have, long size, Throwable cause) {
        String kept = have > 0 ? " The " + megabytes(have) + (size > 0 ? " of " + megabytes(size) : "")
                + " received so far are kept." : "";
        return new HubException("download of " + file + " was interrupted (" + reason + ") and resuming it failed "
                + retries + " times in a row." + kept + " Check the network and run the command again to resume it.",
                cause);
    }

    static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** The Hub's own explanation ({@code X-Error-Message}), quoted, when it sent one. */
    private static String hubSays(String errorMessage) {
        return errorMessage == null || errorMessage.isBlank() ? "" : " (The Hub says: \"" + errorMessage.strip() + "\")";
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
        return new HubException(notAHubReason(endpoint, file, missingHeader) + "; check HF_ENDPOINT and any proxy in"
                + " between (one that strips headers), or give the path of a local model folder.");
    }

    static String notAHubReason(String endpoint, String file, String missingHeader) {
        return "the server at " + endpoint + " did not answer like the Hugging Face Hub for " + file + " (no "
                + missingHeader + " header)";
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
        if (e instanceof java.io.EOFException || "closed".equals(message)) {
            return "the connection closed before the end of the file";
        }
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static String whatToDo(String firstOption, String secondOption) {
        return "Either " + firstOption + ", or " + secondOption + ".";
    }

    static String joinOr(List<String> items) {
        if (items.size() <= 1) {
            return String.join("", items);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " or " + items.get(items.size() - 1);
    }

    static String joinAnd(List<String> items) {
        if (items.size() <= 1) {
            return String.join("", items);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }
}
