package dev.logitscope.ui.lens;

import dev.logitscope.hub.HubWords;
import java.util.List;

/** What to do about a published lens the hub could not give, in the prompt setup's words: Fetch and Add lens folder…. */
final class LensHubWords implements HubWords {
    static final LensHubWords INSTANCE = new LensHubWords();

    private LensHubWords() {}

    @Override
    public String downloadWhileOnline(String repoId) {
        return "start the app without HF_HUB_OFFLINE while online and fetch the lens again, or add its folder"
                + " (Add lens folder…)";
    }

    @Override
    public String downloadAgain(String repoId) {
        return "check the network (and HF_ENDPOINT) and press Fetch again, or add the lens's folder (Add lens folder…)";
    }

    @Override
    public String localFolder(List<String> files) {
        return "add a folder holding " + HubWords.listed(files) + " (Add lens folder…)";
    }

    @Override
    public String downloadElsewhere() {
        return "download the lens elsewhere and add its folder (Add lens folder…)";
    }
}
