package dev.logitscope.cli;

import dev.logitscope.hub.DownloadListener;
import dev.logitscope.hub.HubClient;
import dev.logitscope.hub.HubException;
import dev.logitscope.hub.HubSettings;
import dev.logitscope.hub.TunedLensHub;
import java.io.PrintWriter;
import java.nio.file.Path;

/** Fetches a published tuned lens by name, with download progress on stderr, as models are fetched. */
final class LensDownload {
    private LensDownload() {}

    static Path fetch(String name, HubSettings settings, PrintWriter err) throws HubException {
        TunedLensHub hub = new TunedLensHub(new HubClient(settings), System.getenv());
        try (ConsoleProgress progress = new ConsoleProgress(err)) {
            DownloadListener listener = progress::update;
            return hub.fetch(name, listener, () -> false);
        }
    }
}
