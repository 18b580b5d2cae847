package dev.logitscope.ui.model;

import dev.logitscope.hub.HubWords;
import java.util.List;

/** What to do about a hub problem, in the app's words: its model bar and Open folder…, not commands. */
public final class AppHubWords implements HubWords {
    public static final AppHubWords INSTANCE = new AppHubWords();

    private AppHubWords() {}

    @Override
    public String downloadWhileOnline(String repoId) {
        return "start the app without HF_HUB_OFFLINE while online and pick " + repoId + " in the model bar to download"
                + " it, or set HF_HOME to a cache that holds it";
    }

    @Override
    public String downloadAgain(String repoId) {
        return "check the network (and HF_ENDPOINT) and pick " + repoId + " in the model bar again";
    }

    @Override
    public String localFolder(List<String> files) {
        return "open a local folder holding " + HubWords.listed(files) + " (Open folder… in the model bar)";
    }

    @Override
    public String downloadElsewhere() {
        return "download the model elsewhere and open its folder (Open folder… in the model bar)";
    }
}
