package dev.logitscope.cli;

import dev.logitscope.hub.HubException;
import dev.logitscope.hub.HubSettings;
import dev.logitscope.hub.TunedLensHub;
import dev.logitscope.hub.ModelCatalog;
import dev.logitscope.hub.ModelSource;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code logitscope download}: fetch a model into the Hugging Face cache ahead of time. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Download a model from the Hugging Face Hub into the shared cache (resumable, verified),"
                + " and print the folder that holds it.")
final class DownloadCommand implements Callable<Integer> {
    /** The hub's settings; null: from the environment (tests give their own). */
    private final HubSettings settings;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL|tuned:NAME",
            description = "distilgpt2, gpt2, gpt2-medium, gpt2-large, gpt2-xl, or a hub id org/name; or tuned:NAME,"
                    + " the tuned lens the tuned-lens project publishes for model NAME (e.g. tuned:gpt2).")
    String model;

    DownloadCommand() {
        this(null);
    }

    DownloadCommand(HubSettings settings) {
        this.settings = settings;
    }

    @Override
    public Integer call() throws Exception {
        HubSettings hub = settings != null ? settings : HubSettings.fromSystem();
        if (TunedLensHub.isHubName(model.strip())) {
            spec.commandLine().getOut().println(LensDownload.fetch(model.strip().substring(TunedLensHub.PREFIX.length()),
                    hub, spec.commandLine().getErr()));
            return 0;
        }
        ModelOptions options = new ModelOptions();
        options.model = model;
        ModelSource source;
        try {
            source = options.locate(spec.commandLine().getErr(), hub);
        } catch (HubException e) {
            UserException offline = needsNetwork(e, model.strip(), hub);
            throw offline != null ? offline : e;
        }
        spec.commandLine().getOut().println(source.folder());
        return 0;
    }

    /**
     * The hub's messages are written for commands that need a model ("... run download again");
     * here the user ran download itself, so a failure for want of a network says that downloading
     * needs one and which cache was looked in. Null for every other failure, which passes as it is.
     */
    static UserException needsNetwork(HubException e, String model, HubSettings hub) {
        String repo = ModelCatalog.repoIdFor(model);
        String cache = " The cache looked in, " + hub.cacheDir() + ", has no complete copy of " + repo + ".";
        if (hub.offline() && looksLikeRepo(model)) {
            return new UserException("downloading " + repo + " needs the network, and HF_HUB_OFFLINE is set (offline"
                    + " mode)." + cache + " Unset HF_HUB_OFFLINE on a machine with a network to download it.");
        }
        String reason = networkFailure(e);
        if (reason == null) {
            return null;
        }
        return new UserException("downloading " + repo + " needs the network, and " + hub.endpoint()
                + " cannot be reached (" + reason + ")." + cache + " Once online (or with HF_ENDPOINT set to a"
                + " reachable mirror) the same command downloads it; a partial download resumes.");
    }

    /** A catalog name or org/name: not a folder, not an invalid id (whose message is the hub's). */
    private static boolean looksLikeRepo(String model) {
        return ModelCatalog.find(model).isPresent() || model.matches("[A-Za-z0-9][\\w.-]*/[A-Za-z0-9][\\w.-]*");
    }

    /** Why the host could not be reached, when the failure was the network's; null otherwise. */
    private static String networkFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
            if (t instanceof HttpTimeoutException) {
                return "timed out";
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return "no connection";
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
